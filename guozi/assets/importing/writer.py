"""Assets and their change records, written in bulk, in the caller's transaction.

An import writes up to millions of rows, and issue 7 holds it to twice the cost of
reading the file and inserting its rows with nothing in between. So:

- New rows (:class:`Inserter`) go in as plain tuples: sqlite3's ``executemany`` on SQLite,
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

import contextlib
import operator
from collections.abc import Iterable
from decimal import Decimal
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

#: The row values ``RowReader`` gives (the ledger fields, foreign keys by column), in the
#: order :class:`Inserter` writes them.
VALUE_FIELDS = [field.attname for name in LEDGER_FIELDS for field in Asset._meta.concrete_fields if field.name == name]
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


def _check_columns() -> None:
    """A new Asset column must be written here too: refuse to insert rows without it."""
    columns = {str(field.column) for field in Asset._meta.concrete_fields if not field.primary_key}
    if columns != set(INSERT_COLUMNS):
        raise ImproperlyConfigured(f"Inserter writes {sorted(INSERT_COLUMNS)}, Asset has {sorted(columns)}")


class Inserter:
    """Inserts an import's new assets, chunk by chunk, and adds them to the summary at the end.

    On PostgreSQL one COPY stays open from chunk to chunk: the server inserts and indexes
    the rows sent so far while this process checks the next chunk (a COPY per chunk made
    each chunk wait for the server at its end). While it is open the connection takes no
    other statement: whoever queries in between calls :meth:`flush` first (the import does
    before it matches rows to existing assets, before it writes changes, and at the end).

    Tried and dropped: inserting on a second thread while the next chunk is checked.
    ``sqlite3`` hands the GIL back and forth for every row it binds, so the two threads
    took longer together than one after the other. Tried again with 500-row INSERTs (and
    one long COPY on PostgreSQL) on the thread: two GIL hand-overs per statement, but on a
    machine busy with other work each waits for the scheduler, and 100,000 rows took 1.5×
    as long (SQLite) to 1.5× (PostgreSQL) as without the thread.
    """

    def __init__(self, batch: ImportBatch) -> None:
        _check_columns()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.tail = (batch.pk, batch.pk, now, now, 1)
        self.deltas: dict[summaries.Key, list[int]] = {}
        self._copying: contextlib.ExitStack | None = None
        self._copy: Any = None

    def add(self, rows: list[LedgerRow]) -> None:
        """Insert ``rows`` (validated, none in the ledger yet); on PostgreSQL, into the open COPY."""
        if not rows:
            return
        field_values = operator.itemgetter(*VALUE_FIELDS)
        tail = self.tail
        values = [(row.enterprise.id, row.code, *field_values(row.fields), *tail) for row in rows]
        for key, totals in created_deltas(rows).items():
            found = self.deltas.setdefault(key, [0] * len(totals))
            for i, amount in enumerate(totals):
                found[i] += amount
        if connection.vendor == "postgresql":
            write_row = self._open_copy().write_row
            for row_values in values:
                write_row(row_values)
        else:
            _insert(values)

    def _open_copy(self) -> Any:
        if self._copying is None:
            table = connection.ops.quote_name(Asset._meta.db_table)
            self._copying = contextlib.ExitStack()
            cursor = self._copying.enter_context(connection.cursor())
            # COPY: the fastest way into PostgreSQL (no statement per row). psycopg's own cursor.
            statement = f"COPY {table} ({', '.join(INSERT_COLUMNS)}) FROM STDIN"
            self._copy = self._copying.enter_context(cursor.cursor.copy(statement))
            # A query now would wait for the COPY's end for ever (psycopg's lock on the
            # connection): say so instead.
            self._copying.enter_context(connection.execute_wrapper(_refuse_while_copying))
        return self._copy

    def flush(self) -> None:
        """End the open COPY, if any: its rows are in the table, the connection free for other statements."""
        if self._copying is not None:
            copying, self._copying, self._copy = self._copying, None, None
            copying.close()

    def abandon(self) -> None:
        """End the open COPY after a failure: PostgreSQL refuses its rows (the import rolls back anyway)."""
        if self._copying is not None:
            copying, self._copying, self._copy = self._copying, None, None
            copying.__exit__(_Abandoned, _Abandoned(), None)

    def finish(self) -> None:
        """End the COPY, then add the new rows to the summary: one upsert per group for the whole file."""
        self.flush()
        summaries.add(self.deltas)


def _refuse_while_copying(*args: Any) -> None:
    raise RuntimeError("New assets are being copied on this connection: call Inserter.flush() before querying.")


class _Abandoned(Exception):
    """Handed to the COPY's context on a failure, so that psycopg ends it with CopyFail."""


def _insert(values: list[tuple[Any, ...]]) -> None:
    """``executemany`` on the sqlite3 connection itself, with its own ``?`` marks.

    Django's cursor rewrites every statement's ``%s`` marks with a regular expression, and
    for the long multi-row INSERT this wrote before that took a quarter of the insert's time:
    100,000 rows in 1.00 s of CPU this way against 1.33 s through Django's cursor
    (measured on the real table, rolled back). The rows were validated by ``RowReader``;
    the connection and its transaction are Django's.
    """
    table = connection.ops.quote_name(Asset._meta.db_table)
    marks = ", ".join(["?"] * len(INSERT_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) VALUES ({marks})"  # noqa: S608  # nosec B608 # the model's own table and column names
    connection.ensure_connection()
    with connection.wrap_database_errors:  # sqlite3's errors as Django's, as its cursor would raise them
        connection.connection.executemany(sql, values)


def created_deltas(rows: Iterable[LedgerRow]) -> dict[summaries.Key, list[int]]:
    """What new rows add to each summary group: ``summaries.deltas`` for rows fresh from the reader.

    Amounts are added up as Decimals (exact: the reader gives two places) and turned into
    whole 分 once per group.
    """
    sums: dict[summaries.Key, list[Any]] = {}
    zero = Decimal(0)
    needed = {str(status) for status in NEEDS_CERTIFICATE}
    done = str(CertificateStatus.DONE)
    # One C call per row for the seven values, not seven lookups (a million rows).
    picked = operator.itemgetter(
        "category_id", "utilisation", "package", "book_value", "original_value", "area", "certificate"
    )
    for row in rows:
        category, utilisation, package, book, original, area, certificate = picked(row.fields)
        key = (row.enterprise.id, category, utilisation, package)
        totals = sums.get(key)
        if totals is None:
            totals = sums[key] = [0, zero, zero, zero, 0, 0]
        totals[0] += 1
        totals[1] += book
        if original is not None:
            totals[2] += original
        if area is not None:
            totals[3] += area
        totals[4] += certificate in needed
        totals[5] += certificate == done
    return {key: [t[0], *(int(v * 100) for v in t[1:4]), t[4], t[5]] for key, t in sums.items()}


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
