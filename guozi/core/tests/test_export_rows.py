"""The streamed export rows are exactly the list table's own cells (``Table.as_values()``)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.urls import get_resolver

from guozi.core import export_rows
from guozi.core.export_rows import table_header, table_rows
from guozi.core.views.generic import REGISTRY, ObjectViews

pytestmark = pytest.mark.usefixtures("demo_world")


def registered() -> list[type[ObjectViews]]:
    get_resolver().url_patterns  # noqa: B018  (loading the URL conf registers every model's pages)
    return sorted(REGISTRY.values(), key=lambda views: views.url_name("list"))


def configured(views: type[ObjectViews], **params: Any) -> tables.Table:
    """The export's table, as ObjectExportView builds it, over every row of the model."""
    table = views.table(views.list_queryset(views.model._default_manager.all()))
    tables.RequestConfig(RequestFactory().get("/", params), paginate=False).configure(table)
    return table


def as_values(views: type[ObjectViews], **params: Any) -> list[list[Any]]:
    return list(configured(views, **params).as_values())


def streamed(views: type[ObjectViews], **params: Any) -> list[list[Any]]:
    table = configured(views, **params)
    return [table_header(table), *table_rows(table)]


@pytest.mark.parametrize("views", registered(), ids=lambda views: views.url_name("export"))
def test_every_export_streams_the_cells_of_its_table(views: type[ObjectViews]) -> None:
    header, *rows = streamed(views)
    expected_header, *expected = as_values(views)
    assert header == expected_header
    # As multisets: where a list's order has ties, two queries may break them differently.
    assert sorted(rows, key=repr) == sorted(expected, key=repr)


def test_the_ledger_and_the_lists_with_plain_columns_are_read_as_tuples_not_instances() -> None:
    planned = {views.url_name("export") for views in registered() if export_rows._plan(configured(views)) is not None}
    assert {"assets:asset_export", "core:organization_export", "supervision:targettask_export"} <= planned
    # A property column (a partner's name is its investor's or organisation's) needs the instance.
    assert "funds:partner_export" not in planned


def test_sorted_exports_keep_the_tables_order() -> None:
    asset = next(views for views in registered() if views.url_name("export") == "assets:asset_export")
    rows = streamed(asset, sort="-code")  # codes are unique: one order only
    assert rows == as_values(asset, sort="-code")
    assert len(rows) > 100


def test_chunks_and_a_full_name_cache_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Across chunk boundaries, and with the related names cleared between chunks."""
    monkeypatch.setattr(export_rows, "CHUNK", 7)
    monkeypatch.setattr(export_rows, "NAME_CACHE_LIMIT", 3)
    for name in ("assets:asset_export", "assets:revitalization_export", "supervision:workitem_export"):
        views = next(v for v in registered() if v.url_name("export") == name)
        assert sorted(streamed(views), key=repr) == sorted(as_values(views), key=repr), name
