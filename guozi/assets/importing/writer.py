"""Assets and their change records, written in bulk, in the caller's transaction.

An import writes up to millions of rows, and issue 7 holds it to twice the cost of
reading the file and inserting its rows with nothing in between. So:

- New rows (:class:`Inserter`) go in as plain values, no model instances: on SQLite one
  ``INSERT … SELECT`` per chunk from the chunk as JSON, on a thread of its own; ``COPY`` on
  PostgreSQL. Every value was validated and converted by
  ``RowReader``, which enforces the model's rules (lengths, choices, digits, ranges; the
  database enforces uniqueness and its check constraints); ``test_rows`` holds the reader
  to ``Asset.full_clean``. They are recorded once, on their import batch (the batch's
  change record and ``Asset.created_in``), not one change record per row.
- Changed rows (:func:`write_changes`) are few: each is validated with ``full_clean``,
  saved by compare-and-swap on its version and recorded with its before and after.
- On PostgreSQL the new rows' foreign keys, checked at the commit by default, are checked
  while this process adds up their summary and works out its writes
  (:func:`_foreign_keys_checked_meanwhile`).

Both add their difference to the asset summary (``guozi.assets.summaries``) in one upsert
batch. Nothing here opens a transaction: the import service wraps the whole file in one,
so a failure anywhere leaves neither assets nor records behind.
"""

from __future__ import annotations

import contextlib
import json
import operator
import threading
from collections.abc import Iterable, Iterator
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

    The database inserts and indexes one chunk while this process checks the next: on
    PostgreSQL one COPY stays open from chunk to chunk (the server works in a process of
    its own); on SQLite each chunk is one statement run on a thread of its own
    (:class:`_BackgroundStatement`). While rows are on their way the connection takes no other
    statement: whoever queries in between calls :meth:`flush` first (the import does before
    it matches rows to existing assets, before it writes changes, and at the end).
    """

    def __init__(self, batch: ImportBatch) -> None:
        _check_columns()
        now = timezone.now()
        # On PostgreSQL the two timestamps go as the very text psycopg would make of them
        # (``str``): formatted once here, not once a row in the COPY, where an aware datetime
        # cost 4.7 µs of a typical row's 5.7-9.6 µs of formatting (docs/benchmarks.md, twelfth session).
        stamp = str(now) if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
        self.tail = (batch.pk, batch.pk, stamp, stamp, 1)
        #: What the new rows add to each summary group, added up over the whole file
        #: (a chunk of 5,000 rows touches thousands of groups: adding per chunk and merging
        #: would add most rows twice).
        self.created = CreatedSums()
        #: The guard against other statements and what ends the rows' way in (COPY or thread).
        self._sending: contextlib.ExitStack | None = None
        self._copy: Any = None
        self._insert: _BackgroundStatement | None = None

    def add(self, rows: list[LedgerRow]) -> None:
        """Insert ``rows`` (validated, none in the ledger yet): into the open COPY, or as the next chunk's statement."""
        if not rows:
            return
        field_values = operator.itemgetter(*VALUE_FIELDS)
        self.created.add(rows)
        if connection.vendor == "postgresql":
            tail = self.tail
            write_row = self._open_copy().write_row
            for row in rows:
                write_row((row.enterprise.id, row.code, *field_values(row.fields), *tail))
            return
        # Decimals and dates as their text, as Django's SQLite adapters bind them (SQLite's
        # column affinity then stores both alike; test_imports compares the stored rows).
        # ASCII JSON is the encoder's fastest form; SQLite reads its \u escapes back.
        text = json.dumps([(row.enterprise.id, row.code, *field_values(row.fields)) for row in rows], default=str)
        self.flush()  # one chunk on its way at a time
        self._sending = contextlib.ExitStack()
        self._sending.enter_context(connection.execute_wrapper(_refuse_while_sending))
        connection.ensure_connection()
        self._insert = _BackgroundStatement(connection.connection, _json_insert_sql(), (*self.tail, text))
        self._sending.callback(self._insert.wait)

    def _open_copy(self) -> Any:
        if self._sending is None:
            table = connection.ops.quote_name(Asset._meta.db_table)
            self._sending = contextlib.ExitStack()
            cursor = self._sending.enter_context(connection.cursor())
            # COPY: the fastest way into PostgreSQL (no statement per row). psycopg's own cursor.
            statement = f"COPY {table} ({', '.join(INSERT_COLUMNS)}) FROM STDIN"
            self._copy = self._sending.enter_context(cursor.cursor.copy(statement))
            # A query now would wait for the COPY's end for ever (psycopg's lock on the
            # connection): say so instead.
            self._sending.enter_context(connection.execute_wrapper(_refuse_while_sending))
        return self._copy

    def flush(self) -> None:
        """Wait for the rows on their way: then they are in the table and the connection free for other statements.

        The database's errors come as Django's (``IntegrityError`` for a code another
        user has added meanwhile), from the COPY as from the thread.
        """
        if self._sending is not None:
            sending, self._sending, self._copy, self._insert = self._sending, None, None, None
            with connection.wrap_database_errors:
                sending.close()

    def abandon(self) -> None:
        """End the rows' way in after a failure (the import rolls back anyway): PostgreSQL refuses the COPY's rows."""
        if self._sending is not None:
            if self._insert is not None:
                self._insert.discard()  # the failure being raised is the one to report
            sending, self._sending, self._copy, self._insert = self._sending, None, None, None
            sending.__exit__(_Abandoned, _Abandoned(), None)

    def finish(self) -> None:
        """Wait for the last rows, then add the new rows to the summary: one write per table for the whole file.

        What the summary and the rollup need from the database (the enterprises' ancestors,
        which owners have rows already) is read first; the groups, their rollup and the
        writes' text are worked out while the server checks the rows; then only the sending
        is left.
        """
        self.flush()
        enterprise_ids = self.created.enterprise_ids()
        if not enterprise_ids:
            return  # no new row: nothing to add up, no checks queued by a COPY
        up = summaries.ancestors(enterprise_ids)
        owners = summaries.owners_with_rows(enterprise_ids, {pk for chain in up.values() for pk in chain})
        with _foreign_keys_checked_meanwhile():
            found = self.created.deltas()
            writes = summaries.planned(found, summaries.rolled_up(found, up), owners)
        summaries.write(writes)


