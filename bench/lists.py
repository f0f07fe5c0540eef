"""List lines (issue 7 §4): the ledger list page and the asset API, against the Django admin changelist.

Each Guozi line is a request through Django's test Client as the SASAC reader (every
middleware, session, template), after one untimed warm-up; its baseline is the Django admin
changelist of the same rows asked the same thing, in the same process on the same data: page
1, a page in the middle of the ledger, filtered by a class, sorted by book value. Guozi has
no admin: a bench-only ``AdminSite`` with a ``ModelAdmin`` for ``Asset`` is mounted in a
bench-only URLconf (``override_settings``), never in Guozi's own URLs. The admin shows 25
rows a page, like the list, in the list's order (enterprise, code), with its defaults
otherwise (``select_related`` of the shown foreign keys, a COUNT for the paginator and one
for the whole table). Issue 7's target: at most 150 ms, and at most half the admin's time.

With ``--fill N`` the ledger the import left is replaced by N generated rows written straight
into the table (``bench.fill``) before these lines run, so lists are measured at millions of
rows without importing them.
"""

from __future__ import annotations

import functools
import statistics
from typing import Any

from bench import setup
from bench.run import figure, say, timed

#: Issue 7: at least 2× faster than the admin changelist, and at most 150 ms.
ADMIN_TARGET = 0.5
PER_PAGE = 25
COLUMNS = ("code", "name", "enterprise", "category", "location", "area", "book_value", "utilisation", "package")


def admin_urlconf() -> Any:
    """A URLconf module object with a bench-only admin site for the ledger (built once admin is installed)."""
    import types

    from django.contrib import admin
    from django.urls import path

    from guozi import urls as guozi_urls
    from guozi.assets.models import Asset

    class BenchSite(admin.AdminSite):
        def has_permission(self, request: Any) -> bool:
            return bool(request.user.is_active)  # Guozi's accounts are not Django staff

    class AssetAdmin(admin.ModelAdmin):
        list_display = COLUMNS
        list_filter = ("category",)
        list_per_page = PER_PAGE
        ordering = ("enterprise_id", "code")  # the list's order, not Meta.ordering's join

        def has_view_permission(self, request: Any, obj: Any = None) -> bool:
            return True

        def has_module_permission(self, request: Any) -> bool:
            return True

        def has_add_permission(self, request: Any) -> bool:
            return False

        def has_change_permission(self, request: Any, obj: Any = None) -> bool:
            return False

        def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
            return False

    site = BenchSite(name="bench_admin")
    site.register(Asset, AssetAdmin)
    module = types.ModuleType("bench_admin_urls")
    # Guozi's routes too: its middleware reverses some of them (the sign-in page, say).
    module.urlpatterns = [path("admin/", site.urls), *guozi_urls.urlpatterns]  # type: ignore[attr-defined]
    return module


def refill(count: int, enterprise_count: int) -> int:
    """Replace the ledger by ``count`` generated rows (bench.fill); the ledger's size after."""

    from bench.data import enterprises
    from bench.fill import empty_ledger, fill
    from guozi.assets.models import Asset

    say(f"replacing the ledger by {count:,} generated rows (bench.fill)")
    empty_ledger()
    fill(count, enterprises(enterprise_count), progress=lambda n: say(f"  {n:,} rows written"))
    return Asset.objects.count()


def measure(
    runs: int, accounts: setup.Accounts, plans: dict[str, str], *, fill: int, enterprises: int
) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from guozi.assets.models import Asset, AssetCategory
    from guozi.core.models import User
    from guozi.core.paging import Cursor, ordering_keys

    rows = refill(fill, enterprises) if fill else Asset.objects.count()
    reader = User.objects.get(pk=accounts.reader_id)
    client = Client()
    client.force_login(reader)

    def get(url: str, params: dict[str, Any] | None = None) -> bytes:
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response.content

    def alternating(*requests: tuple[str, dict[str, Any]]) -> list[list[float]]:
        """Seconds of each request, ``runs`` times, taking turns: a load that comes and goes hits all alike."""
        for url, params in requests:
            get(url, params)  # warm-up: templates compiled, caches filled
        seconds: list[list[float]] = [[] for _ in requests]
        for _ in range(runs):
            for i, (url, params) in enumerate(requests):
                seconds[i] += timed(1, functools.partial(get, url, params))[0]
        return seconds

    # The page in the middle of the ledger, in the list's order: a cursor for Guozi, a page number for the admin.
    ordered = Asset.objects.order_by("enterprise_id", "code")
    keys = ordering_keys(ordered)
    assert keys is not None
    middle = rows // 2
    cursor = Cursor.of(ordered[middle], keys)
    house = AssetCategory.objects.get(name="房屋").pk
    # Each line's query: Guozi's list, the admin changelist's, the API's (None: the API has no such line).
    asked: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]] = {
        "page 1": ({}, {}, {"page_size": PER_PAGE}),
        "middle page": ({"after": cursor}, {"p": middle // PER_PAGE + 1}, {"page_size": PER_PAGE, "after": cursor}),
        "class 房屋": ({"category": house}, {"category__id__exact": house}, None),
        "by book value": ({"sort": "-book_value"}, {"o": f"-{COLUMNS.index('book_value') + 1}"}, None),
    }
    say(f"list lines over {rows:,} ledger rows, each against the admin changelist")
    results: list[dict[str, Any]] = []
    # One set of settings for all (switching them recompiles the templates): the admin installed
    # and mounted beside Guozi's routes. Its pages thus also run Guozi's menu context processor.
    admin_apps = ["django.contrib.admin", *settings.INSTALLED_APPS]
    with override_settings(INSTALLED_APPS=admin_apps, ROOT_URLCONF=admin_urlconf()):
        for what, (params, admin, api) in asked.items():
            requests = [("/admin/assets/asset/", admin), ("/assets/asset/", params)]
            if api is not None:
                requests.append(("/api/assets", api))
            seconds = alternating(*requests)
            baseline = figure(f"admin changelist, {what}", seconds[0])
            results += [
                baseline,
                figure(f"asset list, {what}", seconds[1], baseline=baseline, target=ADMIN_TARGET, ledger_rows=rows),
            ]
            if api is not None:
                results.append(
                    figure(
                        f"asset API list, {what}", seconds[2], baseline=baseline, target=ADMIN_TARGET, ledger_rows=rows
                    )
                )
            with CaptureQueriesContext(connection) as queries:
                get("/assets/asset/", params)
            page_query = next(q["sql"] for q in queries.captured_queries if f"LIMIT {PER_PAGE + 1}" in q["sql"])
            plans[f"asset list, {what}: its page of rows"] = explain(page_query)
    # The database's share of page 1: its own SELECTs (session, roles, filters' choices, summary
    # totals, bounded count, 25 rows) replayed as plain SQL.
    with CaptureQueriesContext(connection) as queries:
        get("/assets/asset/")
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    def replay() -> None:
        with connection.cursor() as cur:
            for sql in selects:
                cur.execute(sql)
                cur.fetchall()

    replayed, _ = timed(runs, replay)
    page_one = next(r for r in results if r["name"] == "asset list, page 1")
    results.append(figure(f"plain SQL of list page 1 ({len(selects)} SELECTs)", replayed))
    sql_ms = statistics.median(replayed) * 1000
    say(f"asset list page 1: {page_one['seconds'] * 1000:.0f} ms, of which plain SQL {sql_ms:.0f} ms")
    return results


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
