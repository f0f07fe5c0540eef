"""List pages and exports run in a number of queries that does not grow with their rows.

The sweep covers every generic list route, so a new model's list with an N+1 query
(a column that reads a related row per row) fails here.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guozi.core.testing import client_for
from tests.test_route_isolation import generic_routes

pytestmark = pytest.mark.usefixtures("demo_world")

#: For exports, which have no page size to vary: session, roles, scope, rows, joins.
MAX_EXPORT_QUERIES = 25


def count(client: Client, path: str, **params: object) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    return response.status_code, len(queries)


@pytest.mark.parametrize("username", ["guoziwei", "gaotou", "auditor"])
def test_list_pages_do_not_query_per_row(username: str) -> None:
    client = client_for(username)
    client.get("/")  # warm per-process caches (content types)
    checked = 0
    for route in generic_routes():
        if route.kind == "list":
            status, one_row = count(client, route.path, per_page=1)
            if status == 403:
                continue
            status, all_rows = count(client, route.path, per_page=1000)
            assert status == 200, route.path
            assert all_rows == one_row, f"{route.path}: {one_row} queries for one row, {all_rows} for all"
        elif route.kind == "export":
            status, queries = count(client, route.path)
            if status == 403:
                continue
            assert queries <= MAX_EXPORT_QUERIES, f"{route.path}: {queries} queries"
        else:
            continue
        checked += 1
    assert checked >= 4
