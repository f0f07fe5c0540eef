"""The census page: one enterprise's ledger added up by class, utilisation, package and certificate."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guozi.assets.filtersets import visible_enterprises
from guozi.assets.selectors import Census, census, census_rows
from guozi.core.models import Organization
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


def indented(enterprises: list[Organization]) -> list[tuple[Organization, str]]:
    """Each enterprise with its name indented by its depth below the shallowest one listed."""
    top = min((e.tree_depth for e in enterprises), default=0)
    return [(e, "　" * (e.tree_depth - top) + (e.short_name or e.name)) for e in enterprises]


def chosen_enterprise(request: HttpRequest, enterprises: list[Organization]) -> Organization | None:
    """The enterprise of ``?enterprise=<id>`` among ``enterprises`` (404 for any other id, in
    scope or not: the same answer); without one, the user's own if listed, else None."""
    raw = request.GET.get("enterprise")
    by_pk = {str(e.pk): e for e in enterprises}
    if raw:
        if raw not in by_pk:
            raise Http404
        return by_pk[raw]
    own = getattr(request.user, "organization_id", None)
    return by_pk.get(str(own))


class CensusView(ScopedView):
    """``?enterprise=<id>`` (its subsidiaries included unless ``&subtree=0``); by default the
    user's own enterprise, or everything the user may see."""

    route_kind = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        enterprises = list(visible_enterprises(request).with_tree_fields())  # type: ignore[attr-defined]
        chosen = chosen_enterprise(request, enterprises)
        subtree = request.GET.get("subtree", "1") != "0"
        # The summary or its subtree rollup, not the ledger: a few hundred rows, in the ledger's scope.
        result = census(census_rows(request.user, chosen, subtree=subtree, action=self.action))
        context = self.context(
            census=result,
            chart_data=chart_data(result),
            enterprise_choices=indented(enterprises),
            chosen=chosen,
            subtree=subtree,
        )
        return render(request, "assets/census.html", context)
