from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guozi.core.changes import EditConflict, Origin
from guozi.core.choices import SecurityLabel
from guozi.core.models import Organization, User
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.reports.builder import ReportsMissing, build_quarterly
from guozi.reports.models import GeneratedReport, content_digest
from guozi.supervision.models import Plan, ReportingRound


def report_generate(*, actor: User, origin: Origin, data: dict[str, Any]) -> GeneratedReport:
    """Generate the quarterly report from the records as they are now, and keep it.

    A quarter with reports not yet approved is refused, naming them, unless ``draft``.
    """
    plan: Plan = data["plan"]
    unit: Organization = data["unit"]
    try:
        document = build_quarterly(
            plan=plan,
            year=data["year"],
            quarter=data["quarter"],
            unit=unit,
            user=actor,
            addressee=data["addressee"],
            published_on=data.get("published_on"),
            index_number=data.get("index_number") or "",
            draft=bool(data.get("draft")),
        )
    except ReportingRound.DoesNotExist as missing:
        raise ValidationError({"quarter": _("No reporting round was opened for that quarter.")}) from missing
    except ReportsMissing as missing:
        raise ValidationError(
            _("Not yet approved: %(tasks)s. Generate a draft, or wait for the approvals.")
            % {"tasks": "、".join(missing.missing)}
        ) from missing
    content = document.to_json()
    return scoped_create(
        actor=actor,
        origin=origin,
        model=GeneratedReport,
        data={
            "plan": plan,
            "year": data["year"],
            "quarter": data["quarter"],
            "unit": unit,
            "title": document.title,
            "content": content,
            "sha256": content_digest(content),
            "findings": len(document.findings),
        },
    )


def report_publish(
    *, actor: User, origin: Origin, generatedreport: GeneratedReport, published_on: date
) -> GeneratedReport:
    """Put a final report on the public page (政务公开). A draft is never published.

    Guarantee: publishing is a compare-and-swap on the report as read (unpublished,
    at its version), so of two people publishing at once one wins and one change
    record is written; once published the row is frozen by a database trigger
    (migration ``reports.0004``).
    """
    if generatedreport.is_draft:
        raise ValidationError(_("A draft cannot be published: generate the report once every section is approved."))
    if generatedreport.published_on is not None:
        raise ValidationError(_("This report is already published."))
    if generatedreport.security_label == SecurityLabel.SENSITIVE:
        raise ValidationError(_("A report labelled sensitive is not published: the security administrator decides."))
    try:
        return scoped_update(actor=actor, origin=origin, instance=generatedreport, data={"published_on": published_on})
    except EditConflict as conflict:
        raise ValidationError(
            _("Someone else published or changed this report meanwhile: reload the page.")
        ) from conflict
