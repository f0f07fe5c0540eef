"""The asset summary (``AssetSummary``): the ledger added up, kept exactly equal to it.

Invariant: for every (enterprise, class, utilisation, package) that has assets, one summary
row holds their count, their book value, original value and area (in whole 分 and 0.01 ㎡)
and how many need / have a title certificate; groups without assets have no row. Dashboards
read these few rows instead of grouping millions of ledger rows.

Every service that writes the ledger (``asset_create``/``_update``/``_delete``, transfers,
the import's writer) hands :func:`apply` each row's ledger values before and after
the write, inside the transaction that writes the ledger: the difference is added to the
summary with one upsert per touched group (``INSERT … ON CONFLICT … DO UPDATE SET n = n +
excluded.n``, the same statement on SQLite ≥ 3.24 and PostgreSQL), so the ledger write and
its summary commit or roll back together, and concurrent writers add up instead of
overwriting each other (the upsert locks the row it increments). A write behind the
services' back (``QuerySet.update``, SQL) is not seen: :func:`rebuild` recomputes the table
from the ledger and :func:`differences` finds such drift (``guozi summaries rebuild
[--check]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction

from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus
from guozi.assets.models import Asset, AssetSummary

#: The ledger values a summary row depends on, by attribute name (as ``snapshot`` keys them).
FIELDS = (
    "enterprise_id",
    "category_id",
    "utilisation",
    "package",
    "book_value",
    "original_value",
    "area",
    "certificate",
)
#: What identifies a summary row, and what it adds up, in the table's column order.
KEY = ("enterprise_id", "category_id", "utilisation", "package")
MEASURES = (
    "asset_count",
    "book_value_fen",
    "original_value_fen",
    "area_centi",
    "certificates_needed",
    "certificates_done",
)

Row = Mapping[str, Any]
Key = tuple[int, int, str, str]


def row_of(asset: Asset) -> dict[str, Any]:
    """The ledger values of ``asset`` as it is in hand."""
    return {name: getattr(asset, name) for name in FIELDS}


def stored(pk: Any) -> dict[str, Any]:
    """The ledger values of asset ``pk`` as stored, locked until the transaction ends (PostgreSQL)."""
    return dict(Asset.objects.select_for_update().values(*FIELDS).get(pk=pk))


def hundredths(value: Any) -> int:
    """An amount (元) in whole 分, an area (㎡) in whole 0.01 ㎡; a blank counts 0.

    ``value`` may be a ``Decimal`` or the string a change-log snapshot holds ("1234.50").
    """
    if value is None or value == "":
        return 0
    return int(Decimal(str(value)).scaleb(2).to_integral_value(ROUND_HALF_UP))


def _key(row: Row) -> Key:
    return (int(row["enterprise_id"]), int(row["category_id"]), str(row["utilisation"]), str(row["package"] or ""))


def _measures(row: Row) -> tuple[int, ...]:
    certificate = row["certificate"]
    return (
        1,
        hundredths(row["book_value"]),
        hundredths(row["original_value"]),
        hundredths(row["area"]),
        int(certificate in NEEDS_CERTIFICATE),
        int(certificate == CertificateStatus.DONE),
    )


def deltas(changes: Iterable[tuple[Row | None, Row | None]]) -> dict[Key, list[int]]:
    """What ``changes`` (a row's values before and after; None: created or deleted) add to each group."""
    found: dict[Key, list[int]] = {}
    for before, after in changes:
        for row, sign in ((before, -1), (after, 1)):
            if row is None:
                continue
            totals = found.setdefault(_key(row), [0] * len(MEASURES))
            for i, value in enumerate(_measures(row)):
                totals[i] += sign * value
    return {key: totals for key, totals in found.items() if any(totals)}


def _table() -> str:
    return connection.ops.quote_name(AssetSummary._meta.db_table)


def apply(changes: Iterable[tuple[Row | None, Row | None]]) -> None:
    """Add to the summary what ``changes`` did to the ledger; call it in the ledger write's transaction.

    Each change is (the row's ledger values before, after): (None, after) for a new row,
    (before, None) for a deleted one. ``before`` must be what is stored (``stored()``, a
    change-log ``snapshot``, or a row read afresh), not what a form handed in.

    Guarantee: called inside the ``transaction.atomic`` block that writes the ledger (refused
    outside one), the summary changes exactly by the difference, and with the ledger or not
    at all. One upsert per touched group and one delete per emptied group, sent as two
    ``executemany`` batches, whatever the number of ledger rows.
    """
    add(deltas(changes))


def add(found: dict[Key, list[int]]) -> None:
    """Add precomputed group differences (as :func:`deltas` gives them) to the summary; see :func:`apply`."""
    if not connection.in_atomic_block:
        raise RuntimeError("summaries.apply must run in the transaction that writes the ledger")
    if not found:
        return
    table = _table()
    columns = ", ".join((*KEY, *MEASURES))
    placeholders = ", ".join(["%s"] * (len(KEY) + len(MEASURES)))
    increments = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608  # nosec B608 # the model's own table and column names
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {increments}",
            # In key order: two transactions touching the same groups lock them in the same
            # order, so they queue instead of deadlocking (PostgreSQL row locks).
            [(*key, *totals) for key, totals in sorted(found.items())],
        )
        emptied = [key for key, totals in sorted(found.items()) if totals[0] < 0]
        if emptied:
            # A group whose last asset left has no row (the invariant: rows = groups with assets).
            cursor.executemany(
                f"DELETE FROM {table} WHERE enterprise_id = %s AND category_id = %s "  # noqa: S608  # nosec B608 # the model's own table and column names
                "AND utilisation = %s AND package = %s AND asset_count = 0",
                emptied,
            )


