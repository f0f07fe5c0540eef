"""The office approves the Q3 reports once every record their figures name is loaded.

Task 48's report keeps the census totals as the unit typed them (306.9 and 96.17亿元),
which the cross-checks find at odds with the ledgers: findings that need the
reviewer's explanation, given here as the reference report itself explains them.
"""

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.supervision.choices import ReportState
from guozi.supervision.demo import WORK_REPORT
from guozi.supervision.models import ProgressReport
from guozi.supervision.services.reports import cross_checks, report_approve

EXPLANATION = (
    "清理总额含正在清理的在建工程等尚未录入台账的资产；分类数据以台账为准。"
    "“5+4”为“5+5”体系中的产业投资方向，提法沿用原文。"
)


def load() -> None:
    office = User.objects.get(username="ducha")
    submitted = ProgressReport.objects.filter(
        round__plan__name=WORK_REPORT, round__year=2025, round__quarter=3, state=ReportState.SUBMITTED
    ).select_related("task", "round")
    for report in submitted:
        explanation = EXPLANATION if cross_checks(report, office) else ""
        report_approve(
            actor=office, origin=COMMAND, progressreport=report, verified_status="on_track", explanation=explanation
        )
