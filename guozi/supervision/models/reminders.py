from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.supervision.choices import NoticeLevel, NotificationKind
from guozi.supervision.models.decomposition import Milestone
from guozi.supervision.models.plans import TargetTask
from guozi.supervision.models.reports import ProgressReport


class Notification(GuoziModel):
    """An in-app reminder to a unit: a report due soon or overdue, a milestone past due.

    ``key`` makes the daily reminder run idempotent: one notification per subject and kind.
    """

    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(_("key"), max_length=100)
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    sent_on = models.DateField(_("sent on"))
    emailed = models.BooleanField(_("emailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "kind", "key"], name="supervision_notify_once")]

    def __str__(self) -> str:
        return self.message

    def get_absolute_url(self) -> str:
        return reverse("supervision:notification_detail", args=[self.pk])


class Notice(Versioned, GuoziModel):
    """A numbered supervision notice (督办单) to a lead unit, with a reply deadline; the office closes it."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=NoticeLevel.choices)
    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="notices"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    unit = models.ForeignKey("core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    reply_due = models.DateField(_("reply due"))
    reply = models.TextField(_("reply"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    scope_organization: ClassVar[str] = "unit"

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # One notice per subject and level: the daily run escalates, it does not repeat.
            models.UniqueConstraint(
                fields=["report", "level"],
                condition=Q(report__isnull=False),
                name="supervision_notice_report_level_once",
            ),
            models.UniqueConstraint(
                fields=["milestone", "level"],
                condition=Q(milestone__isnull=False),
                name="supervision_notice_milestone_level_once",
            ),
            models.CheckConstraint(
                condition=Q(reply_due__gte=models.F("issued_on")),
                name="supervision_notice_reply_after_issue",
                violation_error_message=_("The reply cannot be due before the notice is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:notice_detail", args=[self.pk])
