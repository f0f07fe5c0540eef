"""Reporting rounds and the progress-report workflow: draft → submitted → returned → approved.

Each step is a service with its own change-log action (submit, return, approve).
Illegal steps are refused with a message and change nothing.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core.changes import EditConflict, Origin, claim_version, record_change, snapshot
from guozi.core.choices import ChangeAction
from guozi.core.models import User
from guozi.core.registry import app_modules
from guozi.core.services.access import ensure_in_scope
from guozi.core.services.attachments import attachments_of
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.supervision.choices import ReportState
from guozi.supervision.models import ProgressReport, ReportContribution, ReportingRound, ReportVersion, TargetTask
from guozi.supervision.selectors import indicator_value

REVIEW = "supervision.review_progressreport"
#: Sections that carry over from the last approved report when a round opens.
SECTIONS = ("progress", "problems", "next_steps")


def round_open(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> ReportingRound:
    """Open a round and give each task in it a draft, pre-filled from its last approved report."""
    with transaction.atomic():
        round_ = scoped_create(actor=actor, origin=origin, model=ReportingRound, data=data)
        tasks: Iterable[TargetTask] = data.get("tasks", [])
        for task in tasks:
            previous = (
                ProgressReport.objects.filter(task=task, state=ReportState.APPROVED)
                .order_by("-round__year", "-round__quarter")
                .first()
            )
            carried = {name: getattr(previous, name) for name in SECTIONS} if previous else {}
            report = ProgressReport(round=round_, task=task, carried_over=carried, **carried)
            report.full_clean()
            report.save()
            record_change(
                actor=actor,
                origin=origin,
                action=ChangeAction.CREATE,
                instance=report,
                before=None,
                after=snapshot(report),
            )
    return round_


def report_update(
    *, actor: User, origin: Origin, progressreport: ProgressReport, data: Mapping[str, Any]
) -> ProgressReport:
    """Save the lead unit's text while the report is open.

    ``data["version"]`` is the version the editor started from (else the version of
    ``progressreport`` as read): a save after someone else's is refused
    (``core.changes.EditConflict``), as is one after the report was submitted, which
    moves the version on too.
    """
    with transaction.atomic():
        current = ProgressReport.objects.get(pk=progressreport.pk)
        if not current.editable:
            raise ValidationError(_("A %(state)s report cannot be edited.") % {"state": current.get_state_display()})
        return scoped_update(
            actor=actor, origin=origin, instance=current, data={"version": progressreport.version, **data}
        )


def contribution_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> ReportContribution:
    """A partner unit's section; only a partner unit of the task, only while the report is open."""
    report: ProgressReport = data["report"]
    unit = data.get("unit") or actor.organization
    if not report.task.partner_units.filter(pk=getattr(unit, "pk", None)).exists():
        raise ValidationError({"report": _("Only a partner unit of the task contributes a section.")})
    if not report.editable:
        raise ValidationError({"report": _("The report is no longer open for contributions.")})
    return scoped_create(
        actor=actor, origin=origin, model=ReportContribution, data={**data, "unit": unit, "author": actor}
    )


def contribution_update(
    *, actor: User, origin: Origin, reportcontribution: ReportContribution, data: Mapping[str, Any]
) -> ReportContribution:
    if not reportcontribution.report.editable:
        raise ValidationError(_("The report is no longer open for contributions."))
    return scoped_update(actor=actor, origin=origin, instance=reportcontribution, data={**data, "author": actor})


