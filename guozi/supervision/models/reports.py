from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.supervision.choices import ReportState, TaskStatus
from guozi.supervision.models.plans import Plan, TargetTask


class ReportingRound(GuoziModel):
    """A call for progress reports: a period, a due date and the tasks in scope."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"第{q}季度") for q in range(1, 5)])
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=0)
    tasks = models.ManyToManyField(TargetTask, verbose_name=_("tasks"), related_name="rounds")

    scope_organization: ClassVar[str] = "plan__issuer"
    scope_read_also: ClassVar[tuple[str, ...]] = ("tasks__lead_unit", "tasks__partner_units")

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "quarter"],
                name="supervision_round_once",
                violation_error_message=_("A round for this plan and quarter already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    def get_absolute_url(self) -> str:
        return reverse("supervision:reportinground_detail", args=[self.pk])


class ProgressReport(Versioned, GuoziModel):
    """What the lead unit reports on one task in one round, through draft, review and approval.

    ``version`` guards against lost updates: a save names the version it edited and
    is refused if someone saved in between. An approved report is frozen.
    """

    round = models.ForeignKey(ReportingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    progress = models.TextField(
        _("progress"),
        blank=True,
        help_text=_("Numbered points 一是…二是…; write {{…}} to use a figure from the records."),
    )
    problems = models.TextField(_("problems and difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    self_status = models.CharField(_("self-assessed status"), max_length=20, choices=TaskStatus.choices, blank=True)
    verified_status = models.CharField(_("verified status"), max_length=20, choices=TaskStatus.choices, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    review_note = models.TextField(
        _("reviewer's explanation"),
        blank=True,
        help_text=_("Why the cross-check findings that need an explanation are acceptable."),
    )
    carried_over = models.JSONField(
        _("carried over"),
        default=dict,
        blank=True,
        help_text=_("The sections as pre-filled from the last approved report: unchanged, each must be confirmed."),
    )
    unchanged_confirmed = models.JSONField(
        _("confirmed unchanged"),
        default=list,
        blank=True,
        help_text=_("Sections the unit confirmed as having no change since the last quarter."),
    )

    scope_organization: ClassVar[str] = "task__lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("task__partner_units",)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-round__year", "-round__quarter", "task__number"]
        permissions = [("review_progressreport", "Can return or approve progress reports")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "task"],
                name="supervision_report_once",
                violation_error_message=_("This task already has a report in this round."),
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.RETURNED) | ~Q(return_reason=""),
                name="supervision_report_return_has_reason",
                violation_error_message=_("A returned report needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:progressreport_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.state in {ReportState.DRAFT, ReportState.RETURNED}


class ReportVersion(models.Model):
    """A frozen copy of a report as submitted: append-only, with its SHA-256.

    Every submission adds one, so each can be compared with the one before.
    """

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="supervision_version_once")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportContribution(Versioned, GuoziModel):
    """A partner unit's section of a task's report; the lead unit consolidates them."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="contributions"
    )
    unit = models.ForeignKey("core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"))

    scope_organization: ClassVar[str] = "unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("report__task__lead_unit",)

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["report", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit"],
                name="supervision_contribution_once",
                violation_error_message=_("This unit has already contributed to the report; edit its section."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.report}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:reportcontribution_detail", args=[self.pk])
