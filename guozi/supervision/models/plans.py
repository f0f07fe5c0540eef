from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned, pk_url
from guozi.supervision.choices import Adjustment, PlanKind


class Plan(Versioned, GuoziModel):
    """A source document that sets target tasks: a year's 政府工作报告, or a campaign
    such as 国企改革深化提升行动（2023—2025年）."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year it covers, or a campaign's first year."))
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    issuer = models.ForeignKey(
        "core.Organization", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_organization: ClassVar[str] = "issuer"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("year")),
                name="supervision_plan_years_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:plan_detail", args=[self.pk])


class TargetTask(Versioned, GuoziModel):  # type: ignore[django-manager-missing]
    """One numbered target task of a plan (目标任务35), with the unit that leads it.

    The number is the task's stable key in the city-wide list: imports and reports
    refer to a task by plan and number.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveIntegerField(_("number"))
    heading = models.CharField(
        _("heading"), max_length=100, blank=True, help_text=_("Short title used as the report's section heading.")
    )
    text = models.TextField(_("task"))
    lead_unit = models.ForeignKey(
        "core.Organization", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    partner_units = models.ManyToManyField(
        "core.Organization", verbose_name=_("partner units"), blank=True, related_name="partnered_tasks"
    )
    leader = models.CharField(_("leader in charge"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    adjustment = models.CharField(
        _("adjustment"), max_length=20, choices=Adjustment.choices, default=Adjustment.NONE, blank=True
    )
    adjustment_reason = models.CharField(_("reason for adjustment"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("partner_units",)

    class Meta:
        verbose_name = _("target task")
        verbose_name_plural = _("target tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="supervision_task_number_unique",
                violation_error_message=_("This plan already has a task with that number."),
            ),
            models.CheckConstraint(
                condition=Q(adjustment="") | ~Q(adjustment_reason=""),
                name="supervision_task_adjustment_has_reason",
                violation_error_message=_("An adjusted or dropped task needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"目标任务{self.number}"

    def get_absolute_url(self) -> str:
        return pk_url("supervision:targettask_detail", self.pk)  # the dashboard links all 200 tasks
