"""Assembling the quarterly report from approved progress reports and live figures.

One section per target task the unit leads, in task order (一、二、三、), each with
its heading, the task statement and the approved narrative, in which ``{{…}}``
names a figure computed from records (see ``figures.py``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from guozi.core.models import Organization
from guozi.reports import checks, wording
from guozi.reports.document import Block, Figure, Finding, Part, ReportDocument
from guozi.reports.figures import Censuses, LedgerValues, Values, task_values
from guozi.supervision.choices import ReportState
from guozi.supervision.models import Plan, ProgressReport, ReportingRound

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
#: Lines of a narrative that are headings at the official levels (GB/T 9704: 一、 / （一） / 1. / （1）).
HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def title(year: int, quarter: int) -> str:
    return f"关于{year}年市《政府工作报告》主要目标任务{wording.QUARTERS[quarter]}季度落实情况的报告"


def resolve(
    line: str, values: Values, findings: list[Finding], previous: Values | None = None, changes: list[str] | None = None
) -> list[Block]:
    """A narrative line as blocks: figures for ``{{…}}``, a list where a line names one.

    With ``previous`` (the figures at the previous quarter's end), a figure that
    differs carries its previous text, and ``changes`` gets a line for it.
    """
    whole = PLACEHOLDER.fullmatch(line.strip())
    if whole and isinstance(values.get(whole.group(1)), list):
        return list(values[whole.group(1)])  # type: ignore[arg-type]
    parts: list[Part] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        parts.append(line[position : match.start()])
        value = values.get(match.group(1))
        if isinstance(value, Figure):
            before = previous.get(match.group(1)) if previous is not None else None
            if isinstance(before, Figure) and before.text != value.text:
                value = replace(value, previous=before.text)
                if changes is not None:
                    changes.append(f"{match.group(1)}：上季度{before.text}，本季度{value.text}")
            parts.append(value)
        else:
            parts.append(match.group(0))
            findings.append(
                Finding(
                    "unknown-figure",
                    f"叙述中引用了不存在的数据项“{match.group(1)}”。",
                    hard=True,
                    operands={"引用": match.group(1)},
                )
            )
        position = match.end()
    parts.append(line[position:])
    level = 2 if HEADING_2.match(line) else 0
    return [Block([p for p in parts if p != ""], level)]


class ReportsMissing(Exception):
    """Tasks of the round whose reports are not approved yet: the report cannot be final."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("、".join(missing))
        self.missing = missing


def build_quarterly(
    *,
    plan: Plan,
    year: int,
    quarter: int,
    unit: Organization,
    user: Any,
    addressee: str,
    published_on: date | None = None,
    index_number: str = "",
    draft: bool = False,
) -> ReportDocument:
    """The report from the round's approved reports; with ``draft``, from whatever is written, stamped 草稿.

    Raises :class:`ReportsMissing`, naming the tasks, when a report is not approved and
    ``draft`` is not asked for.
    """
    round_ = ReportingRound.objects.get(plan=plan, year=year, quarter=quarter)
    as_of = round_.period_end
    reports = list(
        ProgressReport.objects.restrict(user, "view")
        .filter(round=round_, task__lead_unit=unit)
        .select_related("task")
        .order_by("task__number")
    )
    missing = [f"{r.task}（{r.get_state_display()}）" for r in reports if r.state != ReportState.APPROVED]
    if missing and not draft:
        raise ReportsMissing(missing)
    # The previous quarter's end: the day before this quarter began.
    previous_as_of = date(year, 3 * (quarter - 1) + 1, 1) - timedelta(days=1)
    findings: list[Finding] = []
    changes: list[str] = []
    sections = []
    censuses: Censuses = {}
    # Every enterprise the narratives name, read together (a province's report names hundreds).
    named = (match.group(1).split(".") for r in reports for match in PLACEHOLDER.finditer(r.progress))
    LedgerValues(user, as_of, censuses).prefetch(parts[1] for parts in named if len(parts) == 3 and parts[0] == "三资")
    for number, report in enumerate(reports, start=1):
        task = report.task
        values = task_values(task, as_of, user, censuses)
        previous = task_values(task, previous_as_of, user, censuses)
        blocks = [
            Block([f"{wording.chinese_number(number)}、{task.heading or task.text}"], level=1),
            Block([f"目标任务{task.number}.{task.text}"]),
        ]
        for line in report.progress.splitlines():
            if line.strip():
                blocks += resolve(line, values, findings, previous, changes)
        sections.append(blocks)
    document = ReportDocument(
        title=title(year, quarter) + ("（草稿）" if missing else ""),
        meta={
            "索引号": index_number,
            "文号": "无",
            "主题分类": "政务公开;国有资产监管",
            "发文单位": unit.name,
            "发布日期": f"{published_on:%Y年%m月%d日}" if published_on else "",
            "有效性": "有效",
            "截至日期": f"{as_of:%Y年%m月%d日}",
        },
        addressee=f"{addressee}：",
        opening=(
            f"按照督办要求，{unit.name}对{year}年市《政府工作报告》主要目标任务{wording.QUARTERS[quarter]}季度"
            "落实情况进行梳理汇总。现报告如下："
        ),
        sections=sections,
        changes=changes,
    )
    document.findings = findings + checks.run(document, LedgerValues(user, as_of, censuses))
    return document
