"""The SM3 hash chain over the audit tables (GB/T 22239-2019 8.1.4.3 c, 8.1.4.7 b).

Each record of a chained table (the change log, the login log, the audit events)
carries ``hash = SM3(prev_hash + canonical content)``, where ``prev_hash`` is the
hash of the record before it in the same table. Triggers already refuse UPDATE
and DELETE; the chain makes what gets past them visible: whoever alters a record
in the database file, or removes or slips one in, breaks the chain at that place,
and :func:`verify` names the record.

Sealing happens as records are inserted, inside the transaction that inserts
them, under one lock for all chains (a PostgreSQL advisory lock held to the end
of the transaction; SQLite's IMMEDIATE transactions already serialise writers),
so two transactions never chain onto the same predecessor.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, models
from django.utils import timezone

from guozi.core.sm3 import sm3_hex

#: The ``prev_hash`` of a table's first record.
GENESIS = "0" * 64
#: Fields outside the hashed content: the id (assigned by the database) and the chain itself.
UNHASHED = {"id", "prev_hash", "hash"}
#: pg_advisory_xact_lock key of the chain lock ("guozi audit" as an integer).
LOCK_KEY = 0x67756F7A69


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def content(record: models.Model) -> dict[str, Any]:
    """The hashed fields of a record, as plain JSON values (the form an archive keeps)."""
    return {
        field.attname: _plain(getattr(record, field.attname))
        for field in record._meta.concrete_fields
        if field.attname not in UNHASHED
    }


def link_content(prev_hash: str, data: dict[str, Any]) -> str:
    """The hash of a record with content ``data`` following ``prev_hash``.

    The content is canonical JSON: sorted keys, no spaces, UTF-8, times in UTC with
    microseconds, which reads back the same from SQLite and PostgreSQL.
    """
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return sm3_hex(prev_hash.encode() + b"\n" + canonical)


def link(prev_hash: str, record: models.Model) -> str:
    return link_content(prev_hash, content(record))


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def last_hash(model: type[models.Model], using: str) -> str:
    latest = model._base_manager.using(using).order_by("-id").values_list("hash", flat=True).first()
    return latest or GENESIS


def seal(model: type[models.Model], records: Iterable[Any], using: str) -> None:
    """Give each new record its place in the chain. Call inside the inserting transaction."""
    _lock(using)
    previous = last_hash(model, using)
    for record in records:
        if record.timestamp is None:
            record.timestamp = timezone.now()
        record.prev_hash = previous
        record.hash = previous = link(previous, record)


@dataclass(frozen=True)
class Break:
    """Where a chain does not hold: the table, the record's id and why."""

    table: str
    record_id: int
    reason: str

    def __str__(self) -> str:
        return f"{self.table} #{self.record_id}: {self.reason}"


def verify(model: Any, anchors: set[str] | frozenset[str] = frozenset()) -> Iterator[Break]:
    """Every place where ``model``'s chain breaks, in id order.

    ``anchors`` are the hashes at which records were archived and purged: the
    first remaining record may follow one of them instead of the genesis value.
    """
    table = model._meta.db_table
    expected: str | None = None
    for record in model._base_manager.order_by("id").iterator(chunk_size=2000):
        if expected is None:
            if record.prev_hash != GENESIS and record.prev_hash not in anchors:
                yield Break(table, record.pk, "the first record follows no known record: records before it are gone")
        elif record.prev_hash != expected:
            yield Break(table, record.pk, "does not follow the record before it: a record was removed or inserted")
        if link(record.prev_hash, record) != record.hash:
            yield Break(table, record.pk, "its content no longer matches its hash: the record was altered")
        expected = record.hash