def version_digest(content: dict[str, Any]) -> str:
    """The SHA-256 a submitted version carries: of its canonical JSON (``core.integrity`` recomputes it)."""
    return hashlib.sha256(json.dumps(content, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()


def _content(report: ProgressReport) -> dict[str, Any]:
    period_end = report.round.period_end
    indicators = report.task.indicators.all()
    return {
        "indicators": {
            indicator.name: str(value)
            for indicator in indicators
            if (value := indicator_value(indicator, period_end)) is not None
        },
        "task": report.task.number,
        "round": str(report.round),
        **{name: getattr(report, name) for name in SECTIONS},
        "self_status": report.self_status,
        "attachments": [{"file": a.file_name, "sha256": a.sha256} for a in attachments_of(report)],
        "contributions": [
            {"unit": c.unit.name, "author": c.author.get_username(), "text": c.text}
            for c in report.contributions.select_related("unit", "author").order_by("unit__name")
        ],
    }


def _transition(
    actor: User, origin: Origin, report: ProgressReport, action: ChangeAction, changes: dict[str, Any]
) -> ProgressReport:
    """One workflow step on ``report`` as the actor read it: state and version compare-and-swap.

    Guarantee: the step is written only if the row is still in the state and at the
    version the checks were made on. Of two reviewers approving at once exactly one
    wins; the other changes nothing and records nothing (SECURITY.md 4.2, REL-LOCK-01).
    """
    before = snapshot(report)
    seen_state, seen_version = report.state, report.version
    for name, value in changes.items():
        setattr(report, name, value)
    report.full_clean()
    try:
        claim_version(report, seen_version, state=seen_state)
    except EditConflict as conflict:
        now = ProgressReport.objects.get(pk=report.pk)
        raise ValidationError(
            _(
                "Someone else acted on this report meanwhile (it is now %(state)s, version %(version)s): "
                "nothing was done. Reload the page."
            )
            % {"state": now.get_state_display(), "version": now.version},
            code="conflict",
        ) from conflict
    report.save()
    record_change(actor=actor, origin=origin, action=action, instance=report, before=before, after=snapshot(report))
    return report


def _check_carried_over(report: ProgressReport) -> None:
    """A section still as pre-filled from last quarter needs the unit's word that nothing changed."""
    stale = {
        name: _("This section is as it was last quarter: change it, or confirm there is no change.")
        for name, text in report.carried_over.items()
        if text and getattr(report, name) == text and name not in report.unchanged_confirmed
    }
    if stale:
        raise ValidationError(stale)


def report_submit(*, actor: User, origin: Origin, progressreport: ProgressReport) -> ProgressReport:
    """Lead unit sends the consolidated report; a frozen, hashed version is kept."""
    ensure_in_scope(actor, progressreport, "change")
    with transaction.atomic():
        report = progressreport
        if not report.editable:
            raise ValidationError(_("Only a draft or returned report can be submitted."))
        if not report.progress.strip():
            raise ValidationError({"progress": _("Write the progress section before submitting.")})
        _check_carried_over(report)
        content = _content(report)
        ReportVersion.objects.create(
            report=report,
            number=report.versions.count() + 1,
            content=content,
            sha256=version_digest(content),
            submitted_by=actor,
        )
        return _transition(
            actor,
            origin,
            report,
            ChangeAction.SUBMIT,
            {
                "state": ReportState.SUBMITTED,
                "submitted_by": actor,
                "submitted_at": timezone.now(),
                "return_reason": "",
            },
        )


def _check_reviewer(actor: User, report: ProgressReport) -> None:
    if not actor.has_perm(REVIEW):
        raise PermissionDenied(_("Only the supervision office reviews reports."))
    if report.submitted_by_id == actor.pk:
        # Segregation of duties (ASVS 5.0 §8.1.2): nobody approves their own report.
        raise PermissionDenied(_("You cannot review a report you submitted."))


def report_return(*, actor: User, origin: Origin, progressreport: ProgressReport, reason: str) -> ProgressReport:
    with transaction.atomic():
        report = progressreport
        _check_reviewer(actor, report)
        if report.state != ReportState.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be returned."))
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the report goes back.")})
        return _transition(
            actor,
            origin,
            report,
            ChangeAction.RETURN,
            {
                "state": ReportState.RETURNED,
                "return_reason": reason.strip(),
                "reviewed_by": actor,
                "reviewed_at": timezone.now(),
            },
        )


def cross_checks(report: ProgressReport, user: User) -> list[Any]:
    """The findings other apps raise on a report (the report generator's 勾稽关系), via core.registry."""
    return [finding for module in app_modules("approval_checks") for finding in module.check(report, user)]


def report_approve(
    *,
    actor: User,
    origin: Origin,
    progressreport: ProgressReport,
    verified_status: str = "",
    explanation: str = "",
) -> ProgressReport:
    """Approve a submitted report. Hard cross-check findings block it; soft ones need ``explanation``."""
    with transaction.atomic():
        report = progressreport
        _check_reviewer(actor, report)
        if report.state != ReportState.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be approved."))
        findings = cross_checks(report, actor)
        hard = [f.message for f in findings if f.hard]
        if hard:
            raise ValidationError(
                _("Fix these first (return the report): %(findings)s") % {"findings": "；".join(hard)}
            )
        if any(not f.hard for f in findings) and not explanation.strip():
            raise ValidationError(
                {
                    "explanation": _("Explain why these are acceptable: %(findings)s")
                    % {"findings": "；".join(f.message for f in findings)}
                }
            )
        return _transition(
            actor,
            origin,
            report,
            ChangeAction.APPROVE,
            {
                "state": ReportState.APPROVED,
                "reviewed_by": actor,
                "reviewed_at": timezone.now(),
                "verified_status": verified_status or report.self_status,
                "review_note": explanation.strip(),
            },
        )
