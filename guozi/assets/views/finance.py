"""The finance page: an enterprise's figures on two dates side by side, with the change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from guozi.assets.filtersets import visible_enterprises
from guozi.assets.models import FinancialSnapshot
from guozi.assets.selectors import Change, Comparison, compare
from guozi.assets.views.pickers import requested_enterprise, tree_choices
from guozi.core.exports import xlsx_response
from guozi.core.money import format_money, format_percent, plain
from guozi.core.views.generic import ScopedView


def _day(request: HttpRequest, name: str) -> date | None:
    try:
        return parse_date(request.GET.get(name, ""))
    except ValueError:
        return None


def _points(value: Decimal) -> str:
    return _("%(points)s percentage points") % {"points": plain(value.normalize())}


def _moved(change: Decimal | None, magnitude: Callable[[Decimal], str]) -> str:
    """The change in words, not with a sign: "up 38.72亿元", "down 0.13 percentage points" (a cell
    starting with "+" or "-" would be escaped in the export as a possible formula)."""
    if change is None:
        return "—"
    if change == 0:
        return _("unchanged")
    words = _("up %(amount)s") if change > 0 else _("down %(amount)s")
    return words % {"amount": magnitude(abs(change))}


def display(row: Change) -> tuple[str, str, str, str]:
    """(label, before, after, change) as a reader reads them: amounts in 亿元, rates in per
    cent and their change in percentage points (个百分点), never in per cent."""
    if row.is_rate:
        return row.label, format_percent(row.before), format_percent(row.after), _moved(row.change, _points)
    return row.label, format_money(row.before), format_money(row.after), _moved(row.change, format_money)


class FinanceView(ScopedView):
    """``?enterprise=<id>&before=<date>&after=<date>``: by default the user's own enterprise (else
    the first with figures), its earliest and its latest figures; ``&download=xlsx`` as a workbook."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponseBase:
        self.require_permission()
        snapshots = self.scoped()
        enterprises = visible_enterprises(request)
        # The enterprises with figures only, by a subquery: at 10,000 enterprises, reading every
        # visible one with its tree path took 0.3 s.
        choices = tree_choices(enterprises.filter(pk__in=snapshots.values("enterprise")))
        chosen = requested_enterprise(request, enterprises)
        if chosen is None and choices:
            listed = [pk for pk, _label in choices]
            own = getattr(request.user, "organization_id", None)
            chosen = enterprises.get(pk=own if own in listed else listed[0])
        comparison: Comparison | None = None
        dates: list[date] = []
        if chosen is not None:
            dates = list(snapshots.filter(enterprise=chosen).order_by("as_of").values_list("as_of", flat=True))
        if chosen is not None and dates:
            before = _day(request, "before") or dates[0]
            after = _day(request, "after") or dates[-1]
            comparison = compare(chosen, before, after, snapshots=snapshots)
            if request.GET.get("download") == "xlsx":
                return _workbook(comparison)
        context = self.context(
            chosen=chosen,
            enterprise_choices=choices,
            dates=dates,
            comparison=comparison,
            rows=[display(row) for row in comparison.rows] if comparison else [],
        )
        return render(request, "assets/finance.html", context)


def _workbook(comparison: Comparison) -> HttpResponseBase:
    enterprise = comparison.enterprise
    header = [_("figure"), _date_label(comparison.before), _date_label(comparison.after), _("change")]
    title = _("%(enterprise)s financial comparison") % {"enterprise": enterprise.short_name or enterprise.name}
    return xlsx_response(title, header, [display(row) for row in comparison.rows])


def _date_label(snapshot: FinancialSnapshot | None) -> str:
    return "—" if snapshot is None else f"{snapshot.as_of:%Y-%m-%d}"
