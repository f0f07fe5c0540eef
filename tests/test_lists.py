"""Keyset pages and bounded counts (guozi/core/paging.py): every row once, in order, both ways;
the ledger list and the asset API paged through their links; the ledger totals from the summary."""

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qsl

import django_tables2 as tables
import pytest
from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guozi.assets.filtersets import AssetFilterSet
from guozi.assets.models import Asset, AssetCategory
from guozi.assets.views.totals import SUMMARY_FILTERS, ledger_totals
from guozi.core.models import ChangeRecord
from guozi.core.paging import Cursor, bounded_count, ordering_keys, page_of
from guozi.core.tables import body_rows, head_cells
from guozi.core.testing import client_for, org, user
from guozi.core.views.generic import REGISTRY

pytestmark = pytest.mark.usefixtures("demo_world")

ORDERS = [
    ["enterprise_id", "code"],
    ["book_value"],
    ["-book_value"],
    ["category_id"],
    ["-category_id"],
    ["code"],
    ["enterprise__sort_order", "-code"],  # a joined key, read with the rows
    [],  # the model's ordering: enterprise__sort_order, code
]


def walk(queryset: QuerySet[Any], per_page: int, forward: bool = True) -> list[int]:
    """Every row's id, page by page through the cursors, from the first page (or the last, backwards)."""
    page = page_of(queryset, per_page=per_page)
    if not forward:
        while page.has_next:
            page = page_of(queryset, per_page=per_page, after=page.next_params["after"])
    seen = [row.pk for row in page.rows]
    while page.has_next if forward else page.has_previous:
        if forward:
            page = page_of(queryset, per_page=per_page, after=page.next_params["after"])
            seen += [row.pk for row in page.rows]
        else:
            page = page_of(queryset, per_page=per_page, before=page.previous_params["before"])
            seen = [row.pk for row in page.rows] + seen
    return seen


@pytest.mark.parametrize("order", ORDERS)
def test_cursors_walk_every_row_once_in_the_lists_order(order: list[str]) -> None:
    assets = Asset.objects.order_by(*order) if order else Asset.objects.all()
    keys = ordering_keys(assets)
    assert keys is not None
    assert keys[-1].path == "pk"
    expected = list(assets.order_by(*[key.term for key in keys]).values_list("pk", flat=True))
    assert len(expected) == Asset.objects.count() > 100
    # Values repeat (classes, enterprises): the id breaks the ties, so no row is lost or shown twice.
    assert walk(assets, per_page=7) == expected
    assert walk(assets, per_page=7, forward=False) == expected


def test_an_order_with_a_nullable_key_pages_by_number() -> None:
    assets = Asset.objects.order_by("area")
    assert ordering_keys(assets) is None
    first, second = page_of(assets, per_page=10), page_of(assets, per_page=10, page=2)
    assert not first.keyset
    assert first.next_params == {"page": "2"}
    assert second.has_previous
    expected = list(assets.values_list("pk", flat=True)[:20])
    assert [row.pk for row in first.rows + second.rows] == expected


def test_a_cursor_of_another_order_or_garbage_starts_again_at_the_first_page() -> None:
    by_value = Asset.objects.order_by("book_value")
    by_code = Asset.objects.order_by("code")
    token = page_of(by_value, per_page=5).next_params["after"]
    keys = ordering_keys(by_code)
    assert keys is not None
    assert Cursor.read(token, keys, forward=True) is None
    first = [row.pk for row in page_of(by_code, per_page=5).rows]
    for cursor in (token, "not base64!", "eyJrIjpbXX0", "x" * 3000, ""):
        assert [row.pk for row in page_of(by_code, per_page=5, after=cursor).rows] == first


def test_newest_first_logs_page_by_id() -> None:
    keys = ordering_keys(ChangeRecord.objects.all())
    assert keys is not None
    assert [key.term for key in keys] == ["-id"]


def test_a_count_stops_at_its_cap() -> None:
    total = Asset.objects.count()
    assert bounded_count(Asset.objects.all()) == (total, True)
    assert bounded_count(Asset.objects.all(), cap=total) == (total, True)
    assert bounded_count(Asset.objects.all(), cap=50) == (50, False)


def links(text: str) -> dict[str, dict[str, str]]:
    found = re.findall(r'href="(\?[^"]*)" rel="(next|prev)"', text)
    return {rel: dict(parse_qsl(unescape(href)[1:])) for href, rel in found}


def asset_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in re.findall(r'href="/assets/asset/(\d+)/"', text)))