def enterprises_with_assets() -> set[int]:
    """The enterprises that have at least one asset (read from the summary, not the ledger)."""
    return set(AssetSummary.objects.order_by().values_list("enterprise_id", flat=True).distinct())


def _aggregate_sql(asset_table: str) -> tuple[str, list[str]]:
    """The ledger grouped as the summary is, in SQL both databases run alike."""
    needed = ", ".join(["%s"] * len(NEEDS_CERTIFICATE))

    def fen(column: str) -> str:
        # ROUND before CAST: SQLite keeps DECIMAL as float (12.34 * 100 = 1233.9999…).
        return f"SUM(CAST(ROUND(COALESCE({column}, 0) * 100) AS BIGINT))"

    sql = (
        f"SELECT enterprise_id, category_id, utilisation, package, COUNT(*), {fen('book_value')}, "  # noqa: S608  # nosec B608 # the model's own table and column names
        f"{fen('original_value')}, {fen('area')}, "
        f"SUM(CASE WHEN certificate IN ({needed}) THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN certificate = %s THEN 1 ELSE 0 END) "
        f"FROM {asset_table} GROUP BY enterprise_id, category_id, utilisation, package"
    )
    return sql, [str(s) for s in NEEDS_CERTIFICATE] + [str(CertificateStatus.DONE)]


def fill(cursor: Any, asset_table: str, summary_table: str) -> None:
    """Empty the summary table and fill it from the ledger (the rebuild; migration 0005 too)."""
    select, params = _aggregate_sql(asset_table)
    columns = ", ".join((*KEY, *MEASURES))
    cursor.execute(f"DELETE FROM {summary_table}")  # noqa: S608  # nosec B608 # the model's own table and column names
    cursor.execute(f"INSERT INTO {summary_table} ({columns}) {select}", params)


def _lock(cursor: Any) -> None:
    if connection.vendor == "postgresql":
        # Ledger writers wait (their summary deltas would land on rows being replaced);
        # readers go on. SQLite serialises writers by itself.
        asset = connection.ops.quote_name(Asset._meta.db_table)
        cursor.execute(f"LOCK TABLE {asset} IN SHARE MODE")
        cursor.execute(f"LOCK TABLE {_table()} IN EXCLUSIVE MODE")


def fresh() -> dict[Key, tuple[int, ...]]:
    """The summary as the ledger is now, aggregated afresh (one GROUP BY over the ledger)."""
    sql, params = _aggregate_sql(connection.ops.quote_name(Asset._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(r[0]), int(r[1]), r[2], r[3]): tuple(int(v) for v in r[4:]) for r in cursor.fetchall()}


def current() -> dict[Key, tuple[int, ...]]:
    """The summary table as it is."""
    rows = AssetSummary.objects.order_by().values_list(*KEY, *MEASURES)
    return {(r[0], r[1], r[2], r[3]): tuple(int(v) for v in r[4:]) for r in rows}


def differences() -> list[tuple[Key, tuple[int, ...] | None, tuple[int, ...] | None]]:
    """(group, summary row, ledger's figures) wherever they differ; a missing side is None."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            _lock(cursor)
        summary, ledger = current(), fresh()
    return [
        (key, summary.get(key), ledger.get(key))
        for key in sorted(summary.keys() | ledger.keys())
        if summary.get(key) != ledger.get(key)
    ]


def rebuild() -> int:
    """Recompute the whole summary from the ledger in one transaction; the number of rows written."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        fill(cursor, connection.ops.quote_name(Asset._meta.db_table), _table())
        return AssetSummary.objects.count()
