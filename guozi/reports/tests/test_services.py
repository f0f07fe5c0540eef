"""Publishing a quarterly report: one winner per race, and a published report frozen in the database."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from guozi.core.changes import COMMAND
from guozi.core.models import ChangeRecord
from guozi.core.testing import org, user
from guozi.reports.models import GeneratedReport, content_digest
from guozi.reports.services import report_publish
from guozi.reports.testing import demo_report
from guozi.supervision.models import Plan

pytestmark = pytest.mark.usefixtures("demo_world")

DAY = date(2025, 10, 27)
TITLE = "关于2025年第三季度工作进展情况的报告"


def kept(**extra: Any) -> GeneratedReport:
    return GeneratedReport.objects.create(
        plan=Plan.objects.order_by("pk").first(),
        year=2025,
        quarter=3,
        unit=org("国资委"),
        title=TITLE,
        content={"title": TITLE},
        sha256="0" * 64,
        **extra,
    )


def publish(report: GeneratedReport) -> GeneratedReport:
    return report_publish(actor=user("guoziwei"), origin=COMMAND, generatedreport=report, published_on=DAY)


def test_of_two_publishers_of_the_same_report_one_wins() -> None:
    report = kept()
    first, second = GeneratedReport.objects.get(pk=report.pk), GeneratedReport.objects.get(pk=report.pk)
    publish(first)
    with pytest.raises(ValidationError):
        publish(second)  # read before the first published: refused by the compare-and-swap
    records = ChangeRecord.objects.filter(content_type__model="generatedreport", object_id=str(report.pk))
    assert [r.after["published_on"] for r in records] == [DAY.isoformat()]
    with pytest.raises(ValidationError):
        publish(GeneratedReport.objects.get(pk=report.pk))  # read after: already published


@pytest.mark.parametrize("bypass", ["ORM save", "queryset.update", "bulk_update", "raw UPDATE", "raw DELETE"])
def test_a_published_report_is_frozen_in_the_database(bypass: str) -> None:
    report = kept(published_on=DAY)

    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [report.pk])

    def orm_save() -> None:
        report.title = "改过的"
        report.save()

    def bulk_update() -> None:
        report.title = "改过的"
        GeneratedReport.objects.bulk_update([report], ["title"])

    attempts = {
        "ORM save": orm_save,
        "queryset.update": lambda: GeneratedReport.objects.filter(pk=report.pk).update(published_on=None),
        "bulk_update": bulk_update,
        "raw UPDATE": lambda: raw("UPDATE reports_generatedreport SET sha256 = 'x' WHERE id = %s"),
        "raw DELETE": lambda: raw("DELETE FROM reports_generatedreport WHERE id = %s"),
    }
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        attempts[bypass]()
    stored = GeneratedReport.objects.get(pk=report.pk)
    assert (stored.title, stored.published_on, stored.sha256) == (TITLE, DAY, "0" * 64)


def test_an_unpublished_report_can_still_be_deleted() -> None:
    report = kept()
    assert GeneratedReport.objects.filter(pk=report.pk).delete()[0] == 1


def test_a_report_labelled_sensitive_is_not_published() -> None:
    from guozi.core.choices import SecurityLabel

    report = kept(security_label=SecurityLabel.SENSITIVE)
    with pytest.raises(ValidationError, match="标记为敏感"):
        publish(report)
    assert GeneratedReport.objects.get(pk=report.pk).published_on is None


def test_the_change_log_keeps_a_generated_reports_digest_not_a_second_copy_of_its_document() -> None:
    report = demo_report()
    (record,) = ChangeRecord.objects.filter(content_type__model="generatedreport", object_id=str(report.pk))
    assert "content" not in record.after
    assert record.after["sha256"] == report.sha256 == content_digest(report.content)
    assert record.after["title"] == report.title
