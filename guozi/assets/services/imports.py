"""Importing a ledger file: the dry run (:func:`ledger_check`) and the import (:func:`ledger_import`).

Both run the same pipeline (``guozi.assets.importing``) over the file, streaming it in
chunks: rows are validated and matched to existing assets by (enterprise, code), a
chunk at a time, so a large file never sits in memory as model objects. The import
writes each chunk as it goes, inside one transaction around the whole file: when any
row turns out bad, even the last, the transaction rolls back and nothing is written,
no asset, no change record, no import batch.

What is recorded: the batch (who, when, from where, the file's SHA-256, rows created
and changed) in one change record; each changed asset in a change record of its own
with before and after; each created asset points at its batch (``created_in``), its
values as imported being the "before" of its first later change, or its values now.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from guozi.assets import summaries
from guozi.assets.importing.layout import Layout, read_layout
from guozi.assets.importing.rows import LedgerRow, RowReader
from guozi.assets.importing.template import template_xlsx
from guozi.assets.importing.writer import Inserter, write_changes
from guozi.assets.models import Asset, AssetCategory
from guozi.core import audit
from guozi.core.changes import Origin, record_change, snapshot
from guozi.core.choices import ChangeAction, ChangeSource
from guozi.core.heap import fewer_collections
from guozi.core.importing.filecheck import check_file
from guozi.core.importing.problems import FileRefused, RowError
from guozi.core.importing.reader import Row, read_rows
from guozi.core.models import ImportBatch, User
from guozi.core.scope import scope_for
from guozi.core.services.access import ensure_in_scope

#: Rows validated, matched and written together: at most one query per enterprise per chunk.
CHUNK_ROWS = 5000

#: Told, after each chunk, how many rows of the file have been read (valid or not).
Progress = Callable[[int], None]


@dataclass
class ImportOutcome:
    """What a file does to the ledger, or why it is refused."""

    file_name: str
    sha256: str
    unit: str = ""
    rows: int = 0
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Refused(Exception):
    """Raised inside the import's transaction to roll it back."""


def _chunks(rows: Iterator[LedgerRow]) -> Iterator[list[LedgerRow]]:
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


def _existing(chunk: list[LedgerRow], *, lock: bool, occupied: set[int]) -> dict[tuple[int, str], Asset]:
    """The chunk's assets already in the ledger, of the enterprises that had any when the import began.

    An enterprise without assets then has none of the file's codes now but the ones this
    import wrote, and the file names each code once (``RowReader``): no query for it. A
    row another user adds meanwhile under the same code makes the insert fail, and the
    import with it (the unique constraint).
    """
    if not occupied:
        return {}  # a first import into an empty ledger: nothing to look up
    codes: dict[int, list[str]] = defaultdict(list)
    for row in chunk:
        if row.enterprise.id in occupied:
            codes[row.enterprise.id].append(row.code)
    found: dict[tuple[int, str], Asset] = {}
    for enterprise_id, enterprise_codes in codes.items():
        queryset = Asset.objects.filter(enterprise_id=enterprise_id, code__in=enterprise_codes).order_by()
        if lock:
            queryset = queryset.select_for_update()
        found.update({(asset.enterprise_id, asset.code): asset for asset in queryset})
    return found


