"""Submitted progress-report versions still match their SHA-256 (found by ``core.integrity``)."""

from __future__ import annotations

from collections.abc import Iterator

from guozi.core.chain import Break
from guozi.supervision.models import ReportVersion
from guozi.supervision.services.reports import version_digest


def breaks() -> Iterator[Break]:
    table = ReportVersion._meta.db_table
    rows = ReportVersion._base_manager.order_by("pk").values_list("pk", "sha256", "content")
    for pk, digest, content in rows.iterator(chunk_size=500):
        if version_digest(content) != digest:
            yield Break(table, pk, "content does not match its SHA-256")


def counts() -> dict[str, int]:
    return {ReportVersion._meta.db_table: ReportVersion._base_manager.count()}
