"""Figures computed from a task's records: progress, status, rates and the problem ledger.

Status follows DESIGN.md: 已完成 / 序时推进 / 滞后 / 未启动, from work items,
milestones and dates, against the time-proportional expectation (序时进度: the
share of the year gone by for an annual target).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from django.db.models import QuerySet

from guozi.core.grouping import under
from guozi.supervision.choices import (
    IndicatorSource,
    ProgressMethod,
    ReportState,
    TaskStatus,
    WorkItemKind,
    WorkItemStatus,
)
from guozi.supervision.models import Indicator, Milestone, Problem, ProgressReport, ReportingRound, TargetTask, WorkItem

HUNDRED = Decimal(100)
STATUS_PERCENT = {
    WorkItemStatus.NOT_STARTED: Decimal(0),
    WorkItemStatus.IN_PROGRESS: Decimal(50),
    WorkItemStatus.DONE: HUNDRED,
}


@dataclass(frozen=True)
class Progress:
    percent: Decimal
    method: str  # a ProgressMethod value: shown beside the figure


class ItemFacts(Protocol):
    """What progress is computed from: a ``WorkItem``, or the row ``tasks_figures`` reads of it."""

    @property
    def pk(self) -> Any: ...
    @property
    def parent_id(self) -> Any: ...
    @property
    def weight(self) -> Decimal: ...
    @property
    def status(self) -> str: ...
    @property
    def done_on(self) -> date | None: ...
    @property
    def progress_method(self) -> str: ...
    @property
    def manual_progress(self) -> Decimal | None: ...


class MilestoneFacts(Protocol):
    @property
    def planned_on(self) -> date: ...
    @property
    def done_on(self) -> date | None: ...


class _Item(NamedTuple):
    pk: int
    task_id: int
    parent_id: int | None
    weight: Decimal
    status: str
    done_on: date | None
    progress_method: str
    manual_progress: Decimal | None


class _Milestone(NamedTuple):
    task_id: int
    planned_on: date
    done_on: date | None


def item_progress(item: ItemFacts, children: Mapping[int | None, Sequence[ItemFacts]], as_of: date) -> Progress:
    """An item's progress by its own method (children read from a pre-built map: no queries)."""
    kids = children.get(item.pk, [])
    done = item.status == WorkItemStatus.DONE and item.done_on is not None and item.done_on <= as_of
    if item.progress_method == ProgressMethod.MANUAL and item.manual_progress is not None:
        return Progress(item.manual_progress, ProgressMethod.MANUAL)
    if item.progress_method == ProgressMethod.CHILDREN and kids:
        finished = sum(1 for k in kids if k.status == WorkItemStatus.DONE and k.done_on and k.done_on <= as_of)
        return Progress(HUNDRED * finished / len(kids), ProgressMethod.CHILDREN)
    if item.progress_method == ProgressMethod.WEIGHTED and kids:
        total = sum((k.weight for k in kids), Decimal(0))
        weighted = sum((k.weight * item_progress(k, children, as_of).percent for k in kids), Decimal(0))
        return Progress(weighted / total, ProgressMethod.WEIGHTED)
    status = (
        WorkItemStatus.DONE
        if done
        else (WorkItemStatus.NOT_STARTED if item.status == WorkItemStatus.NOT_STARTED else WorkItemStatus.IN_PROGRESS)
    )
    return Progress(STATUS_PERCENT[status], ProgressMethod.STATUS)


def expected_share(as_of: date, year: int) -> Decimal:
    """序时进度: months gone by ÷ 12, for an annual target."""
    if as_of.year < year:
        return Decimal(0)
    if as_of.year > year:
        return Decimal(1)
    return Decimal(as_of.month) / 12


@dataclass(frozen=True)
class TaskFigures:
    task: TargetTask
    progress: Progress | None
    status: TaskStatus
    milestones_done: int
    milestones_total: int
    overdue_milestones: int