def _run(
    actor: User, file_name: str, content: bytes, write: Origin | None, progress: Progress | None = None
) -> ImportOutcome:
    """Validate (and, given ``write``, write) the file; the caller holds the transaction."""
    outcome = ImportOutcome(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    with fewer_collections():  # a million rows' objects: see core.heap
        try:
            rows = read_rows(check_file(file_name, content), content)
            layout = read_layout(rows)
            reader = RowReader(actor, layout.unit)
            outcome.unit = layout.unit
            occupied = summaries.enterprises_with_assets()
            inserter = Inserter(write.import_batch) if write is not None and write.import_batch is not None else None
            try:
                _chunked(reader, layout, rows, outcome, write, inserter, occupied, progress)
            except BaseException:
                if inserter is not None:
                    inserter.abandon()  # the connection is the transaction's again, to roll back
                raise
            if inserter is not None and not reader.error_count:
                inserter.finish()
            elif inserter is not None:
                inserter.flush()  # a bad row: what was sent is rolled back with the rest
            reader.finish()
        except FileRefused as refused:
            outcome.errors = [RowError(0, "", file_name, refused.message)]
            outcome.error_count = 1
            return outcome
    outcome.rows = reader.rows
    outcome.errors = reader.errors
    outcome.error_count = reader.error_count
    return outcome


def _chunked(
    reader: RowReader,
    layout: Layout,
    rows: Iterator[Row],
    outcome: ImportOutcome,
    write: Origin | None,
    inserter: Inserter | None,
    occupied: set[int],
    progress: Progress | None,
) -> None:
    """Validate, match and (given ``inserter``) write the file a chunk at a time."""
    may_add_everywhere = all(entry.may_add for entry in reader.enterprises.values() if entry is not None)
    for chunk in _chunks(reader.rows_of(layout, rows)):
        if inserter is not None and occupied and any(row.enterprise.id in occupied for row in chunk):
            inserter.flush()  # the ledger is read below: the rows sent so far go in first
        existing = _existing(chunk, lock=write is not None, occupied=occupied)
        updates: list[tuple[Asset, dict[str, Any]]]
        if not existing and may_add_everywhere:
            creates, updates = chunk, []  # every row new, and new rows allowed everywhere: nothing to sort out
        else:
            creates, updates = _sorted_out(chunk, existing, reader, outcome, write)
        outcome.creates += len(creates)
        outcome.updates += len(updates)
        # After the first error only validation goes on; the write is rolled back anyway.
        if inserter is not None and write is not None and not reader.error_count:
            inserter.add(creates)
            if updates:
                inserter.flush()  # the connection takes no other statement while a COPY is open
                write_changes(actor=reader.actor, origin=write, updates=updates)
        if progress is not None:
            progress(reader.rows)


def _sorted_out(
    chunk: list[LedgerRow],
    existing: dict[tuple[int, str], Asset],
    reader: RowReader,
    outcome: ImportOutcome,
    write: Origin | None,
) -> tuple[list[LedgerRow], list[tuple[Asset, dict[str, Any]]]]:
    """The chunk's rows to create and assets to change (each with its snapshot from before); the rest unchanged."""
    creates: list[LedgerRow] = []
    updates: list[tuple[Asset, dict[str, Any]]] = []
    for row in chunk:
        asset = existing.get((row.enterprise.id, row.code))
        if asset is None:
            if not row.enterprise.may_add:
                reader.error(row.number, "code", row.code, _("You may not add assets to this enterprise."))
                continue
            creates.append(row)
        elif any(getattr(asset, name) != value for name, value in row.fields.items()):
            if not row.enterprise.may_change:
                reader.error(row.number, "code", row.code, _("You may not change this enterprise's assets."))
                continue
            before = snapshot(asset)
            for name, value in row.fields.items():
                setattr(asset, name, value)
            asset.import_batch = write.import_batch if write is not None else None
            updates.append((asset, before))
        else:
            outcome.unchanged += 1
    return creates, updates


#: SQLite's page cache while an import writes (KiB; the default is 2 MiB). Every new row
#: lands in the table and three indexes: with the default the index pages are read back
#: from the file again and again (measured: about a tenth of the import's CPU at 100,000 rows).
IMPORT_PAGE_CACHE_KIB = 128 * 1024


@contextlib.contextmanager
def _page_cache_for_bulk_writes() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def ledger_template(*, reporting_unit: str = "", rows: Sequence[Sequence[Any]] = (), total: bool = False) -> bytes:
    """The import template (.xlsx), its drop-down offering today's asset classes; with ``rows``, filled in."""
    names = list(AssetCategory.objects.order_by("sort_order", "code").values_list("name", flat=True))
    return template_xlsx(categories=names, reporting_unit=reporting_unit, rows=rows, total=total)


def _check_may_import(actor: User) -> None:
    if scope_for(actor, Asset, "add") is None and scope_for(actor, Asset, "change") is None:
        raise PermissionDenied(_("You may not import assets."))


def _audit(actor: User, origin: Origin, file_name: str, sha256: str, outcome: ImportOutcome) -> None:
    audit.record_import(
        actor=actor,
        ip=origin.ip,
        what="assets",
        file_name=file_name,
        sha256=sha256,
        rows=outcome.rows,
        errors=len(outcome.errors),
    )


def ledger_check(*, actor: User, file_name: str, content: bytes) -> ImportOutcome:
    """The dry run: what the file would create, update and leave unchanged, or its errors. Writes nothing."""
    _check_may_import(actor)
    return _run(actor, file_name, content, write=None)


def ledger_import(
    *, actor: User, origin: Origin, file_name: str, content: bytes, progress: Progress | None = None
) -> ImportOutcome:
    """Import the file, all or nothing, as one ``ImportBatch`` that every written row points to.

    The batch is recorded with ``origin`` (the upload: web or command); each asset
    change with source "import" and the batch. A refused file leaves the database
    exactly as it was; the outcome then carries the errors and no batch.

    ``progress``, when given, is called after each chunk of rows with the number of
    rows read so far (inside the transaction: it must not write to the database).
    """
    _check_may_import(actor)
    if actor.organization_id is None:
        raise ValidationError(_("Your account belongs to no organisation, so an import cannot be recorded."))
    try:
        with _page_cache_for_bulk_writes(), transaction.atomic():
            batch = ImportBatch(
                file_name=file_name[:200],
                sha256=hashlib.sha256(content).hexdigest(),
                organization_id=actor.organization_id,
                created_by=actor,
            )
            ensure_in_scope(actor, batch, "add")
            batch.full_clean()
            batch.save()
            outcome = _run(
                actor, file_name, content, write=Origin(ChangeSource.IMPORT, origin.ip, batch), progress=progress
            )
            if not outcome.ok:
                raise _Refused
            # The batch learns its row count at the end; its creation is recorded with it.
            batch.rows, batch.created, batch.updated = outcome.rows, outcome.creates, outcome.updates
            batch.save(update_fields=["rows", "created", "updated", "updated_at"])
            record_change(
                actor=actor,
                origin=origin,
                action=ChangeAction.CREATE,
                instance=batch,
                before=None,
                after=snapshot(batch),
            )
            _audit(actor, origin, file_name, batch.sha256, outcome)
    except _Refused:
        # After the rollback, so that the refusal itself stays on record.
        _audit(actor, origin, file_name, hashlib.sha256(content).hexdigest(), outcome)
        return outcome
    except IntegrityError as exc:
        # Another import wrote the same codes between our check and our write.
        raise ValidationError(_("The ledger changed while importing: check the file again.")) from exc
    outcome.batch = batch
    return outcome
