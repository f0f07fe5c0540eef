"""Every list page and API list runs an exact, pinned number of queries, whatever the rows it shows.

The sweep covers every list route (generic model lists and the other pages of kind "list") and
every API list operation, from the route inventory: a new one without a pinned count in
``PAGES`` or ``API`` fails here, and so does a list whose queries grow with its rows (an N+1
column), its page size or the page reached through its keyset link (guozi/core/paging.py).

A count is pinned for the first of ``READERS`` the route opens to (the auditor reads the logs
the SASAC user may not, the security administrator alone has the security pages); the other
readers check only that their count does not move.
"""

import html
import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guozi.core.inventory import api_routes, generic_routes
from guozi.core.testing import client_for

pytestmark = pytest.mark.usefixtures("demo_world")


@pytest.fixture(autouse=True)
def _no_session_renewal(settings: Any) -> None:
    """Keep the idle timeout's renewal (one session write a minute, whatever the page:
    core.security.IdleTimeoutMiddleware, tested in test_security) out of the counts, so that a
    run slower than a minute does not see it land on one page."""
    settings.SESSION_IDLE_REFRESH_SECONDS = 24 * 3600


#: For exports, which have no page size to vary: session, roles, scope, rows, joins.
MAX_EXPORT_QUERIES = 25
READERS = ["guoziwei", "auditor", "secadmin"]
USERS = ["guoziwei", "gaotou", "auditor", "secadmin"]

#: Queries of each list page (one row per page, or a thousand, or the next page). The user comes
#: with their organisation, which every page's header names (core.security.LockoutBackend.get_user).
PAGES = {
    "/core/organization/": 5,
    # The organisation picker's matches (core.forms.LookupSelect): session, user, roles, matches.
    "/core/organization/lookup/": 4,
    "/core/user/": 5,
    # Read by the auditor, whose sign-in has a second factor: its device is read too. Reading
    # them is an audit event, sealed into the chain: on PostgreSQL under an advisory lock, one
    # query more (CHAIN_LOCKED).
    "/core/changerecord/": 10,
    "/core/auditevent/": 10,
    "/core/loginrecord/": 10,
    "/supervision/inbox/": 5,
    "/supervision/dashboard/": 7,  # work items and milestones prefetched for all tasks at once
    "/supervision/plan/": 5,
    "/supervision/targettask/": 6,
    "/supervision/workitem/": 6,
    "/supervision/milestone/": 6,
    "/supervision/indicator/": 6,
    "/supervision/indicatorvalue/": 5,
    "/supervision/problem/": 6,
    "/supervision/reportinground/": 5,
    "/supervision/progressreport/": 7,
    "/supervision/reportcontribution/": 6,  # its report filter reads task and round with each report
    "/supervision/notice/": 6,
    "/supervision/notification/": 5,
    "/funds/pipeline/": 10,
    "/funds/charts/": 10,
    "/funds/fund/": 12,
    "/funds/partner/": 6,
    "/funds/contribution/": 5,
    "/funds/stageentry/": 6,
    "/funds/gate/": 6,
    "/funds/managerterm/": 6,
    "/assets/census/": 6,  # the census from the roots' rollup; the picker holds the chosen enterprise alone
    # The chosen enterprise read by id; the by-enterprise table reads parent links and visible ids
    # (flat) and the enterprises shown, not every visible enterprise with its tree path.
    # Two over the events: the months, years and methods in one, the year's by enterprise (only
    # when no enterprise is chosen: a chosen one's total is the year's).
    "/assets/revitalization-overview/": 9,
    "/assets/finance/": 9,  # the enterprises with figures and the tree's parent links, flat; the chosen one
    # The enterprise picker reads only the chosen enterprise (core.forms.LookupSelect); the totals
    # count the rows, not a second bounded count.
    "/assets/asset/": 6,
    "/assets/assetcategory/": 5,
    "/assets/revitalization/": 6,
    "/assets/assettransfer/": 6,
    "/assets/financialsnapshot/": 5,
    "/enterprises/consolidation/": 7,
    "/enterprises/figures/": 11,
    "/enterprises/enterpriseprofile/": 8,
    "/enterprises/governancerecord/": 5,
    "/enterprises/creditrating/": 5,
    "/enterprises/headcount/": 5,
    "/enterprises/restructuring/": 7,
    "/reports/generatedreport/": 5,
    # The security administrator's pages (8.1.5.3): accounts with their lockout (the login log of
    # the lockout window, one query) and second factor (one query); the labelled documents.
    "/core/security/accounts/": 7,
    "/core/security/labels/core_attachment/": 5,
    "/core/security/labels/reports_generatedreport/": 5,
}

