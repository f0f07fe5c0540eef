from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from guozi.core.changes import COMMAND
from guozi.core.testing import client_for, user
from guozi.supervision.choices import NoticeLevel, NotificationKind
from guozi.supervision.models import Notice, Notification, ReportingRound
from guozi.supervision.services import reports as rep
from guozi.supervision.services.reminders import notice_update, remind
from guozi.supervision.testing import open_q4

pytestmark = pytest.mark.usefixtures("demo_world")


@pytest.fixture
def q4() -> ReportingRound:
    return open_q4()


def run(day: date) -> tuple[int, int]:
    result = remind(actor=user("ducha"), origin=COMMAND, today=day)
    return len(result.notifications), len(result.notices)


def test_due_soon_then_overdue_escalates_blue_to_red(q4: ReportingRound) -> None:
    # Two days before the due date: three reports due soon; task 70's last milestone (12-31) is past.
    assert run(date(2026, 1, 8)) == (4, 4)
    levels = sorted(Notice.objects.values_list("level", flat=True))
    assert levels == sorted([NoticeLevel.BLUE] * 3 + [NoticeLevel.YELLOW])
    assert Notice.objects.filter(level=NoticeLevel.BLUE).first().number.startswith("督办〔2026〕")  # type: ignore[union-attr]
    # Within the grace days nothing new; after them, red notices.
    assert run(date(2026, 1, 12)) == (0, 0)
    assert run(date(2026, 1, 14)) == (3, 3)
    assert Notice.objects.filter(level=NoticeLevel.RED).count() == 3
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE).count() == 3


def test_the_run_is_idempotent(q4: ReportingRound) -> None:
    run(date(2026, 1, 14))
    counts = (Notification.objects.count(), Notice.objects.count())
    assert run(date(2026, 1, 14)) == (0, 0)
    call_command("remind", "--actor", "ducha", "--date", "2026-01-14")
    assert (Notification.objects.count(), Notice.objects.count()) == counts


def test_submitted_reports_are_not_chased(q4: ReportingRound) -> None:
    for report in q4.reports.all():
        report = rep.report_update(
            actor=user("guoziwei"),
            origin=COMMAND,
            progressreport=report,
            data={"progress": "已完成", "version": report.version},
        )
        rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=report)
    assert run(date(2026, 1, 14)) == (1, 1)  # only task 70's milestone


@override_settings(EMAIL_HOST="smtp.example.invalid")
def test_email_goes_out_when_smtp_is_configured(q4: ReportingRound, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    guoziwei = user("guoziwei")
    guoziwei.email = "guoziwei@example.invalid"
    guoziwei.save()
    with django_capture_on_commit_callbacks(execute=True):
        run(date(2026, 1, 14))
    assert len(mail.outbox) == 4
    assert mail.outbox[0].to == ["guoziwei@example.invalid"]


def test_only_the_office_closes_a_notice(q4: ReportingRound) -> None:
    from django.core.exceptions import ValidationError

    run(date(2026, 1, 14))
    notice = Notice.objects.filter(level=NoticeLevel.RED).first()
    assert notice is not None
    notice_update(actor=user("guoziwei"), origin=COMMAND, notice=notice, data={"reply": "已于1月15日报送"})
    with pytest.raises(ValidationError):
        notice_update(actor=user("guoziwei"), origin=COMMAND, notice=notice, data={"closed_on": date(2026, 1, 16)})
    notice_update(actor=user("ducha"), origin=COMMAND, notice=notice, data={"closed_on": date(2026, 1, 16)})
    assert Notice.objects.get(pk=notice.pk).closed_on == date(2026, 1, 16)


def test_dashboard_and_notice_pages(q4: ReportingRound) -> None:
    run(date(2026, 1, 14))
    html = client_for("ducha").get("/supervision/dashboard/", {"as_of": "2025-09-30"}).content.decode()
    assert "序时推进" in html  # task 48 on 9-30: 57 of 61 done
    assert "目标任务48" in html
    assert "督办〔2026〕" in html
    # A notice belongs to its unit: an enterprise sees none of 国资委's.
    notice = Notice.objects.first()
    assert notice is not None
    assert client_for("chengfa").get(f"/supervision/notice/{notice.pk}/").status_code == 404
