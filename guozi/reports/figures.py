"""The figures a task's narrative may name, computed from records at generation time.

A narrative writes ``{{基金.总规模}}`` where the reference report typed "44亿元";
a line holding only ``{{基金.清单}}`` becomes the list of funds. Every figure keeps
what it is and a link to the records behind it (provenance in the preview).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guozi.assets.models import FinancialSnapshot, Revitalization
from guozi.assets.selectors import census, census_rows, compare, revitalized, year_bounds
from guozi.assets.selectors import censuses as read_censuses
from guozi.core.models import Organization
from guozi.core.money import format_percent, plain
from guozi.funds.models import Fund
from guozi.funds.selectors import fund_states, fund_totals
from guozi.reports import wording
from guozi.reports.document import Block, Figure, Part
from guozi.supervision.models import Indicator, Problem, TargetTask
from guozi.supervision.selectors import problem_ledger, reform_figures

Values = dict[str, Figure | list[Block]]


#: How the report names the four packages 用、售、租、融.
PACKAGE_WORDS = {"self_use": "自用", "sale": "出售", "lease": "租赁", "financing": "融资"}


@dataclass
class NamedCensus:
    """An enterprise named in a report, its census and the figures written from it.

    A figure is written the first time a narrative names it and kept here: the census is the
    ledger as it stands, so this quarter's ``{{三资.X.清理总额}}`` and the previous quarter's are
    the same figure, and a 200-task report names each enterprise's figures in both.
    """

    enterprise: Organization | None
    found: Any
    url: str = ""
    figures: dict[str, Figure] = field(default_factory=dict)

    def figure(self, metric: str) -> Figure | None:
        if metric not in self.figures:
            written = census_metric(self.enterprise, self.found, metric)
            if written is None:
                return None
            self.figures[metric] = Figure(*written, self.url)
        return self.figures[metric]


#: The census figures a narrative names besides the classes and packages: how each is read
#: from the census, whether it is money (else a count), and what it is.
CENSUS_FIGURES: dict[str, tuple[Callable[[Any], Any], bool, str]] = {
    "清理总额": (lambda found: found.total.value, True, "{enterprise}台账账面价值合计"),
    "低效资产数": (lambda found: found.inefficient.count, False, "使用状态为低效的资产项数"),
    "低效资产价值": (lambda found: found.inefficient.value, True, "低效资产账面价值合计"),
    "闲置资产数": (lambda found: found.idle.count, False, "使用状态为闲置的资产项数"),
    "闲置资产价值": (lambda found: found.idle.value, True, "闲置资产账面价值合计"),
    "需办证": (lambda found: found.certificates_needed, False, "需要办理权证的资产项数"),
    "已办证": (lambda found: found.certificates_done, False, "已办理权证的资产项数"),
}


def census_metric(enterprise: Any, found: Any, metric: str) -> tuple[str, str] | None:
    """A census figure's text and what it is: ``清理总额``, ``低效资产数`` …, a top-level class
    (``资金``), a package's ``自用包数`` or ``自用包价值``; None for a name that is none of them.

    Written only when named: an enterprise has some 25 figures, a narrative names a few.
    """
    for package, word in PACKAGE_WORDS.items():
        if metric in (f"{word}包数", f"{word}包价值"):
            figure = dict(found.packages)[package]
            if metric == f"{word}包数":
                return str(figure.count), f"纳入{word}包的资产项数"
            return wording.money(figure.value), f"纳入{word}包的资产账面价值"
    for category, figure in found.by_category:
        if category.name == metric:
            return wording.money(figure.value), f"{category.name}类资产账面价值合计"
    if metric not in CENSUS_FIGURES:
        return None
    read, money, explanation = CENSUS_FIGURES[metric]
    value = read(found)
    return (wording.money(value) if money else str(value)), explanation.format(enterprise=enterprise.short_name)


#: An enterprise's name → its census: shared by every task's figures of one report, for a
#: census is read and written out once per enterprise, not once per figure and quarter.
Censuses = dict[str, NamedCensus]


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


def task_values(task: TargetTask, as_of: date, user: Any, censuses: Censuses | None = None) -> Values:
    return TaskValues(task, user, as_of, censuses)


class LedgerValues(dict[str, Figure | list[Block]]):
    """``{{三资.市城发集团.清理总额}}`` and the like: an enterprise's census, computed when named.

    Metrics: 清理总额, each top-level class (资金, 债权, 实物资产 …), 低效资产数/价值, 闲置资产数/价值,
    自用包数/价值 (and 出售、租赁、融资), 需办证, 已办证; for the year up to the report's day
    盘活项数, 盘活价值, 变现金额; and from the financial snapshots 总资产 and 融资成本率 on the
    report's day, on another day (``总资产@2024-06-30``) or their change since it
    (``总资产变化@2024-06-30``, ``融资成本率变化@2024-06-30`` in 个百分点).
    """

    def __init__(self, user: Any, as_of: date | None = None, censuses: Censuses | None = None) -> None:
        super().__init__()
        self.user = user
        self.as_of = as_of or timezone.localdate()
        # The census is the ledger as it stands (the rollup has no history), so the same
        # for every day asked: one report's figures for this and the previous quarter share it.
        self.censuses: Censuses = {} if censuses is None else censuses
        self._census_page: str | None = None

    def prefetch(self, names: Iterable[str]) -> None:
        """Read the censuses of every enterprise ``names`` names in a few queries, not one each.

        A name matching no visible enterprise is known absent; one matching two (a short
        name of one, the full name of another) is left to ``census_of``, which decides as
        it always has.
        """
        wanted = set(names) - set(self.censuses)
        if not wanted:
            return
        matches: dict[str, list[Organization]] = {name: [] for name in wanted}
        visible = Organization.objects.restrict(self.user, "view")
        for enterprise in visible.filter(Q(short_name__in=wanted) | Q(name__in=wanted)):
            for name in {enterprise.short_name, enterprise.name} & wanted:
                matches[name].append(enterprise)
        named = {name: found[0] for name, found in matches.items() if len(found) == 1}
        found = read_censuses(self.user, list({e.pk: e for e in named.values()}.values()))
        for name, enterprises in matches.items():
            if not enterprises:
                self.censuses[name] = NamedCensus(None, None)
        for name, enterprise in named.items():
            self.censuses[name] = self._entry(enterprise, found[enterprise.pk])

    def census_of(self, name: str) -> tuple[Organization | None, Any]:
        entry = self._census(name)
        return entry.enterprise, entry.found

    def _census(self, name: str) -> NamedCensus:
        if name not in self.censuses:
            visible = Organization.objects.restrict(self.user, "view")
            enterprise = visible.filter(Q(short_name=name) | Q(name=name)).first()
            if enterprise is None:
                self.censuses[name] = NamedCensus(None, None)
            else:
                # From the summary's subtree rollup, not by grouping the ledger: the same figures to the 分.
                self.censuses[name] = self._entry(enterprise, census(census_rows(self.user, enterprise)))
        return self.censuses[name]

    def _entry(self, enterprise: Organization, found: Any) -> NamedCensus:
        # The census page's address reversed once, not once per enterprise named (200 in a report).
        if self._census_page is None:
            self._census_page = reverse("assets:census")
        return NamedCensus(enterprise, found, f"{self._census_page}?{urlencode({'enterprise': enterprise.pk})}")

    def __missing__(self, key: str) -> Figure | list[Block]:
        parts = key.split(".")
        if len(parts) != 3 or parts[0] != "三资":
            raise KeyError(key)
        entry = self._census(parts[1])
        enterprise = entry.enterprise
        if enterprise is None:
            raise KeyError(key)
        metric, _at, since = parts[2].partition("@")
        value: Figure | None
        if metric in {"盘活项数", "盘活价值", "变现金额"}:
            # Of the year up to the report's day: not the census's, and not the same for both quarters.
            start, _end = year_bounds(self.as_of.year)
            events = Revitalization.objects.restrict(self.user, "view")
            done = revitalized(enterprise, start, self.as_of, events=events)
            period = f"{self.as_of.year}年截至{self.as_of:%m月%d日}"
            written = {
                "盘活项数": (str(done.count), f"{period}盘活事项数"),
                "盘活价值": (wording.money(done.value), f"{period}盘活资产价值合计"),
                "变现金额": (wording.money(done.cash), f"{period}变现金额合计"),
            }[metric]
            value = Figure(*written, _url("assets:revitalization_list"))
        elif metric in {"总资产", "融资成本率", "总资产变化", "融资成本率变化"}:
            finance = self._finance(enterprise, metric, since)
            value = Figure(*finance[metric], _url("assets:finance", enterprise=enterprise.pk)) if finance else None
        else:
            # A census figure; ``清理总额@2024-06-30`` is the census too (the rollup has no history).
            value = entry.figure(parts[2]) or entry.figure(metric)
        if value is None:
            raise KeyError(key)
        self[key] = value
        return value

    def _finance(self, enterprise: Organization, metric: str, since: str) -> dict[str, tuple[str, str]]:
        snapshots = FinancialSnapshot.objects.restrict(self.user, "view")
        day = date.fromisoformat(since) if since else self.as_of
        comparison = compare(enterprise, day, self.as_of, snapshots=snapshots)
        assets, rate = comparison.figure("total_assets"), comparison.figure("financing_cost_rate")
        if metric == "总资产变化" and assets.change is not None:
            return {metric: (wording.money(abs(assets.change)), f"{day:%Y-%m-%d}至{self.as_of:%Y-%m-%d}总资产变化")}
        if metric == "融资成本率变化" and rate.change is not None:
            return {
                metric: (f"{plain(abs(rate.change))}个百分点", f"{day:%Y-%m-%d}至{self.as_of:%Y-%m-%d}融资成本率变化")
            }
        on_day = assets.before if since else assets.after
        rate_on_day = rate.before if since else rate.after
        if metric == "总资产" and on_day is not None:
            return {metric: (wording.money(on_day), f"{day:%Y-%m-%d}财务快报总资产")}
        if metric == "融资成本率" and rate_on_day is not None:
            return {metric: (format_percent(rate_on_day), f"{day:%Y-%m-%d}财务快报融资成本率")}
        return {}

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


class TaskValues(LedgerValues):
    """A task's figures: its funds' and its supervision records', and every enterprise's census.

    Each group is computed the first time the narrative names one of its figures: a
    fund task's narrative names no reform figures, and a report of 200 tasks would
    otherwise read every task's funds, reform items and problems twice (this quarter
    and the last) for figures nobody asked for.
    """

    GROUPS = {
        "基金": fund_values,
        "改革事项": supervision_values,
        "量化指标": supervision_values,
        "问题": supervision_values,
    }

    def __init__(self, task: TargetTask, user: Any, as_of: date, censuses: Censuses | None = None) -> None:
        super().__init__(user, as_of, censuses)
        self.task = task
        self.loaded: set[Any] = set()

    def __missing__(self, key: str) -> Figure | list[Block]:
        compute = self.GROUPS.get(key.partition(".")[0])
        if compute is None:
            return super().__missing__(key)
        if compute not in self.loaded:
            self.loaded.add(compute)
            self.update(compute(self.task, self.as_of, self.user))
            if key in self:
                return self[key]
        raise KeyError(key)
