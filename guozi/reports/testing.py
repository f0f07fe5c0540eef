"""For tests: the demo's quarterly report, generated as the SASAC's reporter would."""

from __future__ import annotations

from typing import Any

from guozi.core.changes import COMMAND
from guozi.core.testing import org, user
from guozi.reports.models import GeneratedReport
from guozi.reports.services import report_generate
from guozi.supervision.models import Plan


def demo_report(**data: Any) -> GeneratedReport:
    """The 2025 Q3 report of the demo plan, by guoziwei for 国资委; ``data`` adds or overrides fields."""
    return report_generate(
        actor=user("guoziwei"),
        origin=COMMAND,
        data={
            "plan": Plan.objects.get(name="2025年市政府工作报告"),
            "year": 2025,
            "quarter": 3,
            "unit": org("国资委"),
            "addressee": "市政府政务督查室",
            **data,
        },
    )
