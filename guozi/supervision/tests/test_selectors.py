"""Figures the reference report states for tasks 48 and 70, computed from the demo's records."""

from datetime import date
from decimal import Decimal

import pytest

from guozi.core.changes import COMMAND
from guozi.core.testing import org, user
from guozi.supervision.choices import IndicatorSource, TaskStatus, WorkItemStatus
from guozi.supervision.models import Indicator, Problem, TargetTask
from guozi.supervision.selectors import (
    expected_share,
    indicator_value,
    problem_ledger,
    reform_figures,
    task_figures,
)
from guozi.supervision.services import decomposition as dec

pytestmark = pytest.mark.usefixtures("demo_world")
Q3 = date(2025, 9, 30)


def task(number: int) -> TargetTask:
    return TargetTask.objects.get(plan__name="2025年市政府工作报告", number=number)


def test_61_reform_items_done_rate_above_93_percent() -> None:
    figures = reform_figures(task(48), Q3)
    assert (figures.total, figures.done) == (61, 57)
    assert figures.rate == Decimal("93.44")  # "完成率超过93%"
    rate = Indicator.objects.get(task=task(48), source=IndicatorSource.DONE_RATE)
    assert indicator_value(rate, Q3) == Decimal("93.44")


def test_138_indicators() -> None:
    assert Indicator.objects.filter(task=task(48)).count() == 138


def test_problem_ledger_sentence() -> None:
    ledger = problem_ledger(Problem.objects.filter(task=task(48)), Q3)
    # "梳理出重难点问题20个，已督办完成15个，剩下5个预计12月底前全面完成"
    assert (ledger.found, ledger.closed, ledger.open) == (20, 15, 5)
    assert ledger.latest_due == date(2025, 12, 31)
    # Before the closures on 9-20, none was closed.
    assert problem_ledger(Problem.objects.filter(task=task(48)), date(2025, 9, 1)).closed == 0


def test_task_70_timeline() -> None:
    figures = task_figures(task(70), Q3)
    assert (figures.milestones_done, figures.milestones_total, figures.overdue_milestones) == (4, 5, 0)
    dates = [m.planned_on for m in task(70).milestones.order_by("planned_on")][:4]
    assert dates == [date(2025, 3, 14), date(2025, 4, 15), date(2025, 8, 12), date(2025, 9, 15)]


def test_expected_share_is_months_gone_by() -> None:
    assert expected_share(date(2025, 9, 30), 2025) == Decimal(9) / 12
    assert expected_share(date(2024, 12, 1), 2025) == 0
    assert expected_share(date(2026, 1, 1), 2025) == 1


def test_status_rules_on_a_frozen_clock() -> None:
    t = task(48)
    # 57 of 61 done by September: well ahead of the 75% the calendar asks for.
    assert task_figures(t, Q3).status == TaskStatus.ON_TRACK
    # A task with neither work items nor milestones has not started.
    assert task_figures(task(35), Q3).status == TaskStatus.NOT_STARTED
    # Past the deadline and unfinished: behind.
    assert task_figures(t, date(2026, 1, 5)).status == TaskStatus.BEHIND
    # Task 70: a milestone past due and not done makes it behind.
    assert task_figures(task(70), Q3).status == TaskStatus.ON_TRACK
    assert task_figures(task(70), date(2026, 1, 2)).status == TaskStatus.BEHIND


def test_a_task_lagging_the_calendar_is_behind() -> None:
    t = task(35)
    for n in range(10):
        dec.work_item_create(
            actor=user("guoziwei"),
            origin=COMMAND,
            data={
                "task": t,
                "title": f"事项{n}",
                "owner_unit": t.lead_unit,
                "status": WorkItemStatus.DONE if n == 0 else WorkItemStatus.IN_PROGRESS,
                "done_on": date(2025, 2, 1) if n == 0 else None,
            },
        )
    # In progress items count half: (100 + 9 × 50) / 10 = 55%.
    assert task_figures(t, date(2025, 6, 30)).status == TaskStatus.ON_TRACK  # 55% against 50%
    assert task_figures(t, date(2025, 9, 30)).status == TaskStatus.BEHIND  # 55% against 75% − 10 points
    assert task_figures(t, date(2025, 9, 30)).progress.percent == 55  # type: ignore[union-attr]


def test_a_task_is_done_when_every_item_is() -> None:
    t = task(48)
    for item in t.work_items.exclude(status=WorkItemStatus.DONE):
        dec.work_item_update(
            actor=user("guoziwei"),
            origin=COMMAND,
            workitem=item,
            data={"status": WorkItemStatus.DONE, "done_on": date(2025, 10, 20)},
        )
    assert task_figures(t, date(2025, 10, 31)).status == TaskStatus.DONE
    assert reform_figures(t, date(2025, 10, 31)).rate == 100


def test_manual_progress_needs_a_reason() -> None:
    from django.core.exceptions import ValidationError

    item = task(48).work_items.first()
    assert item is not None
    with pytest.raises(ValidationError):
        dec.work_item_update(
            actor=user("guoziwei"),
            origin=COMMAND,
            workitem=item,
            data={"progress_method": "manual", "manual_progress": Decimal(80)},
        )


def test_only_the_office_closes_a_problem() -> None:
    from django.core.exceptions import ValidationError

    open_problem = Problem.objects.filter(task=task(48), closed_on__isnull=True).first()
    assert open_problem is not None
    dec.problem_update(
        actor=user("guoziwei"),
        origin=COMMAND,
        problem=open_problem,
        data={"resolution": "已解决", "resolved_on": date(2025, 10, 1)},
    )
    with pytest.raises(ValidationError):
        dec.problem_update(
            actor=user("guoziwei"), origin=COMMAND, problem=open_problem, data={"closed_on": date(2025, 10, 2)}
        )
    dec.problem_update(actor=user("ducha"), origin=COMMAND, problem=open_problem, data={"closed_on": date(2025, 10, 2)})
    assert problem_ledger(Problem.objects.filter(task=task(48)), date(2025, 10, 31)).closed == 16
    assert org("国资委") == task(48).lead_unit
