from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from guozi.core.models.base import GuoziModel, Versioned
from guozi.core.scope import ScopedQuerySet
from guozi.supervision.choices import (
    Direction,
    IndicatorSource,
    ProgressMethod,
    Qualifier,
    WorkItemKind,
    WorkItemStatus,
)
from guozi.supervision.models.plans import TargetTask


class WorkItemQuerySet(ScopedQuerySet, TreeQuerySet):
    pass


class WorkItem(TreeNode, Versioned, GuoziModel):  # type: ignore[django-manager-missing]
    """One piece of work a task is split into (重点工作, 改革事项), at any depth."""

    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="work_items"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkItemKind.choices, default=WorkItemKind.KEY_WORK)
    owner_unit = models.ForeignKey(
        "core.Organization", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="work_items"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=Decimal(1))
    status = models.CharField(
        _("status"), max_length=20, choices=WorkItemStatus.choices, default=WorkItemStatus.NOT_STARTED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress_method = models.CharField(
        _("progress method"), max_length=20, choices=ProgressMethod.choices, default=ProgressMethod.STATUS
    )
    manual_progress = models.DecimalField(
        _("progress set by hand (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    manual_reason = models.CharField(_("reason for setting by hand"), max_length=300, blank=True)

    objects = WorkItemQuerySet.as_manager(with_tree_fields=False)  # type: ignore[call-arg,django-manager-missing,misc]

    scope_organization: ClassVar[str] = "task__lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("owner_unit", "task__partner_units")

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["task", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="supervision_workitem_weight_positive",
                violation_error_message=_("A weight must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(progress_method=ProgressMethod.MANUAL)
                | (Q(manual_progress__isnull=False) & ~Q(manual_reason="")),
                name="supervision_workitem_manual_has_reason",
                violation_error_message=_("Progress set by hand needs a value and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(manual_progress__isnull=True) | Q(manual_progress__gte=0, manual_progress__lte=100),
                name="supervision_workitem_manual_in_range",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status=WorkItemStatus.DONE) | Q(done_on__isnull=False),
                name="supervision_workitem_done_has_date",
                violation_error_message=_("A done item needs the day it was done."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:workitem_detail", args=[self.pk])


class Milestone(Versioned, GuoziModel):
    """A dated step of a task (节点): planned, and done when it happened."""

    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=300)
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "task__lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("task__partner_units",)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "planned_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:milestone_detail", args=[self.pk])


class Indicator(Versioned, GuoziModel):
    """A quantified target of a task (量化指标): from a baseline towards a target."""

    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("项, 家, 个, 人, 亿元, 万元, %, 亩, ㎡ ..."))
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    source = models.CharField(
        _("source"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.ENTERED
    )

    scope_organization: ClassVar[str] = "task__lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("task__partner_units",)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:indicator_detail", args=[self.pk])


class IndicatorValue(GuoziModel):
    """An indicator's value entered for one period (the period's last day)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "indicator__task__lead_unit"

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                name="supervision_indicator_value_once",
                violation_error_message=_("This indicator already has a value for that period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:indicatorvalue_detail", args=[self.pk])
