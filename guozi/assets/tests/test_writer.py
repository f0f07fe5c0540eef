"""The import's writer: new rows on their way into the database while the next chunk is checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from guozi.assets.importing import writer
from guozi.assets.importing.layout import SheetRow
from guozi.assets.importing.rows import KEYS, LedgerRow, RowReader
from guozi.assets.importing.writer import Inserter
from guozi.assets.models import Asset, AssetCategory
from guozi.assets.tests.ledgerfiles import row
from guozi.core.models import ImportBatch
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def ledger_rows(*codes: str) -> list[LedgerRow]:
    reader = RowReader(user("chengfa"), "万元")
    found = [
        reader.read(SheetRow(n, dict(zip(KEYS, row(code), strict=True)), is_total=False))
        for n, code in enumerate(codes)
    ]
    assert reader.errors == []
    return [r for r in found if r is not None]


def batch() -> ImportBatch:
    return ImportBatch.objects.create(
        file_name="t.csv", sha256="0" * 64, organization=org("市城发集团"), created_by=user("chengfa")
    )


def test_no_statement_runs_while_new_rows_are_on_their_way_and_after_a_flush_they_are_there() -> None:
    with transaction.atomic():
        before = Asset.objects.count()
        inserter = Inserter(batch())
        first, second = ledger_rows("WR-1", "WR-2"), ledger_rows("WR-3")
        inserter.add(first)
        with pytest.raises(RuntimeError, match="flush"):
            Asset.objects.count()
        inserter.add(second)  # waits for the chunk before
        inserter.finish()
        assert Asset.objects.count() == before + 3
        assert list(Asset.objects.filter(code__startswith="WR-").order_by("pk").values_list("code", flat=True)) == [
            "WR-1",
            "WR-2",
            "WR-3",
        ]


def insert(rows: list[LedgerRow]) -> None:
    with transaction.atomic():
        inserter = Inserter(batch())
        inserter.add(rows)
        inserter.finish()


def test_a_code_taken_meanwhile_fails_the_insert_as_djangos_integrity_error() -> None:
    taken = Asset.objects.filter(enterprise=org("市城发集团")).order_by("pk").first()
    assert taken is not None
    rows = ledger_rows("WR-9", taken.code)  # the file's check would have matched it: another user's
    with pytest.raises(IntegrityError):
        insert(rows)
    assert not Asset.objects.filter(code="WR-9").exists()


def test_new_rows_carry_the_moment_of_their_insert_to_the_microsecond(monkeypatch: pytest.MonkeyPatch) -> None:
    # On PostgreSQL the COPY is given the timestamps as text, formatted once: they must read
    # back as the very moment, time zone and microseconds included.
    moment = datetime(2026, 11, 28, 19, 16, 53, 704279, tzinfo=UTC)
    # Django's timezone.now itself (the writer's module holds no copy of it): every caller in the
    # test sees this moment; only the ledger rows' stamps are asserted.
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    insert(ledger_rows("WR-T1", "WR-T2"))
    stamps = set(Asset.objects.filter(code__startswith="WR-T").values_list("created_at", "updated_at"))
    assert stamps == {(moment, moment)}


def _orphan(code: str) -> None:
    """An asset row whose enterprise does not exist, by SQL: its foreign key is checked at the commit."""
    missing = Asset.objects.order_by("-enterprise_id").values_list("enterprise_id", flat=True).first()
    assert missing is not None
    category = AssetCategory.objects.values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Asset._meta.db_table} (enterprise_id, code, name, category_id, quantity, book_value, "  # noqa: S608
            "certificate, utilisation, package, note, location, created_at, updated_at, version) "
            "VALUES (%s, %s, 'x', %s, 1, 1, 'none', 'in_use', '', '', '', now(), now(), 1)",
            [missing + 10_000, code, category],
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred foreign keys")
def test_the_foreign_keys_checked_beside_the_summary_fail_as_djangos_integrity_error_and_are_deferred_again() -> None:
    with transaction.atomic():
        _orphan("WR-F1")
        with pytest.raises(IntegrityError), writer._foreign_keys_checked_meanwhile():
            pass  # the server finds the orphan while this block runs: the block's end says so
        transaction.set_rollback(True)
    with transaction.atomic():
        with writer._foreign_keys_checked_meanwhile(), pytest.raises(RuntimeError, match="foreign keys"):
            Asset.objects.count()  # the connection is the checks' until the block ends
        # Deferred again: an orphan now passes its statement and fails at the commit, as before.
        _orphan("WR-F2")
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=True), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