@pytest.mark.parametrize("sort", ["", "book_value", "-book_value", "enterprise", "-category", "code"])
def test_the_ledger_list_walks_its_pages_through_the_next_links(sort: str) -> None:
    client = client_for("chengfa")
    params: dict[str, str] = {"per_page": "40", "category": "", **({"sort": sort} if sort else {})}
    seen: list[int] = []
    pages = 0
    while True:
        response = client.get("/assets/asset/", params)
        assert response.status_code == 200
        text = response.content.decode()
        seen += asset_ids(text)
        pages += 1
        following = links(text).get("next")
        if following is None:
            break
        assert "prev" in links(client.get("/assets/asset/", following).content.decode())
        params = following
    visible = set(Asset.objects.restrict(user("chengfa")).values_list("pk", flat=True))
    assert pages > 2
    assert len(seen) == len(set(seen))
    assert set(seen) == visible


def test_the_asset_api_walks_its_pages_through_next_cursors() -> None:
    client = client_for("chengfa")
    body = client.get("/api/assets", {"page_size": 30}).json()
    seen = [item["id"] for item in body["items"]]
    assert body["count_exact"]
    assert body["next"]
    while body["next"]:
        body = client.get("/api/assets", {"page_size": 30, "after": body["next"]}).json()
        seen += [item["id"] for item in body["items"]]
    visible = set(Asset.objects.restrict(user("chengfa")).values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    assert set(seen) == visible
    assert client.get("/api/assets", {"after": "garbage"}).status_code == 200


TOTALS_FILTERS = [
    {},
    {"enterprise": "市城发集团"},
    {"enterprise": "市城发集团", "category": "房屋", "utilisation": "idle"},
    {"category": "土地", "package": "none"},
    {"package": "lease", "utilisation": "in_use"},
    # Not answerable by the summary: from the ledger.
    {"q": "办公"},
    {"certificate": "done", "enterprise": "市城发集团"},
    {"min_value": "100"},
]


def _filterset(username: str, filters: dict[str, str]) -> tuple[Any, Any]:
    params = dict(filters)
    if "enterprise" in params:
        params["enterprise"] = str(org(params["enterprise"]).pk)
    if "category" in params:
        params["category"] = str(AssetCategory.objects.get(name=params["category"]).pk)
    request = RequestFactory().get("/assets/asset/", params)
    request.user = user(username)
    filterset = AssetFilterSet(request.GET, queryset=Asset.objects.restrict(request.user), request=request)
    return request, filterset


@pytest.mark.parametrize("username", ["guoziwei", "chengfa"])
@pytest.mark.parametrize("filters", TOTALS_FILTERS)
def test_the_ledger_totals_equal_the_filtered_rows(username: str, filters: dict[str, str]) -> None:
    request, filterset = _filterset(username, filters)
    rows = filterset.qs
    expected = rows.order_by().aggregate(count=Count("pk"), value=Sum("book_value"))
    with CaptureQueriesContext(connection) as queries:
        totals = ledger_totals(request, rows, filterset)
    assert totals == {"count": expected["count"], "value": expected["value"] or 0, "exact": True}
    from_summary = set(filters) <= SUMMARY_FILTERS
    # From the summary or, for a whole subtree the reader sees, its rollup.
    summed = ("assets_assetsummary", "assets_assetrollup")
    assert any(table in q["sql"] for q in queries.captured_queries for table in summed) == from_summary


def test_ledger_totals_beyond_the_cap_say_more_than_and_give_no_value() -> None:
    request, filterset = _filterset("guoziwei", {"q": "-"})
    rows = filterset.qs
    assert rows.count() > 20
    assert ledger_totals(request, rows, filterset, cap=20) == {"count": 20, "value": None, "exact": False}


def _rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r">\s+<", "><", row.strip()) for row in re.findall(r"<tr.*?</tr>", body, re.S)]


def test_the_built_rows_are_the_rows_django_tables2_renders() -> None:
    request = RequestFactory().get("/")
    request.user = user("guoziwei")
    compared = 0
    for views in REGISTRY.values():
        table_class = getattr(views, "table", None)
        if table_class is None:
            continue
        rows = list(views.list_queryset(views.model._default_manager.all())[:30])
        stock = table_class(rows, template_name="django_tables2/bootstrap5.html")
        expected = _rows(
            Template("{% load django_tables2 %}{% render_table table %}").render(
                Context({"table": stock, "request": request})
            )
        )
        built = [re.sub(r">\s+<", "><", row) for row in body_rows(table_class(rows))]
        assert built == expected, views.model
        compared += bool(rows)
    assert compared > 20


