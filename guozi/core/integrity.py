"""Storage integrity (GB/T 22239-2019 8.1.4.7 b): every stored document still matches its hash.

The audit trail carries its own SM3 hash chains (``chain``). The documents that are
evidence carry a hash of their content, set when they were stored and frozen: evidence
files (``Attachment.sha256``), submitted progress-report versions and generated
quarterly reports (each app declares its own in an ``integrity`` module's ``HASHED``).
This recomputes every one and names each row whose content no longer matches, which is
the assessor's test step "篡改存储数据，是否能够检测到"; ``guozi audit verify`` runs it
beside the chains. Recovery is the restore of the last verified backup (docs/backup.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from guozi.core.chain import Break
from guozi.core.models import Attachment
from guozi.core.registry import app_modules


@dataclass(frozen=True)
class Hashed:
    """A model whose rows keep the SHA-256 (``sha256``) of one of their fields, and how it is computed."""

    model: type[models.Model]
    field: str
    digest: Callable[[Any], str]
    #: Rows read at a time: evidence files can be megabytes each.
    chunk: int = 100


def _sha256(data: Any) -> str:
    return hashlib.sha256(bytes(data)).hexdigest()


HASHED = (Hashed(Attachment, "data", _sha256, chunk=50),)


def _every() -> list[Hashed]:
    return [*HASHED, *(hashed for module in app_modules("integrity") for hashed in module.HASHED)]


def breaks() -> Iterator[Break]:
    """Every stored document whose content no longer matches its hash, model by model."""
    for hashed in _every():
        table = hashed.model._meta.db_table
        rows = hashed.model._base_manager.order_by("pk").values_list("pk", "sha256", hashed.field)
        for pk, digest, content in rows.iterator(chunk_size=hashed.chunk):
            if hashed.digest(content) != digest:
                yield Break(table, pk, "content does not match its SHA-256")


def counts() -> dict[str, int]:
    """How many rows each check read (for the report of a clean run)."""
    return {hashed.model._meta.db_table: hashed.model._base_manager.count() for hashed in _every()}
