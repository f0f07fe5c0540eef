"""Assets and their change records, written in bulk, in the caller's transaction.

An import writes up to millions of rows, and issue 7 holds it to twice the cost of
reading the file and inserting its rows with nothing in between. So:

- New rows (:func:`insert_created`) go in as plain tuples: ``executemany`` on SQLite,
  ``COPY`` on PostgreSQL, no model instances. Every value was validated and converted by
  ``RowReader``, which enforces the model's rules (lengths, choices, digits, ranges; the
  database enforces uniqueness and its check constraints); ``test_rows`` holds the reader
  to ``Asset.full_clean``. They are recorded once, on their import batch (the batch's
  change record and ``Asset.created_in``), not one change record per row.
- Changed rows (:func:`write_changes`) are few: each is validated with ``full_clean``,
  saved by compare-and-swap on its version and recorded with its before and after.

Both add their difference to the asset summary (``guozi.assets.summaries``) in one upsert
batch. Nothing here opens a transaction: the import service wraps the whole file in one,
so a failure anywhere leaves neither assets nor records behind.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from guozi.assets import summaries
from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus
from guozi.assets.models import LEDGER_FIELDS, Asset
from guozi.core.changes import Origin, change_record, claim_versions, snapshot
from guozi.core.choices import ChangeAction
from guozi.core.models import ChangeRecord, ImportBatch, User

if TYPE_CHECKING:
    from guozi.assets.importing.rows import LedgerRow

#: The row values ``RowReader`` gives, in the order :func:`insert_created` writes them.
VALUE_FIELDS = [
    "name",
    "category_id",
    "location",
    "area",
    "quantity",
    "original_value",
    "book_value",
    "acquired_on",
    "certificate",
    "utilisation",
    "package",
    "note",
]
#: Every column of a new asset row, in the order of its tuple.
INSERT_COLUMNS = [
    "enterprise_id",
    "code",
    *VALUE_FIELDS,
    "import_batch_id",
    "created_in_id",
    "created_at",
    "updated_at",
    "version",
]
#: Rows per ``executemany`` call (SQLite).
INSERT_BATCH = 10_000


def _check_columns() -> None:
    """A new Asset column must be written here too: refuse to insert rows without it."""
    columns = {str(field.column) for field in Asset._meta.concrete_fields if not field.primary_key}
    if columns != set(INSERT_COLUMNS):
        raise ImproperlyConfigured(f"insert_created writes {sorted(INSERT_COLUMNS)}, Asset has {sorted(columns)}")


def insert_created(rows: list[LedgerRow], batch: ImportBatch) -> None:
    """Insert the new assets of ``rows`` (validated, none in the ledger yet) as created by ``batch``."""
    if not rows:
        return
    _check_columns()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    tail = (batch.pk, batch.pk, now, now, 1)
    fields = VALUE_FIELDS
    values = ((row.enterprise.organization.pk, row.code, *[row.fields[name] for name in fields], *tail) for row in rows)
    table = connection.ops.quote_name(Asset._meta.db_table)
    columns = ", ".join(INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the fastest way into PostgreSQL (no statement per row). psycopg's own cursor.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608 # the model's own table and column names
            while part := list(itertools.islice(values, INSERT_BATCH)):
                cursor.executemany(sql, part)
    summaries.add(created_deltas(rows))


def created_deltas(rows: Iterable[LedgerRow]) -> dict[summaries.Key, list[int]]:
    """What new rows add to each summary group: ``summaries.deltas`` for rows fresh from the reader.

    The reader's amounts are Decimals with two places, so ``int(value * 100)`` is exact.
    """
    found: dict[summaries.Key, list[int]] = {}
    needed = {str(status) for status in NEEDS_CERTIFICATE}
    done = str(CertificateStatus.DONE)
    for row in rows:
        f = row.fields
        key = (row.enterprise.organization.pk, f["category_id"], f["utilisation"], f["package"])
        totals = found.get(key)
        if totals is None:
            totals = found[key] = [0] * len(summaries.MEASURES)
        original, area = f["original_value"], f["area"]
        totals[0] += 1
        totals[1] += int(f["book_value"] * 100)
        totals[2] += 0 if original is None else int(original * 100)
        totals[3] += 0 if area is None else int(area * 100)
        totals[4] += f["certificate"] in needed
        totals[5] += f["certificate"] == done
    return found


def write_changes(*, actor: User, origin: Origin, updates: list[tuple[Asset, dict[str, Any]]]) -> None:
    """Save ``updates`` (each asset changed in hand, with its snapshot from before); record each change.

    Each asset is validated field by field first; its foreign keys the caller has
    settled (they were resolved from, and checked against, the database).
    """
    if not updates:
        return
    assets = [asset for asset, _ in updates]
    for asset in assets:
        asset.full_clean(
            exclude=["enterprise", "category", "import_batch", "created_in"],
            validate_unique=False,
            validate_constraints=False,
        )
    now = timezone.now()
    for asset in assets:
        asset.updated_at = now
    # Each asset only if still at the version read: an edit saved during the import is
    # not overwritten, the import fails instead (and rolls back as a whole).
    claim_versions(Asset, assets)
    Asset.objects.bulk_update(assets, [*LEDGER_FIELDS, "import_batch", "updated_at", "version"], batch_size=200)
    ChangeRecord.objects.bulk_create(
        change_record(
            actor=actor, origin=origin, action=ChangeAction.UPDATE, instance=asset, before=before, after=snapshot(asset)
        )
        for asset, before in updates
    )
    summaries.apply([(before, summaries.row_of(asset)) for asset, before in updates])