def _refuse_while_sending(*args: Any) -> None:
    raise RuntimeError("New assets are on their way into this connection: call Inserter.flush() before querying.")


def _refuse_while_checking(*args: Any) -> None:
    raise RuntimeError("The server is checking the new assets' foreign keys on this connection: no query meanwhile.")


@contextlib.contextmanager
def _foreign_keys_checked_meanwhile() -> Iterator[None]:
    """On PostgreSQL, the ledger's deferred foreign-key checks run on the server while the block runs here.

    The COPY leaves two checks a new row (enterprise, class) queued for the commit, where
    this process would wait for them (a fifth of a million-row import), after the server
    had waited for this process to add up the summary. ``SET CONSTRAINTS … IMMEDIATE``
    runs the queued checks at once; sent from a thread, which waits for it without the GIL,
    it lets the block (pure Python, the connection refuses a query meanwhile) use the
    other core. (Moving the checks into the loop over the chunks did not pay: there both
    cores are busy already; docs/benchmarks.md.) The constraints are deferred again
    afterwards: the rest of the transaction sees no difference.
    """
    names = _deferred_foreign_keys() if connection.vendor == "postgresql" else []
    if not names:
        yield
        return
    listed = ", ".join(connection.ops.quote_name(name) for name in names)
    connection.ensure_connection()
    checks = _BackgroundStatement(connection.connection, f"SET CONSTRAINTS {listed} IMMEDIATE", None)
    try:
        with connection.execute_wrapper(_refuse_while_checking):
            yield
    except BaseException:
        checks.discard()  # the block's failure is the one to report
        raise
    with connection.wrap_database_errors:
        checks.wait()  # a violation: IntegrityError, as it would have been at the commit
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {listed} DEFERRED")


