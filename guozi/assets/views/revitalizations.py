"""The revitalisation overview: what was revitalised in a year, by enterprise and method, and month by month."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guozi.assets.filtersets import visible_enterprises
from guozi.assets.models import Revitalization
from guozi.assets.selectors import (
    Revitalised,
    in_period,
    revitalization_by_enterprise,
    revitalization_by_method,
    revitalization_by_month,
    revitalization_totals,
    revitalizations_of,
    year_bounds,
)
from guozi.assets.views.census import chosen_enterprise, indented
from guozi.core.models import Organization
from guozi.core.money import in_unit
from guozi.core.views.generic import ScopedView


def _by_enterprise(
    events: QuerySet[Revitalization], enterprises: list[Organization], shown: list[Organization]
) -> list[tuple[Organization, Revitalised]]:
    """Totals per enterprise of ``shown``, its subsidiaries' events included: one query.

    ``enterprises`` are those the user may see, with their tree paths; an event counts
    for the top-most enterprise of ``shown`` above its asset's enterprise.
    """
    paths = {e.pk: e.tree_path for e in enterprises}
    shown_ids = {e.pk for e in shown}
    totals: dict[int, Revitalised] = {}
    for enterprise_id, figure in revitalization_by_enterprise(events).items():
        top = next((pk for pk in paths.get(enterprise_id, [enterprise_id]) if pk in shown_ids), None)
        if top is not None:
            totals[top] = totals.get(top, Revitalised()) + figure
    return [(e, totals[e.pk]) for e in shown if e.pk in totals]


class RevitalizationOverviewView(ScopedView):
    """``?enterprise=<id>&year=<yyyy>``: by default the user's own enterprise (or everything the
    user may see) and the latest year with events."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        enterprises = list(visible_enterprises(request).with_tree_fields())  # type: ignore[attr-defined]
        chosen = chosen_enterprise(request, enterprises)
        events = self.scoped()
        if chosen is not None:
            events = revitalizations_of(events, chosen)
        years = sorted({day.year for day in events.dates("revitalized_on", "year")})
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and int(raw) in years else (years[-1] if years else timezone.localdate().year)
        in_year = in_period(events, *year_bounds(year))
        months = revitalization_by_month(events)
        context = self.context(
            chosen=chosen,
            enterprise_choices=indented(enterprises),
            years=years,
            year=year,
            totals=revitalization_totals(in_year),
            by_method=revitalization_by_method(in_year),
            by_enterprise=_by_enterprise(in_year, enterprises, [chosen] if chosen else enterprises),
            chart_data={
                "months": [f"{month:%Y-%m}" for month, _ in months],
                "counts": [figure.count for _, figure in months],
                "values": [float(in_unit(figure.value, "亿元")) for _, figure in months],
                "cash": [float(in_unit(figure.cash, "亿元")) for _, figure in months],
            },
        )
        return render(request, "assets/revitalization_overview.html", context)
