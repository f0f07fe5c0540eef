"""Every workflow transition of a progress report, and every refused one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guozi.core.changes import COMMAND, EditConflict
from guozi.core.choices import ChangeAction
from guozi.core.models import ChangeRecord
from guozi.core.testing import org, user
from guozi.supervision.choices import ReportState
from guozi.supervision.models import ProgressReport, ReportingRound, ReportVersion, TargetTask
from guozi.supervision.services import reports as rep
from guozi.supervision.testing import open_q4

pytestmark = pytest.mark.usefixtures("demo_world")


@pytest.fixture
def q4() -> ReportingRound:
    return open_q4(grace_days=0)


def report(round_: ReportingRound, number: int) -> ProgressReport:
    return ProgressReport.objects.get(round=round_, task__number=number)


def write(r: ProgressReport, text: str = "一是……二是……") -> ProgressReport:
    return rep.report_update(
        actor=user("guoziwei"), origin=COMMAND, progressreport=r, data={"progress": text, "version": r.version}
    )


def test_a_new_round_prefills_from_the_last_approved_report(q4: ReportingRound) -> None:
    r = report(q4, 70)
    assert r.state == ReportState.DRAFT
    assert "2025年3月14日" in r.progress  # carried over from the approved Q3 report


def test_the_whole_loop(q4: ReportingRound) -> None:
    r = write(report(q4, 48))
    rep.contribution_create(actor=user("chengfa"), origin=COMMAND, data={"report": r, "text": "城发集团的进展"})
    r = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)
    assert r.state == ReportState.SUBMITTED
    r = rep.report_return(actor=user("ducha"), origin=COMMAND, progressreport=r, reason="请补充数据")
    assert (r.state, r.return_reason) == (ReportState.RETURNED, "请补充数据")
    r = write(r, "一是……二是……三是补充的数据")
    r = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)
    r = rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=r)
    assert r.state == ReportState.APPROVED
    versions = list(r.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["contributions"][0]["unit"] == org("市城发集团").name
    assert "三是补充的数据" in versions[1].content["progress"]
    # The frozen version carries the period's indicator values, computed ones included.
    assert versions[1].content["indicators"]["61项重点改革事项完成率"] == "93.44"
    actions = list(
        ChangeRecord.objects.filter(object_id=str(r.pk), content_type__model="progressreport")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions[-5:] == [
        ChangeAction.SUBMIT,
        ChangeAction.RETURN,
        ChangeAction.UPDATE,
        ChangeAction.SUBMIT,
        ChangeAction.APPROVE,
    ]


@pytest.mark.parametrize("step", ["return", "approve"])
def test_a_draft_cannot_be_reviewed(q4: ReportingRound, step: str) -> None:
    r = write(report(q4, 35))
    if step == "return":
        with pytest.raises(ValidationError):
            rep.report_return(actor=user("ducha"), origin=COMMAND, progressreport=r, reason="x")
    else:
        with pytest.raises(ValidationError):
            rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=r)
    assert report(q4, 35).state == ReportState.DRAFT


def test_an_approved_report_is_frozen() -> None:
    approved = ProgressReport.objects.filter(state=ReportState.APPROVED).first()
    assert approved is not None
    with pytest.raises(ValidationError):
        write(approved, "改写")
    with pytest.raises(ValidationError):
        rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=approved)
    with pytest.raises(ValidationError):
        rep.contribution_create(actor=user("chengfa"), origin=COMMAND, data={"report": approved, "text": "迟到"})
    assert ProgressReport.objects.get(pk=approved.pk).progress == approved.progress


def test_nobody_reviews_their_own_report(q4: ReportingRound) -> None:
    r = write(report(q4, 35))
    r = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)
    with pytest.raises(PermissionDenied):
        rep.report_approve(actor=user("guoziwei"), origin=COMMAND, progressreport=r)  # not the office
    # Even a reviewer cannot approve a report they submitted themselves.
    r.submitted_by = user("ducha")
    r.save()
    with pytest.raises(PermissionDenied):
        rep.report_approve(actor=user("ducha"), origin=COMMAND, progressreport=r)
    assert report(q4, 35).state == ReportState.SUBMITTED


def test_returning_needs_a_reason(q4: ReportingRound) -> None:
    r = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=write(report(q4, 35)))
    with pytest.raises(ValidationError):
        rep.report_return(actor=user("ducha"), origin=COMMAND, progressreport=r, reason="  ")
    assert report(q4, 35).state == ReportState.SUBMITTED


def test_an_empty_report_cannot_be_submitted(q4: ReportingRound) -> None:
    r = write(report(q4, 35), "")
    with pytest.raises(ValidationError):
        rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)


def test_the_second_of_two_concurrent_saves_is_refused(q4: ReportingRound) -> None:
    r = report(q4, 35)
    started_from = r.version
    rep.report_update(
        actor=user("guoziwei"), origin=COMMAND, progressreport=r, data={"progress": "甲的修改", "version": started_from}
    )
    with pytest.raises(EditConflict) as error:
        rep.report_update(
            actor=user("guoziwei"),
            origin=COMMAND,
            progressreport=report(q4, 35),
            data={"progress": "乙的修改", "version": started_from},
        )
    assert "version" in error.value.message_dict
    assert report(q4, 35).progress == "甲的修改"


def test_only_partner_units_contribute(q4: ReportingRound) -> None:
    with pytest.raises(ValidationError):
        # 市城发集团 is not a partner unit of task 35.
        rep.contribution_create(actor=user("chengfa"), origin=COMMAND, data={"report": report(q4, 35), "text": "x"})


def test_enterprises_read_the_tasks_they_take_part_in_but_cannot_submit(q4: ReportingRound) -> None:
    chengfa = user("chengfa")
    visible = set(TargetTask.objects.restrict(chengfa, "view").values_list("number", flat=True))
    assert visible == {48}
    assert not TargetTask.objects.restrict(chengfa, "change").exists()
    with pytest.raises(PermissionDenied):
        rep.report_submit(actor=chengfa, origin=COMMAND, progressreport=write(report(q4, 48)))


def test_submitted_versions_cannot_be_altered_in_the_database(q4: ReportingRound) -> None:
    from django.db import DatabaseError, transaction

    r = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=write(report(q4, 35)))
    version = r.versions.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)


def test_a_section_left_as_last_quarter_needs_confirmation(q4: ReportingRound) -> None:
    r = report(q4, 70)
    assert r.carried_over["progress"] == r.progress  # pre-filled from Q3
    with pytest.raises(ValidationError, match="上季度") as error:
        rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)
    assert "progress" in error.value.message_dict
    r = rep.report_update(
        actor=user("guoziwei"),
        origin=COMMAND,
        progressreport=report(q4, 70),
        data={"unchanged_confirmed": ["progress"], "version": r.version},
    )
    submitted = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=r)
    assert submitted.state == ReportState.SUBMITTED


def test_the_form_offers_the_no_change_box_only_for_carried_sections(q4: ReportingRound) -> None:
    from guozi.core.testing import client_for

    r = report(q4, 70)
    client = client_for("guoziwei")
    form = client.get(f"/supervision/progressreport/{r.pk}/edit/").context["form"]
    assert "progress_unchanged" in form.fields
    assert "problems_unchanged" not in form.fields  # Q3 wrote no problems section
    response = client.post(
        f"/supervision/progressreport/{r.pk}/edit/",
        {"progress": r.progress, "version": r.version, "progress_unchanged": "on"},
    )
    assert response.status_code == 302
    assert report(q4, 70).unchanged_confirmed == ["progress"]


def test_evidence_is_attached_frozen_by_hash_and_kept_to_the_report_scope(q4: ReportingRound) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guozi.core.models import Attachment
    from guozi.core.testing import client_for

    r = write(report(q4, 35))
    lead = client_for("guoziwei")
    pdf = b"%PDF-1.4\n% evidence\n%%EOF\n"
    lead.post(f"/supervision/progressreport/{r.pk}/attach/", {"file": SimpleUploadedFile("会议纪要.pdf", pdf)})
    mine = Attachment.objects.filter(object_id=r.pk, content_type__model="progressreport")
    attachment = mine.get()
    assert (attachment.file_name, attachment.size) == ("会议纪要.pdf", len(pdf))
    # A file whose content is not what its name says is refused.
    lead.post(f"/supervision/progressreport/{r.pk}/attach/", {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")})
    assert mine.count() == 1
    download = lead.get(f"/core/attachment/{attachment.pk}/")
    assert download.content == pdf
    assert download["Content-Type"] == "application/pdf"
    assert client_for("chengfa").get(f"/core/attachment/{attachment.pk}/").status_code == 404
    submitted = rep.report_submit(actor=user("guoziwei"), origin=COMMAND, progressreport=report(q4, 35))
    assert submitted.versions.get().content["attachments"] == [{"file": "会议纪要.pdf", "sha256": attachment.sha256}]
    # Once submitted the evidence is closed.
    lead.post(f"/supervision/progressreport/{r.pk}/attach/", {"file": SimpleUploadedFile("迟交.pdf", pdf)})
    assert mine.count() == 1
