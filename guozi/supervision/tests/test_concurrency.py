"""No lost data in the report workflow: one winner per race, approved reports frozen in the database.

REL-LOCK-01 (two approvals at once: exactly one wins, one change record) and
REL-IMM-01 (an approved report refuses ORM save, ``queryset.update()``,
``bulk_update`` and raw SQL, for UPDATE and DELETE alike).
"""

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from guozi.core.changes import COMMAND
from guozi.core.choices import ChangeAction
from guozi.core.models import ChangeRecord
from guozi.core.testing import user
from guozi.supervision.choices import ReportState
from guozi.supervision.models import ProgressReport, ReportingRound
from guozi.supervision.services import reports as rep
from guozi.supervision.testing import open_q4


def submitted(round_: ReportingRound, number: int = 35) -> ProgressReport:
    report = ProgressReport.objects.get(round=round_, task__number=number)
    report = rep.report_update(
        actor=user("guoziwei"), origin=COMMAND, progressreport=report, data={"progress": "一是……二是……"}
    )
    return rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=report)


def approvals(report: ProgressReport) -> int:
    return ChangeRecord.objects.filter(
        content_type__model="progressreport", object_id=str(report.pk), action=ChangeAction.APPROVE
    ).count()


@pytest.mark.usefixtures("demo_world")
def test_a_reviewer_holding_a_stale_report_cannot_approve_it_again() -> None:
    report = submitted(open_q4(grace_days=0))
    # Two sessions of the office open the same submitted report ...
    first, second = ProgressReport.objects.get(pk=report.pk), ProgressReport.objects.get(pk=report.pk)
    rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=first, explanation="甲核实")
    # ... the second approves from what it read, after the first has: refused, nothing written.
    with pytest.raises(ValidationError) as refused:
        rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=second, explanation="乙核实")
    assert refused.value.code == "conflict"
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.state, stored.review_note, stored.version) == (ReportState.APPROVED, "甲核实", first.version)
    assert approvals(report) == 1


@pytest.mark.usefixtures("demo_world")
def test_a_step_taken_between_the_checks_and_the_write_wins_over_this_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The state compare-and-swap, not a re-read, decides: another writer lands mid-approval."""
    report = submitted(open_q4(grace_days=0))

    def returned_meanwhile(r: ProgressReport, reviewer: Any) -> list[Any]:
        # As if another session had returned the report and committed just now.
        ProgressReport.objects.filter(pk=r.pk).update(state=ReportState.RETURNED, return_reason="请补充")
        return []

    monkeypatch.setattr(rep, "cross_checks", returned_meanwhile)
    with pytest.raises(ValidationError) as refused:
        rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=report, explanation="已核实")
    assert refused.value.code == "conflict"
    assert approvals(report) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.usefixtures("live_demo")
def test_two_reviewers_approving_at_once_give_exactly_one_winner() -> None:
    report = submitted(open_q4(grace_days=0))
    both_read = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def review(note: str) -> None:
        try:
            mine = ProgressReport.objects.get(pk=report.pk)
            both_read.wait()  # each has read the submitted report before either writes
            rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=mine, explanation=note)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.code or "refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(note,)) for note in ("甲核实", "乙核实")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["approved", "conflict"]
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.APPROVED
    assert approvals(report) == 1


def _bypasses(report: ProgressReport) -> dict[str, Any]:

    def orm_save() -> None:
        report.progress = "改过的"
        report.save()

    def bulk_update() -> None:
        report.progress = "改过的"
        ProgressReport.objects.bulk_update([report], ["progress"])

    def raw(sql: str) -> Any:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, [report.pk])

        return run

    return {
        "ORM save": orm_save,
        "queryset.update": lambda: ProgressReport.objects.filter(pk=report.pk).update(progress="改过的"),
        "bulk_update": bulk_update,
        "raw UPDATE": raw("UPDATE supervision_progressreport SET progress = 'x' WHERE id = %s"),
        # The ORM's own DELETE, without the PROTECT check that would stop it first (a report has versions).
        "ORM delete": lambda: ProgressReport.objects.filter(pk=report.pk)._raw_delete(connection.alias),
        "raw DELETE": raw("DELETE FROM supervision_progressreport WHERE id = %s"),
    }


@pytest.mark.usefixtures("demo_world")
@pytest.mark.parametrize(
    "bypass", ["ORM save", "queryset.update", "bulk_update", "raw UPDATE", "ORM delete", "raw DELETE"]
)
def test_an_approved_report_is_frozen_in_the_database(bypass: str) -> None:
    approved = ProgressReport.objects.filter(state=ReportState.APPROVED).first()
    assert approved is not None  # the demo's third quarter
    before = (approved.progress, approved.version)
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        _bypasses(approved)[bypass]()
    stored = ProgressReport.objects.get(pk=approved.pk)
    assert (stored.progress, stored.version) == before


@pytest.mark.usefixtures("demo_world")
def test_drafts_beside_an_approved_report_stay_editable() -> None:
    draft = ProgressReport.objects.get(round=open_q4(), task__number=35)
    assert ProgressReport.objects.filter(pk=draft.pk).update(progress="草稿可改") == 1