def task_figures(
    task: TargetTask,
    as_of: date,
    items: Sequence[ItemFacts] | None = None,
    milestones: Sequence[MilestoneFacts] | None = None,
) -> TaskFigures:
    """The task's progress and status on ``as_of``; ``items`` and ``milestones``: the task's, if
    already read (``tasks_figures`` reads them for many tasks at once)."""
    items = list(task.work_items.all()) if items is None else items
    children: dict[int | None, list[ItemFacts]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    tops = children.get(None, [])
    progress = None
    if tops:
        total = sum((t.weight for t in tops), Decimal(0))
        percent = sum((t.weight * item_progress(t, children, as_of).percent for t in tops), Decimal(0)) / total
        progress = Progress(percent, ProgressMethod.WEIGHTED)
    milestones = list(task.milestones.all()) if milestones is None else milestones
    done = [m for m in milestones if m.done_on and m.done_on <= as_of]
    overdue = [m for m in milestones if m.planned_on < as_of and not (m.done_on and m.done_on <= as_of)]
    return TaskFigures(
        task,
        progress,
        _status(task, progress, len(done), len(milestones), len(overdue), as_of),
        len(done),
        len(milestones),
        len(overdue),
    )


def tasks_figures(tasks: QuerySet[TargetTask], as_of: date) -> list[TaskFigures]:
    """``task_figures`` of every task ``tasks`` selects, in three queries for all of them (the
    tasks; work items, milestones: only the fields the figures read). Status is computed for the
    day asked, not stored: 序时进度 moves with the date, with no write to keep a stored status in
    step."""
    listed = list(tasks)
    # The items and milestones of the tasks' own query as a subquery, not of a list of their ids:
    # 200 ids bound one by one cost the dashboard 4.5 ms of CPU (docs/benchmarks.md, seventeenth
    # session). A task added since ``listed`` was read may bring rows: it is not on this page.
    among = tasks.values("pk")
    # Plain rows, not model instances: building 1,800 instances was a third of the page's time.
    keys = [task.pk for task in listed]
    fields = ("pk", "task", "parent", "weight", "status", "done_on", "progress_method", "manual_progress")
    item_rows = WorkItem.objects.filter(task__in=among).order_by("pk").values_list(*fields)
    items = under(keys, map(_Item._make, item_rows), attrgetter("task_id"))
    dates = Milestone.objects.filter(task__in=among).order_by().values_list("task", "planned_on", "done_on")
    milestones = under(keys, map(_Milestone._make, dates), attrgetter("task_id"))
    return [task_figures(task, as_of, items[task.pk], milestones[task.pk]) for task in listed]


def _status(
    task: TargetTask, progress: Progress | None, done: int, total: int, overdue: int, as_of: date
) -> TaskStatus:
    finished = (progress is not None and progress.percent >= HUNDRED) or (progress is None and total and done == total)
    if finished:
        return TaskStatus.DONE
    started = (progress is not None and progress.percent > 0) or done > 0
    if not started:
        return TaskStatus.BEHIND if task.deadline and task.deadline < as_of else TaskStatus.NOT_STARTED
    if overdue or (task.deadline and task.deadline < as_of):
        return TaskStatus.BEHIND
    # Ten points of slack below the time-proportional share before a task counts as behind.
    if (
        progress is not None
        and task.deadline
        and progress.percent / HUNDRED < expected_share(as_of, task.deadline.year) - Decimal("0.1")
    ):
        return TaskStatus.BEHIND
    return TaskStatus.ON_TRACK


@dataclass(frozen=True)
class ReformFigures:
    """ "61项重点改革事项完成率超过93%": reform items of a task and how many are done."""

    total: int
    done: int

    @property
    def rate(self) -> Decimal:
        return (HUNDRED * self.done / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP) if self.total else Decimal(0)


def reform_figures(task: TargetTask, as_of: date) -> ReformFigures:
    items = task.work_items.filter(kind=WorkItemKind.REFORM_ITEM)
    return ReformFigures(
        total=items.count(),
        done=items.filter(status=WorkItemStatus.DONE, done_on__lte=as_of).count(),
    )


def indicator_value(indicator: Indicator, as_of: date) -> Decimal | None:
    """An indicator's value on ``as_of``: computed from records, or the last one entered."""
    if indicator.source == IndicatorSource.DONE_RATE:
        return reform_figures(indicator.task, as_of).rate
    if indicator.source == IndicatorSource.DONE_COUNT:
        return Decimal(reform_figures(indicator.task, as_of).done)
    last = indicator.values.filter(period_end__lte=as_of).order_by("-period_end").first()
    return last.value if last else None


@dataclass(frozen=True)
class ProblemLedger:
    """ "梳理出重难点问题20个，已督办完成15个，剩下5个预计12月底前全面完成"."""

    found: int
    closed: int
    latest_due: date | None

    @property
    def open(self) -> int:
        return self.found - self.closed


def problem_ledger(problems: QuerySet[Problem], as_of: date) -> ProblemLedger:
    found = problems.filter(found_on__lte=as_of)
    closed = found.filter(closed_on__lte=as_of)
    still_open = found.exclude(pk__in=closed.values("pk")).order_by("-due_on").first()
    return ProblemLedger(found.count(), closed.count(), still_open.due_on if still_open else None)


def milestone_timeline(task: TargetTask) -> list[Milestone]:
    return list(task.milestones.order_by("planned_on"))


@dataclass(frozen=True)
class RoundRow:
    task: TargetTask
    report: ProgressReport | None
    figures: TaskFigures
    late: bool


def round_overview(round_: ReportingRound, user: object, as_of: date) -> list[RoundRow]:
    """The office's view of a round: each task in scope with its report and status, late units first."""
    deadline = round_.due_on + timedelta(days=round_.grace_days)
    reports = {r.task_id: r for r in ProgressReport.objects.restrict(user, "view").filter(round=round_)}
    rows = []
    for task in TargetTask.objects.restrict(user, "view").filter(rounds=round_).select_related("lead_unit"):
        report = reports.get(task.pk)
        sent = report is not None and report.state in {ReportState.SUBMITTED, ReportState.APPROVED}
        rows.append(
            RoundRow(
                task, report, task_figures(task, min(as_of, round_.period_end)), late=not sent and as_of > deadline
            )
        )
    return sorted(rows, key=lambda row: (not row.late, row.task.number))
