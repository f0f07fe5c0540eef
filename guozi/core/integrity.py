"""Storage integrity (GB/T 22239-2019 8.1.4.7 b): every stored document still matches its hash.

The audit trail carries its own SM3 hash chains (``chain``). The documents that are
evidence carry a hash of their content, set when they were stored and frozen: evidence
files (``Attachment.sha256``), submitted progress-report versions and generated
quarterly reports (each app's ``integrity`` module). This recomputes every one and names
each row whose content no longer matches, which is the assessor's test step
"篡改存储数据，是否能够检测到"; ``guozi audit verify`` runs it beside the chains. Recovery
is the restore of the last verified backup (docs/backup.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from guozi.core.chain import Break
from guozi.core.models import Attachment
from guozi.core.registry import app_modules

#: Rows read at a time: evidence files can be megabytes each.
CHUNK = 50


def attachment_breaks() -> Iterator[Break]:
    table = Attachment._meta.db_table
    rows = Attachment._base_manager.order_by("pk").values_list("pk", "sha256", "data")
    for pk, digest, data in rows.iterator(chunk_size=CHUNK):
        if hashlib.sha256(bytes(data)).hexdigest() != digest:
            yield Break(table, pk, "content does not match its SHA-256")


def breaks() -> Iterator[Break]:
    """Every stored document whose content no longer matches its hash, app by app."""
    yield from attachment_breaks()
    for module in app_modules("integrity"):
        yield from module.breaks()


def counts() -> dict[str, int]:
    """How many rows each check read (for the report of a clean run)."""
    found = {Attachment._meta.db_table: Attachment._base_manager.count()}
    for module in app_modules("integrity"):
        found.update(module.counts())
    return found
