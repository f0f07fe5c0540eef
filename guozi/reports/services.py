from typing import Any

from guozi.core.changes import Origin
from guozi.core.models import Organization, User
from guozi.core.services.generic import scoped_create
from guozi.reports.builder import build_quarterly
from guozi.reports.models import GeneratedReport, content_digest
from guozi.supervision.models import Plan


def report_generate(*, actor: User, origin: Origin, data: dict[str, Any]) -> GeneratedReport:
    """Generate the quarterly report from the records as they are now, and keep it."""
    plan: Plan = data["plan"]
    unit: Organization = data["unit"]
    document = build_quarterly(
        plan=plan,
        year=data["year"],
        quarter=data["quarter"],
        unit=unit,
        user=actor,
        addressee=data["addressee"],
        published_on=data.get("published_on"),
    )
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
