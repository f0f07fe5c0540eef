"""The figures a task's narrative may name, computed from records at generation time.

A narrative writes ``{{基金.总规模}}`` where the reference report typed "44亿元";
a line holding only ``{{基金.清单}}`` becomes the list of funds. Every figure keeps
what it is and a link to the records behind it (provenance in the preview).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from guozi.funds.models import Fund
from guozi.funds.selectors import fund_states, fund_totals
from guozi.reports import wording
from guozi.reports.document import Block, Figure, Part
from guozi.supervision.models import Indicator, Problem, TargetTask
from guozi.supervision.selectors import problem_ledger, reform_figures

Values = dict[str, Figure | list[Block]]


def _url(name: str, **params: Any) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def fund_values(task: TargetTask, as_of: date, user: Any) -> Values:
    funds = Fund.objects.restrict(user, "view").filter(target_task=task)
    states = fund_states(funds, as_of)
    if not states:
        return {}
    totals = fund_totals(states)
    list_url = _url("funds:fund_list", as_of=as_of.isoformat())
    items: list[Block] = []
    for number, state in enumerate(states, start=1):
        fund = state.fund
        parts: list[Part] = [
            f"{number}.",
            fund.name,
            "（",
            Figure(wording.money(fund.target_size), f"{fund.name}的目标规模", fund.get_absolute_url()),
            f"，{fund.get_kind_display()}）",
        ]
        if fund.note:
            parts.append(f"，{fund.note.rstrip('。')}")
        if state.current is not None:
            stage = state.current.get_stage_display()
            note = f"（{state.current.note}）" if state.current.note else ""
            parts.append(f"，目前处于{stage}阶段{note}")
        waiting = "、".join(g.text for g in state.waiting_on)
        parts.append(f"，待{waiting}后推进下一步工作。" if waiting else "。")
        items.append(Block(parts))
    return {
        "基金.总规模": Figure(wording.money(totals.total_size), f"{totals.count}支基金目标规模之和", list_url),
        "基金.支数": Figure(str(totals.count), "目标任务关联的基金支数", list_url),
        "基金.认缴": Figure(wording.money(totals.committed), "各出资人认缴之和", list_url),
        "基金.实缴": Figure(wording.money(totals.paid_in), f"截至{as_of:%Y年%m月%d日}实缴之和", list_url),
        "基金.清单": items,
    }


def supervision_values(task: TargetTask, as_of: date, user: Any) -> Values:
    values: Values = {}
    reform = reform_figures(task, as_of)
    items_url = _url("supervision:workitem_list", task=task.pk)
    if reform.total:
        values["改革事项.总数"] = Figure(str(reform.total), "任务下改革事项数", items_url)
        values["改革事项.完成数"] = Figure(str(reform.done), f"截至{as_of:%m月%d日}已完成的改革事项数", items_url)
        values["改革事项.完成率"] = Figure(
            wording.rate(reform.rate), f"{reform.done}÷{reform.total}={reform.rate}%", items_url
        )
    indicators = Indicator.objects.restrict(user, "view").filter(task=task).count()
    if indicators:
        values["量化指标.总数"] = Figure(
            str(indicators), "任务下量化指标数", _url("supervision:indicator_list", task=task.pk)
        )
    problems = Problem.objects.restrict(user, "view").filter(task=task)
    ledger = problem_ledger(problems, as_of)
    if ledger.found:
        problems_url = _url("supervision:problem_list", task=task.pk)
        values["问题.梳理数"] = Figure(str(ledger.found), "重难点问题台账条数", problems_url)
        values["问题.已完成"] = Figure(str(ledger.closed), "已销号的问题数", problems_url)
        values["问题.剩余"] = Figure(str(ledger.open), "未销号的问题数", problems_url)
        if ledger.latest_due:
            values["问题.预计完成"] = Figure(
                f"{ledger.latest_due.month}月底前", "剩余问题中最晚的完成时限", problems_url
            )
    return values


def task_values(task: TargetTask, as_of: date, user: Any) -> Values:
    return {**fund_values(task, as_of, user), **supervision_values(task, as_of, user)}
