"""The census page: one enterprise's ledger added up by class, utilisation, package and certificate."""

from __future__ import annotations

from html import escape
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

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


def tree_choices(enterprises: QuerySet[Organization]) -> list[tuple[int, str]]:
    """(id, name indented by its depth below the shallowest one listed) of ``enterprises``, in
    the organisation tree's order (siblings by sort order and name), as ``indented`` gives them.

    From two flat queries walked here (the tree's parent links, the listed enterprises): the
    recursive tree query building model instances cost 100 ms of the census page at 2,000
    enterprises (docs/benchmarks.md).
    """
    listed = {pk: short or name for pk, short, name in enterprises.order_by().values_list("pk", "short_name", "name")}
    # The tree's shape only (ids and parent links, in sibling order), to place the listed ones:
    # nothing of an organisation outside the reader's scope reaches the page.
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organization.objects.order_by("sort_order", "name").values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: list[tuple[int, int, str]] = []
    stack = [(pk, 0) for pk in reversed(children.get(None, []))]
    while stack:
        pk, depth = stack.pop()
        if pk in listed:
            found.append((pk, depth, listed[pk]))
        stack += [(child, depth + 1) for child in reversed(children.get(pk, []))]
    top = min((depth for _, depth, _ in found), default=0)
    return [(pk, "　" * (depth - top) + label) for pk, depth, label in found]


SELECTED = SafeString(" selected")  # a constant attribute, nothing of the user's


def options(choices: list[tuple[int, str]], chosen: Organization | None) -> SafeString:
    """The picker's ``<option>``s, built here: a template loop over 2,000 enterprises cost 30 ms."""
    picked = chosen.pk if chosen is not None else None
    # escape() once per label, not format_html per option: 10,000 enterprises took 0.3 s that way.
    return mark_safe(  # noqa: S308  # nosec B308 B703 # the ids are integers and every label is escaped here
        "".join(
            f'<option value="{int(pk)}"{SELECTED if pk == picked else ""}>{escape(label)}</option>'
            for pk, label in choices
        )
    )


class CensusView(ScopedView):
    """``?enterprise=<id>`` (its subsidiaries included unless ``&subtree=0``); by default the
    user's own enterprise, or everything the user may see."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        choices = tree_choices(visible_enterprises(request))
        listed = {str(pk) for pk, _ in choices}
        raw = request.GET.get("enterprise") or ""
        own = str(getattr(request.user, "organization_id", None))
        if raw and raw not in listed:
            raise Http404  # in scope or not: the same answer as chosen_enterprise gives
        wanted = raw or (own if own in listed else None)
        chosen = Organization.objects.get(pk=wanted) if wanted else None
        subtree = request.GET.get("subtree", "1") != "0"
        # The summary or its subtree rollup, not the ledger: a few hundred rows, in the ledger's scope.
        result = census(census_rows(request.user, chosen, subtree=subtree, action=self.action))
        context = self.context(
            census=result,
            chart_data=chart_data(result),
            enterprise_options=options(choices, chosen),
            chosen=chosen,
            subtree=subtree,
        )
        return render(request, "assets/census.html", context)
