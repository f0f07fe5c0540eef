"""The pipeline board and the charts: views of all the user's funds at once."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guozi.core.money import in_unit
from guozi.core.views.asof import as_of_date
from guozi.core.views.generic import ScopedView
from guozi.funds.selectors import fund_states, fund_totals, pipeline


class PipelineView(ScopedView):
    """Funds by current stage, waiting gates highlighted."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        as_of = as_of_date(request)
        states = fund_states(self.scoped(), as_of)
        context = self.context(columns=pipeline(states), totals=fund_totals(states), as_of=as_of)
        template = "funds/partials/pipeline_board.html" if getattr(request, "htmx", False) else "funds/pipeline.html"
        return render(request, template, context)


class ChartsView(ScopedView):
    """Size by kind, and paid-in against committed per fund (ECharts, vendored)."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        as_of = as_of_date(request)
        states = fund_states(self.scoped(), as_of)
        totals = fund_totals(states)
        data: dict[str, Any] = {
            "by_kind": [{"name": label, "value": float(in_unit(size, "亿元"))} for label, size, _ in totals.by_kind],
            "funds": [s.fund.short_name for s in states],
            "committed": [float(in_unit(s.committed, "亿元")) for s in states],
            "paid_in": [float(in_unit(s.paid_in, "亿元")) for s in states],
        }
        return render(request, "funds/charts.html", self.context(chart_data=data, totals=totals, as_of=as_of))
