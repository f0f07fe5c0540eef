"""The census page: one enterprise's ledger added up by class, utilisation, package and certificate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guozi.assets.selectors import Census, census, census_rows
from guozi.assets.views.pickers import chosen_enterprise, enterprise_picker
from guozi.core.money import in_unit
from guozi.core.views.generic import ScopedView


def chart_data(result: Census) -> dict[str, Any]:
    """The figures the page's ECharts draw, in 亿元."""
    return {
        "categories": [{"name": c.name, "value": float(in_unit(f.value, "亿元"))} for c, f in result.by_category],
        "packages": [str(package.label) for package, _ in result.packages],
        "package_counts": [figure.count for _, figure in result.packages],
        "package_values": [float(in_unit(figure.value, "亿元")) for _, figure in result.packages],
    }


class CensusView(ScopedView):
    """``?enterprise=<id>`` (its subsidiaries included unless ``&subtree=0``); by default the
    user's own enterprise, or everything the user may see."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        chosen = chosen_enterprise(request)
        subtree = request.GET.get("subtree", "1") != "0"
        # The summary or its subtree rollup, not the ledger: a few hundred rows, in the ledger's scope.
        result = census(census_rows(request.user, chosen, subtree=subtree, action=self.action))
        context = self.context(
            census=result,
            chart_data=chart_data(result),
            enterprise_picker=enterprise_picker(request, chosen),
            chosen=chosen,
            subtree=subtree,
        )
        return render(request, "assets/census.html", context)