def _deferred_foreign_keys() -> list[str]:
    """The names of the ledger table's foreign keys that PostgreSQL checks at the commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' AND condeferred "
            "ORDER BY conname",
            [connection.ops.quote_name(Asset._meta.db_table)],
        )
        return [name for (name,) in cursor.fetchall()]


class _Abandoned(Exception):
    """Handed to the COPY's context on a failure, so that psycopg ends it with CopyFail."""


def _json_insert_sql() -> str:
    """One chunk's new rows from a JSON array of value arrays; the import's own five values as parameters."""
    table = connection.ops.quote_name(Asset._meta.db_table)
    picked = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(VALUE_FIELDS) + 2))
    return (
        f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608  # nosec B608 # the model's own table and column names
        f"SELECT {picked}, ?1, ?2, ?3, ?4, ?5 FROM json_each(?6)"
    )


class _BackgroundStatement:
    """One statement on the import's connection, on a thread of its own; :meth:`wait` raises what it raised.

    On SQLite a chunk's insert: sqlite3 hands the GIL back while SQLite runs a statement,
    so the whole chunk (reading the JSON, checking the constraints, writing the table and
    its four indexes) runs on the second core while the import checks the next chunk in
    Python: one hand-over of the GIL per chunk. (Tried before and dropped: ``executemany``
    on the thread, which takes the GIL back for every row it binds, and with it two
    threads took 1.5× as long.) On PostgreSQL the foreign-key checks: psycopg waits for the
    server without the GIL.

    The connection (the DB-API one under Django's) is the import's own, inside its
    transaction; Django opens SQLite connections for use from any thread, a psycopg
    connection may be used from any thread, and the import's thread touches it only
    through this module, which waits for this before any other statement.
    """

    def __init__(self, database: Any, sql: str, params: tuple[Any, ...] | None) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(database, sql, params), name="ledger-statement", daemon=True
        )
        self._thread.start()

    def _run(self, database: Any, sql: str, params: tuple[Any, ...] | None) -> None:
        try:
            database.execute(sql, params)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            self._error = exc

    def wait(self) -> None:
        """Wait for the statement and raise its error, if any (sqlite3's own: the caller makes it Django's)."""
        self._thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise error

    def discard(self) -> None:
        """Wait for the statement and forget its error."""
        self._thread.join()
        self._error = None


class CreatedSums:
    """What new rows add to each summary group: ``summaries.deltas`` for rows fresh from the reader.

    Amounts are added up as Decimals (exact: the reader gives two places) and turned into
    whole 分 once per group, in :meth:`deltas`.
    """

    _NEEDED = frozenset(str(status) for status in NEEDS_CERTIFICATE)
    _DONE = str(CertificateStatus.DONE)
    # One C call per row for the seven values, not seven lookups (a million rows).
    _PICKED = operator.itemgetter(
        "category_id", "utilisation", "package", "book_value", "original_value", "area", "certificate"
    )

    def __init__(self) -> None:
        self._sums: dict[summaries.Key, list[Any]] = {}

    def add(self, rows: Iterable[LedgerRow]) -> None:
        sums, needed, done, picked = self._sums, self._NEEDED, self._DONE, self._PICKED
        zero = Decimal(0)
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

    def enterprise_ids(self) -> set[int]:
        return {key[0] for key in self._sums}

    def deltas(self) -> dict[summaries.Key, list[int]]:
        return {key: [t[0], *(int(v * 100) for v in t[1:4]), t[4], t[5]] for key, t in self._sums.items()}


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
