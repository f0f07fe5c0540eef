"""Helpers for supervision tests: a fourth-quarter round opened on the demo's tasks."""

from datetime import date

from guozi.core.changes import COMMAND
from guozi.core.testing import user
from guozi.supervision.demo import WORK_REPORT
from guozi.supervision.models import Plan, ReportingRound, TargetTask
from guozi.supervision.services.reports import round_open


def open_q4(*, due_on: date = date(2026, 1, 10), grace_days: int = 3) -> ReportingRound:
    """The office opens Q4 2025 for tasks 35, 48 and 70: drafts pre-filled from Q3."""
    plan = Plan.objects.get(name=WORK_REPORT)
    return round_open(
        actor=user("ducha"),
        origin=COMMAND,
        data={
            "plan": plan,
            "year": 2025,
            "quarter": 4,
            "period_end": date(2025, 12, 31),
            "due_on": due_on,
            "grace_days": grace_days,
            "tasks": list(TargetTask.objects.filter(plan=plan)),
        },
    )
