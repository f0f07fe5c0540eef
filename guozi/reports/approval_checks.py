"""The cross-checks of one progress report, for its review (found by supervision through core.registry).

Supervision cannot import the report generator (it is the other way round), so it
asks every app's ``approval_checks`` module; this one runs the report's rules on
the narrative as the report would print it, figures resolved.
"""

from __future__ import annotations

from typing import Any

from guozi.reports import checks
from guozi.reports.builder import resolve
from guozi.reports.document import Block, Finding, ReportDocument
from guozi.reports.figures import LedgerValues, task_values


def check(report: Any, user: Any) -> list[Finding]:
    values = task_values(report.task, report.round.period_end, user)
    findings: list[Finding] = []
    blocks: list[Block] = []
    for line in report.progress.splitlines():
        if line.strip():
            blocks += resolve(line, values, findings)
    document = ReportDocument(title="", meta={}, addressee="", opening="", sections=[blocks])
    return findings + checks.run(document, LedgerValues(user, report.round.period_end))
