"""The enterprise chosen on an asset dashboard (census, revitalisation overview, financial
comparison) and the picker that chooses it.

At a province's 10,000 enterprises these pages must not read every enterprise the user may see:
listing them with their tree paths took 0.3-0.6 s a page. The chosen one is read by its id, and
the census and revitalisation pickers are search-as-you-type (``core.forms.LookupSelect``, the
list filters' picker): the page holds only the chosen enterprise and asks
``core:organization_lookup`` for matches as the user types.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest
from django.urls import reverse_lazy
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guozi.assets.filtersets import visible_enterprises
from guozi.core.choices import OrganizationKind
from guozi.core.filtersets import ORGANIZATION_LOOKUP_FIELDS
from guozi.core.forms import LookupSelect
from guozi.core.models import Organization


def requested_enterprise(request: HttpRequest, enterprises: QuerySet[Organization]) -> Organization | None:
    """The enterprise of ``?enterprise=<id>`` among ``enterprises`` (a scoped queryset), None
    without one; 404 for any other id, in scope or not: the same answer."""
    raw = request.GET.get("enterprise")
    if not raw:
        return None
    found = enterprises.filter(pk=raw).first() if raw.isdigit() else None
    if found is None:
        raise Http404
    return found


def chosen_enterprise(request: HttpRequest) -> Organization | None:
    """The enterprise of ``?enterprise=<id>`` among those the user may see; without one, the
    user's own if it is one of them, else None (everything the user may see)."""
    enterprises = visible_enterprises(request)
    asked = requested_enterprise(request, enterprises)
    if asked is not None:
        return asked
    own = getattr(request.user, "organization_id", None)
    return enterprises.filter(pk=own).first() if own is not None else None


def enterprise_picker(request: HttpRequest, chosen: Organization | None) -> SafeString:
    """The ``enterprise`` picker showing ``chosen`` (or "everything I may see"), submitting its
    form when a match is chosen. Without JavaScript its text box (``enterprise_q``) comes back
    with the matches in the select."""
    url = format_lazy("{}?kind={}", reverse_lazy("core:organization_lookup"), OrganizationKind.ENTERPRISE)
    attrs = {"class": "form-select form-select-sm", "aria-label": _("enterprise"), "data-autosubmit": True}
    # The field gives its widget (a copy of the one passed) the choices: the scoped enterprises,
    # read only for the matches of a submitted text; the chosen one is handed over, not read again.
    field = ModelChoiceField(
        queryset=visible_enterprises(request),
        empty_label=_("Everything I may see"),
        widget=LookupSelect(url, ORGANIZATION_LOOKUP_FIELDS, attrs=attrs),
    )
    widget: LookupSelect = field.widget
    widget.value_from_datadict(request.GET, {}, "enterprise")
    widget.chosen = chosen
    return widget.render("enterprise", chosen.pk if chosen is not None else None)


def tree_choices(enterprises: QuerySet[Organization]) -> list[tuple[int, str]]:
    """(id, name indented by its depth below the shallowest one listed) of ``enterprises``, in
    the organisation tree's order (siblings by sort order and name).

    From two flat queries walked here (the tree's parent links, the listed enterprises): the
    recursive tree query building model instances cost 100 ms at 2,000 enterprises
    (docs/benchmarks.md). For a short list (the financial comparison's enterprises with figures).
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