#: Queries of each API list operation (``page_size`` 1 or 1000, or the ``after`` page).
API = {
    "/api/organizations": 5,
    "/api/users": 5,
    "/api/plans": 5,
    "/api/tasks": 6,
    "/api/reports": 5,
    "/api/work-items": 5,
    "/api/problems": 5,
    "/api/milestones": 5,
    "/api/funds": 10,
    "/api/assets": 5,
    "/api/revitalizations": 5,
    "/api/asset-transfers": 7,
    "/api/financial-snapshots": 5,
    "/api/enterprises": 5,
    "/api/restructurings": 6,
}

#: Pages whose response writes an audit event: on PostgreSQL the chain's advisory lock
#: (``pg_advisory_xact_lock``, guozi/core/chain.py) is one query more than on SQLite.
CHAIN_LOCKED = {"/core/changerecord/", "/core/auditevent/", "/core/loginrecord/"}

NEXT_LINK = re.compile(r'href="([^"]*)" rel="next"')


def count(client: Client, path: str, **params: object) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    # Exports stream a file: their body is read after the queries were counted (it needs none).
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return response.status_code, len(queries), body.decode(errors="replace")


def page_counts(client: Client, path: str) -> list[int] | None:
    """Queries for one row, for a thousand rows, and for the next one-row page; None if refused."""
    status, one_row, text = count(client, path, per_page=1)
    if status == 403:
        return None
    assert status == 200, path
    counts = [one_row, count(client, path, per_page=1000)[1]]
    found = NEXT_LINK.search(text)
    if found:
        next_status, next_page, _ = count(client, path, **_params(found[1]))
        assert next_status == 200, path
        counts.append(next_page)
    return counts


def _params(link: str) -> dict[str, str]:
    """The query of a page link (``?per_page=1&after=…``) as request parameters."""
    return dict(parse_qsl(html.unescape(link).split("?", 1)[1]))


def api_counts(client: Client, path: str) -> list[int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 1})
    assert response.status_code == 200, path
    counts = [len(queries), count(client, path, page_size=1000)[1]]
    following = response.json()["next"]
    if following:
        status, queries_after, _ = count(client, path, page_size=1, after=following)
        assert status == 200, path
        counts.append(queries_after)
    return counts


def test_every_list_has_a_pinned_count() -> None:
    pages = {route.path for route in generic_routes() if route.kind == "list"}
    lists = {route.path for route in api_routes() if route.kind == "list"}
    assert pages == set(PAGES), "pin the query count of every list page in PAGES"
    assert lists == set(API), "pin the query count of every API list in API"


def test_list_pages_run_their_pinned_queries() -> None:
    pinned: dict[str, int] = {}
    for username in READERS:
        client = client_for(username)
        client.get("/")  # warm per-process caches (content types)
        for path in PAGES:
            counts = page_counts(client, path)
            if counts is None or path in pinned:
                continue
            pinned[path] = counts[0]
            expected = PAGES[path] + (path in CHAIN_LOCKED and connection.vendor == "postgresql")
            assert set(counts) == {expected}, f"{path}: {counts} queries (1 row, 1000 rows, next page)"
    assert pinned.keys() == PAGES.keys(), "a list page no reader opens"


def test_api_lists_run_their_pinned_queries() -> None:
    client = client_for(READERS[0])
    client.get("/")
    for path, expected in API.items():
        counts = api_counts(client, path)
        assert set(counts) == {expected}, f"{path}: {counts} queries (1 row, 1000 rows, after cursor)"


@pytest.mark.parametrize("username", USERS)
def test_list_pages_do_not_query_per_row(username: str) -> None:
    client = client_for(username)
    client.get("/")
    checked = 0
    for route in generic_routes():
        if route.kind == "list":
            counts = page_counts(client, route.path)
            if counts is None:
                continue
            assert len(set(counts)) == 1, f"{route.path}: {counts} queries (1 row, 1000 rows, next page)"
        elif route.kind == "export":
            status, queries, _ = count(client, route.path)
            if status == 403:
                continue
            assert queries <= MAX_EXPORT_QUERIES, f"{route.path}: {queries} queries"
        else:
            continue
        checked += 1
    assert checked >= 4
