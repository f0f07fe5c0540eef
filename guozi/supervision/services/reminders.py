"""The daily reminder run: notifications and the escalation ladder of 督办单.

For each open report (draft or returned) of a round: due within a few days → a
notification and a blue notice; past its due date and grace days → a notification
and a red notice. A task behind schedule → a yellow notice; a milestone past its
planned date → a notification and a yellow notice. Run twice on the same day, or
on later days, it adds nothing it has already issued (unique keys), so the command
is idempotent. Email goes out after commit when SMTP is configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin
from guozi.core.models import Organization, User
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.supervision.choices import NoticeLevel, NotificationKind, ReportState, TaskStatus
from guozi.supervision.models import Milestone, Notice, Notification, ProgressReport, TargetTask
from guozi.supervision.selectors import task_figures

DUE_SOON_DAYS = 3
REPLY_DAYS = {NoticeLevel.BLUE: 5, NoticeLevel.YELLOW: 5, NoticeLevel.RED: 3}


@dataclass
class ReminderRun:
    notifications: list[Notification] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def _notify(
    run: ReminderRun,
    actor: User,
    origin: Origin,
    unit: Organization,
    kind: str,
    key: str,
    message: str,
    link: str,
    today: date,
) -> None:
    if Notification.objects.filter(organization=unit, kind=kind, key=key).exists():
        return
    run.notifications.append(
        scoped_create(
            actor=actor,
            origin=origin,
            model=Notification,
            data={
                "organization": unit,
                "kind": kind,
                "key": key,
                "message": message,
                "link": link,
                "sent_on": today,
                "emailed": bool(settings.EMAIL_HOST),
            },
        )
    )


def _notice(
    run: ReminderRun,
    actor: User,
    origin: Origin,
    level: NoticeLevel,
    task: TargetTask,
    reason: str,
    today: date,
    report: ProgressReport | None = None,
    milestone: Milestone | None = None,
) -> None:
    existing = Notice.objects.filter(level=level)
    if (report and existing.filter(report=report).exists()) or (
        milestone and existing.filter(milestone=milestone).exists()
    ):
        return
    serial = Notice.objects.filter(issued_on__year=today.year).count() + 1
    run.notices.append(
        scoped_create(
            actor=actor,
            origin=origin,
            model=Notice,
            data={
                "number": f"督办〔{today.year}〕{serial}号",
                "level": level,
                "task": task,
                "report": report,
                "milestone": milestone,
                "unit": task.lead_unit,
                "reason": reason,
                "issued_on": today,
                "reply_due": today + timedelta(days=REPLY_DAYS[level]),
            },
        )
    )


def remind(*, actor: User, origin: Origin, today: date) -> ReminderRun:
    run = ReminderRun()
    with transaction.atomic():
        open_reports = ProgressReport.objects.filter(
            state__in=[ReportState.DRAFT, ReportState.RETURNED]
        ).select_related("round", "task__lead_unit")
        for report in open_reports:
            task, round_ = report.task, report.round
            deadline = round_.due_on + timedelta(days=round_.grace_days)
            link = report.get_absolute_url()
            if today > deadline:
                message = f"{task}（{round_}）报告已逾期（{round_.due_on:%m月%d日}截止）"
                _notify(
                    run,
                    actor,
                    origin,
                    task.lead_unit,
                    NotificationKind.OVERDUE,
                    f"report:{report.pk}",
                    message,
                    link,
                    today,
                )
                _notice(run, actor, origin, NoticeLevel.RED, task, message, today, report=report)
            elif 0 <= (round_.due_on - today).days <= DUE_SOON_DAYS:
                message = f"{task}（{round_}）报告将于{round_.due_on:%m月%d日}截止"
                _notify(
                    run,
                    actor,
                    origin,
                    task.lead_unit,
                    NotificationKind.DUE_SOON,
                    f"report:{report.pk}",
                    message,
                    link,
                    today,
                )
                _notice(run, actor, origin, NoticeLevel.BLUE, task, message, today, report=report)
            if task_figures(task, min(today, round_.period_end)).status == TaskStatus.BEHIND:
                _notice(run, actor, origin, NoticeLevel.YELLOW, task, f"{task}进度滞后于序时进度", today, report=report)
        late = Milestone.objects.filter(planned_on__lt=today, done_on__isnull=True).select_related("task__lead_unit")
        for milestone in late:
            task = milestone.task
            message = f"{task}节点“{milestone.title}”已过计划日期（{milestone.planned_on:%m月%d日}）"
            _notify(
                run,
                actor,
                origin,
                task.lead_unit,
                NotificationKind.MILESTONE_OVERDUE,
                f"milestone:{milestone.pk}",
                message,
                task.get_absolute_url(),
                today,
            )
            _notice(run, actor, origin, NoticeLevel.YELLOW, task, message, today, milestone=milestone)
        if settings.EMAIL_HOST:
            transaction.on_commit(lambda: _email(run))
    return run


def _email(run: ReminderRun) -> None:
    for notification in run.notifications:
        recipients = list(
            User.objects.filter(organization=notification.organization, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            send_mail("【国资监管平台】督办提醒", notification.message, None, recipients)


def notice_update(*, actor: User, origin: Origin, notice: Notice, data: dict[str, object]) -> Notice:
    """The lead unit replies; only the office closes a notice."""
    if (
        data.get("closed_on") != notice.closed_on
        and "closed_on" in data
        and not actor.has_perm("supervision.review_progressreport")
    ):
        raise ValidationError({"closed_on": _("Only the supervision office closes a notice.")})
    return scoped_update(actor=actor, origin=origin, instance=notice, data=data)
