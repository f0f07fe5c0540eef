"""Generated quarterly reports still match their SHA-256 (found by ``core.integrity``)."""

from __future__ import annotations

from collections.abc import Iterator

from guozi.core.chain import Break
from guozi.reports.models import GeneratedReport, content_digest


def breaks() -> Iterator[Break]:
    table = GeneratedReport._meta.db_table
    rows = GeneratedReport._base_manager.order_by("pk").values_list("pk", "sha256", "content")
    for pk, digest, content in rows.iterator(chunk_size=100):
        if content_digest(content) != digest:
            yield Break(table, pk, "content does not match its SHA-256")


def counts() -> dict[str, int]:
    return {GeneratedReport._meta.db_table: GeneratedReport._base_manager.count()}