def _both(table_class: Any, rows: list[Any]) -> tuple[list[str], list[str]]:
    """The rows as body_rows builds them, and as django-tables2's own template renders them."""
    request = RequestFactory().get("/")
    request.user = user("guoziwei")
    stock = table_class(rows, template_name="django_tables2/bootstrap5.html")
    template = Template("{% load django_tables2 %}{% render_table table %}")
    expected = _rows(template.render(Context({"table": stock, "request": request})))
    return [re.sub(r">\s+<", "><", row) for row in body_rows(table_class(rows))], expected


def test_the_built_rows_escape_what_django_tables2_escapes() -> None:
    """Markup in every kind of cell (a linked one, a choice, a related name, an empty one)."""
    from guozi.assets.tables import AssetTable

    asset = Asset.objects.select_related("enterprise", "category").order_by("pk").first()
    assert asset is not None
    markup = "<script>alert('&\"')</script>"
    asset.code = f"{markup}-1"
    asset.name = f"<b>{markup}</b>"
    asset.location = ""
    asset.enterprise.short_name = f"<i>{markup}</i>"
    asset.category.name = f"{markup}类"
    asset.utilisation = "<not a choice>"  # no label: shown as it is, escaped
    built, expected = _both(AssetTable, [asset])
    assert built == expected
    assert "<script>" not in built[0]
    assert "&lt;script&gt;alert(&#x27;&amp;&quot;&#x27;)&lt;/script&gt;" in built[0]
    assert f'<a href="/assets/asset/{asset.pk}/">' in built[0]
    asset.utilisation = "idle"
    built, expected = _both(AssetTable, [asset])
    assert built == expected
    assert ">闲置</td>" in built[0]


def _squeezed(html: str) -> str:
    """Markup without the whitespace around its tags (django-tables2's template indents)."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


@pytest.mark.parametrize("query", ["", "?q=%E5%8A%9E&sort=-name&per_page=5", "?a=1&a=%3Cb%3E&sort=code"])
def test_the_built_headers_are_the_headers_django_tables2_renders(query: str) -> None:
    request = RequestFactory().get("/" + query)
    request.user = user("guoziwei")
    compared = 0
    for views in REGISTRY.values():
        table_class = getattr(views, "table", None)
        if table_class is None:
            continue
        stock = table_class([], template_name="django_tables2/bootstrap5.html")
        tables.RequestConfig(request, paginate=False).configure(stock)
        rendered = Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": stock, "request": request})
        )
        expected = _squeezed(rendered.split("<tr>", 1)[1].split("</tr>", 1)[0])
        built = table_class([])
        tables.RequestConfig(request, paginate=False).configure(built)
        assert _squeezed("".join(head_cells(built, request))) == expected, views.model
        compared += 1
    assert compared > 20


@pytest.mark.parametrize("params", [{}, {"q": "办公"}, {"utilisation": "idle", "package": "lease"}])
def test_the_ledgers_record_count_is_its_totals_count(params: dict[str, str]) -> None:
    """The ledger counts its rows once, in its totals (from the summary where it can answer)."""
    reader = user("guoziwei")
    response = client_for("guoziwei").get("/assets/asset/", params)
    expected = AssetFilterSet(params or None, queryset=Asset.objects.restrict(reader, "view")).qs.count()
    assert response.context["record_count"] == response.context["totals"]["count"] == expected
    assert response.context["record_count_exact"]


@pytest.mark.parametrize("username", ["chengfa", "gaotou"])
def test_no_filter_offers_a_row_its_reader_may_not_see(username: str) -> None:
    """A list's filter of a related row (task, round, report, fund …) offers only the rows the
    reader may view, as an edit form's choices do (core.forms.restrict_choices)."""
    from django_filters import ModelChoiceFilter

    from guozi.core import inventory
    from guozi.core.scope import ScopedQuerySet

    account = user(username)
    client = client_for(username)
    checked = []
    for route in inventory.generic_routes():
        if route.kind != "list" or "{" in route.path or route.model not in REGISTRY:
            continue
        response = client.get(route.path)
        if response.status_code != 200:
            continue
        page = response.content.decode()
        for name, declared in REGISTRY[route.model].filterset.base_filters.items():
            queryset = declared.extra.get("queryset") if isinstance(declared, ModelChoiceFilter) else None
            if not isinstance(queryset, ScopedQuerySet):
                continue  # reference data (asset classes) or a search-as-you-type picker's own scope
            visible = {str(pk) for pk in queryset.model.objects.restrict(account, "view").values_list("pk", flat=True)}
            select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
            offered = set(re.findall(r'<option value="(\d+)"', select[0])) if select else set()
            assert offered <= visible, (route.path, name, sorted(offered - visible))
            checked.append((route.path, name, len(offered)))
    assert len(checked) >= 5, checked
    assert any(offered for _path, _name, offered in checked), checked
