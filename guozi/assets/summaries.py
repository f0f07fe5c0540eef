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
overwriting each other (the upsert locks the row it increments); on PostgreSQL the groups of
an owner without any row yet go in by COPY (see ``_table_write``). The same deltas go to the
rollup (``AssetRollup``) of every ancestor of each enterprise written (itself included), so a
subtree's census reads one organisation's rows; a transfer inside a subtree cancels out there.
An organisation moved to another parent takes its subtree's rollup along (:func:`move`, from
``guozi.assets.tree``). A write behind the
services' back (``QuerySet.update``, SQL) is not seen: :func:`rebuild` recomputes the table
from the ledger and :func:`differences` finds such drift (``guozi summaries rebuild
[--check]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction

from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus
from guozi.assets.models import Asset, AssetRollup, AssetSummary
from guozi.core.models import Organization

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
#: (enterprise or, in the rollup, organisation, class, utilisation, package).
Key = tuple[int, int, str, str]
#: What a difference names: "enterprise" (the summary) or "subtree" (the rollup), then the group.
ENTERPRISE, SUBTREE = "enterprise", "subtree"
ANCESTOR_CHUNK = 10_000


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


def _quoted(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _table() -> str:
    return _quoted(AssetSummary)


def _organizations() -> str:
    return _quoted(Organization)


def _up_cte(organizations: str, where: str = "") -> str:
    """``up(enterprise_id, organization_id)``: each organisation (``where`` narrows which) with
    itself and every ancestor, in one recursive query both databases run."""
    # The model's own table; ``where`` holds placeholders only.
    return (
        "WITH RECURSIVE up(enterprise_id, organization_id) AS ("  # noqa: S608  # nosec B608
        f"SELECT id, id FROM {organizations} {where} "
        f"UNION ALL SELECT up.enterprise_id, o.parent_id FROM up JOIN {organizations} o "
        "ON o.id = up.organization_id WHERE o.parent_id IS NOT NULL) "
    )


def ancestors(enterprise_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each enterprise's organisations whose subtree holds it: itself and every ancestor (one query)."""
    ids = sorted(set(enterprise_ids))
    found: dict[int, list[int]] = {pk: [] for pk in ids}
    with connection.cursor() as cursor:
        # In chunks: SQLite takes at most 32,766 parameters a statement.
        for start in range(0, len(ids), ANCESTOR_CHUNK):
            chunk = ids[start : start + ANCESTOR_CHUNK]
            where = f"WHERE id IN ({', '.join(['%s'] * len(chunk))})"
            sql = _up_cte(_organizations(), where) + "SELECT enterprise_id, organization_id FROM up"  # noqa: S608  # nosec B608 # fixed names, placeholders only
            cursor.execute(sql, chunk)
            for enterprise_id, organization_id in cursor.fetchall():
                found[enterprise_id].append(organization_id)
    return found


def rolled_up(found: Mapping[Key, list[int]], up: Mapping[int, list[int]] | None = None) -> dict[Key, list[int]]:
    """The per-enterprise groups ``found`` added to every organisation above (and at) each enterprise."""
    up = ancestors(key[0] for key in found) if up is None else up
    rolled: dict[Key, list[int]] = {}
    for (enterprise_id, *group), totals in found.items():
        for organization_id in up[enterprise_id]:
            into = rolled.setdefault((organization_id, *group), [0] * len(MEASURES))  # type: ignore[arg-type]
            for i, value in enumerate(totals):
                into[i] += value
    # A transfer between two enterprises of one subtree leaves that subtree's rows as they were.
    return {key: totals for key, totals in rolled.items() if any(totals)}


#: The SQL types of ``KEY`` and ``MEASURES``, for PostgreSQL's one-array-per-column upsert.
COLUMN_TYPES = ("bigint", "bigint", "text", "text", *["bigint"] * len(MEASURES))


def _array_literal(values: Sequence[Any], kind: str) -> str:
    """``values`` as one PostgreSQL array literal of ``kind``: ``{1,2}`` or ``{"a","b"}``.

    One string parameter instead of a list: psycopg's client-side binding quotes a list element
    by element, 1.8 s of a 100,000-row import's 84,000 groups (profiled).
    """
    if kind != "text":
        return "{" + ",".join(map(str, values)) + "}"
    quoted = (str(value).replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return '{"' + '","'.join(quoted) + '"}' if values else "{}"


#: From how many groups on PostgreSQL looks for owners without rows, to COPY theirs: an import's
#: batch, not a hand edit's few groups (one query more for nothing).
COPY_FROM = 1000


def _owners_with_rows(cursor: Any, table: str, owner: str, owners: Iterable[int]) -> set[int]:
    """Which of ``owners`` have at least one row in ``table`` (PostgreSQL): one statement, one
    index probe each; the owners go as one array parameter, so no chunks are needed."""
    cursor.execute(
        f"SELECT o FROM unnest(%s::bigint[]) AS o WHERE EXISTS (SELECT 1 FROM {table} WHERE {owner} = o)",  # noqa: S608  # nosec B608 # the model's own table and column names
        [_array_literal(sorted(set(owners)), "bigint")],
    )
    return {pk for (pk,) in cursor.fetchall()}


class Owners(NamedTuple):
    """Which enterprises have summary rows and which organisations rollup rows, before a write;
    None: not asked (SQLite, which has no COPY): every group is upserted."""

    enterprises: set[int] | None
    organizations: set[int] | None


NOT_ASKED = Owners(None, None)


def owners_with_rows(enterprise_ids: Iterable[int] | None, organization_ids: Iterable[int] | None) -> Owners:
    """On PostgreSQL, which of the given owners already have summary and rollup rows (a query a
    table; None: that table is not asked, every group of it is upserted).

    The groups of the others are new rows for certain, which :func:`planned` sends by COPY.
    """
    if connection.vendor != "postgresql":
        return NOT_ASKED
    with connection.cursor() as cursor:
        return Owners(
            None if enterprise_ids is None else _owners_with_rows(cursor, _table(), "enterprise_id", enterprise_ids),
            None
            if organization_ids is None
            else _owners_with_rows(cursor, _quoted(AssetRollup), "organization_id", organization_ids),
        )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class TableWrite(NamedTuple):
    """One table's share of a write, worked out in Python: what :func:`write` sends as it is."""

    model: Any
    owner: str
    #: How many groups the difference touches.
    groups: int
    #: The groups of owners without any row, in COPY's text format.
    fresh: str
    #: The other groups' (key, totals), in key order.
    upserts: list[tuple[Any, ...]]
    #: Groups whose last asset left: their rows go.
    emptied: list[Key]


def _table_write(model: Any, owner: str, found: Mapping[Key, list[int]], present: set[int] | None) -> TableWrite:
    # In key order: two transactions touching the same groups lock them in the same order (an
    # upsert's row, a new row's unique index entry), so they queue instead of deadlocking, and
    # the second learns of the first by a unique violation. The keys are unique, so no statement
    # updates a row twice (which PostgreSQL refuses).
    ordered = sorted(found.items())
    fresh = ""
    if present is not None:
        # Owners with no row at all (an enterprise's first assets, a subtree's first): new rows
        # for certain, by COPY, at half an upsert's cost (185,000 groups: 1.0 s against 2.1 s).
        # Should another transaction add the same owner's first rows meanwhile, the unique
        # constraint refuses the second to commit.
        fresh = "".join(
            f"{key[0]}\t{key[1]}\t{key[2].translate(_COPY_ESCAPES)}\t{key[3].translate(_COPY_ESCAPES)}\t"
            + "\t".join(map(str, totals))
            + "\n"
            for key, totals in ordered
            if key[0] not in present
        )
        ordered = [(key, totals) for key, totals in ordered if key[0] in present]
    upserts = [(*key, *totals) for key, totals in ordered]
    emptied = [key for key, totals in ordered if totals[0] < 0]
    return TableWrite(model, owner, len(found), fresh, upserts, emptied)


class Planned(NamedTuple):
    """A difference's writes to both tables (:func:`planned`)."""

    summary: TableWrite
    rollup: TableWrite


def planned(found: Mapping[Key, list[int]], rolled: Mapping[Key, list[int]], owners: Owners) -> Planned:
    """The summary's and the rollup's writes for these differences, without touching the database.

    The import works them out while the server checks its rows (``importing.writer``), so that
    after the checks only the sending is left (:func:`write`).
    """
    return Planned(
        _table_write(AssetSummary, "enterprise_id", found, owners.enterprises),
        _table_write(AssetRollup, "organization_id", rolled, owners.organizations),
    )


def _write(table_write: TableWrite) -> None:
    model, owner, _groups, fresh, upserts, emptied = table_write
    table = _quoted(model)
    columns = ", ".join((owner, *KEY[1:], *MEASURES))
    increments = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    conflict = f"ON CONFLICT ({owner}, {', '.join(KEY[1:])}) DO UPDATE SET {increments}"  # nosec B608 # the model's own column names
    with connection.cursor() as cursor:
        if fresh:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(fresh)
        if upserts and connection.vendor == "postgresql":
            # One statement, one array per column. One statement per group (executemany) took
            # about 65 µs a group: a 100,000-row import into 10,000 enterprises writes 84,000
            # summary and rollup groups, 7.5 s of its 19 (profiled). Nor a VALUES list of 500
            # groups a statement: psycopg's client-side binding parses its 5,000 placeholders
            # afresh every time (30 ms a statement).
            arrays = ", ".join(f"%s::{kind}[]" for kind in COLUMN_TYPES)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {conflict}",  # noqa: S608  # nosec B608 # the model's own table and column names
                [
                    _array_literal(column, kind)
                    for column, kind in zip(zip(*upserts, strict=True), COLUMN_TYPES, strict=True)
                ],
            )
        elif upserts:
            # SQLite steps one compiled statement per group in process: blocks of groups a
            # statement measured no faster (6.4-7.2 s against 6.0 s at 100,000 rows).
            placeholders = ", ".join(["%s"] * (len(KEY) + len(MEASURES)))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {conflict}", upserts)  # noqa: S608  # nosec B608 # the model's own table and column names
        if emptied:
            # A group whose last asset left has no row (the invariant: rows = groups with assets).
            cursor.executemany(
                f"DELETE FROM {table} WHERE {owner} = %s AND category_id = %s "  # noqa: S608  # nosec B608 # the model's own table and column names
                "AND utilisation = %s AND package = %s AND asset_count = 0",
                emptied,
            )


def apply(changes: Iterable[tuple[Row | None, Row | None]]) -> None:
    """Add to the summary and the rollup what ``changes`` did to the ledger; call it in the ledger
    write's transaction.

    Each change is (the row's ledger values before, after): (None, after) for a new row,
    (before, None) for a deleted one. ``before`` must be what is stored (``stored()``, a
    change-log ``snapshot``, or a row read afresh), not what a form handed in.

    Guarantee: called inside the ``transaction.atomic`` block that writes the ledger (refused
    outside one), after the ledger write, the summary and every rollup above the enterprises
    written change exactly by the difference, and with the ledger or not at all. One query for
    the enterprises' ancestors, then per table one upsert (PostgreSQL: one statement; from
    ``COPY_FROM`` groups on, one query for the owners without rows and one COPY of theirs; SQLite:
    ``executemany``) and one delete batch, whatever the number of ledger rows.
    """
    add(deltas(changes))


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("summaries.apply must run in the transaction that writes the ledger")


def _asked(found: Mapping[Key, list[int]]) -> Iterable[int] | None:
    """The owners worth asking about (:func:`owners_with_rows`): an import's batch, not a hand
    edit's few groups, for which the query would cost more than the COPY saves."""
    return (key[0] for key in found) if len(found) >= COPY_FROM else None


def add(found: dict[Key, list[int]]) -> None:
    """Add precomputed group differences (as :func:`deltas` gives them); see :func:`apply`.

    The same two halves as the import's, back to back: :func:`planned`, then :func:`write`.
    """
    _in_transaction()
    if not found:
        return
    rolled = rolled_up(found)
    write(planned(found, rolled, owners_with_rows(_asked(found), _asked(rolled))))


def write(writes: Planned) -> None:
    """Send what :func:`planned` worked out (the import's way to :func:`add`), in the ledger write's transaction."""
    _in_transaction()
    _write(writes.summary)
    _write(writes.rollup)
    _statistics_after_commit(writes.rollup.groups)


#: From how many rollup groups written on PostgreSQL gathers the summaries' statistics again
#: after the commit, when they are also a tenth of the table or more (autovacuum's own rule).
ANALYZE_FROM = 10_000


def worth_analyzing(groups: int, rows: float) -> bool:
    """Whether ``groups`` written into a rollup PostgreSQL believes holds ``rows`` rows call for
    fresh statistics: a tenth of the table or more, or a table never analysed (``rows`` −1)."""
    return rows < 0 or groups >= rows / 10


def _rollup_rows() -> float:
    """The rollup's row count as PostgreSQL's planner knows it (−1: never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [AssetRollup._meta.db_table])
        row = cursor.fetchone()
    return float(row[0]) if row else -1.0


def _statistics_after_commit(groups: int) -> None:
    """After a large write, ``ANALYZE`` the summary and the rollup once the transaction commits.

    The census, the list's totals and the report read the rollup by organisation; without
    statistics (an import into an empty ledger writes it anew, and so does ``rebuild``) PostgreSQL
    plans the report's 200 groups as a scan of every rollup row: 25 ms a query against 7.6 ms at
    200,000 rows, the report 0.206 s against 0.136 s, the list page under load 57 requests/s
    against 150 (docs/benchmarks.md, tenth session). Autovacuum would gather them within a
    minute, if it runs; this costs the import about 0.3 s at a million rows. After the commit,
    not in it: ANALYZE holds its lock to the transaction's end, and two imports would queue on
    it. ``SKIP_LOCKED``: a table being vacuumed is left to autovacuum rather than kept waiting for.
    """
    if connection.vendor != "postgresql" or groups < ANALYZE_FROM or not worth_analyzing(groups, _rollup_rows()):
        return
    tables = ", ".join(_quoted(model) for model in (AssetSummary, AssetRollup))

    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE (SKIP_LOCKED) {tables}")

    # robust: the write has committed; a failed ANALYZE is logged, never the import's error.
    transaction.on_commit(analyze, robust=True)


def move(organization_id: int, old_parent_id: int | None, new_parent_id: int | None) -> None:
    """Carry organisation ``organization_id``'s subtree figures from its old ancestors to its new.

    Guarantee: called in the transaction that changes the organisation's parent (refused
    outside one), the rollup of every organisation above the old parent loses, and of every
    one above the new parent gains, exactly the moved subtree's rows; rows common to both
    chains are left alone. Ledger writers wait until the move commits (PostgreSQL: the same
    locks as the rebuild), so none adds to the old chain after the figures were read.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("summaries.move must run in the transaction that moves the organisation")
    with connection.cursor() as cursor:
        _lock(cursor)
    subtree = AssetRollup.objects.filter(organization_id=organization_id).values_list(*KEY[1:], *MEASURES)
    parents = [pk for pk in (old_parent_id, new_parent_id) if pk is not None]
    chains = ancestors(parents)
    found: dict[Key, list[int]] = {}
    for category_id, utilisation, package, *measures in subtree:
        for parent_id, sign in ((old_parent_id, -1), (new_parent_id, 1)):
            if parent_id is None:
                continue
            for above in chains[parent_id]:
                totals = found.setdefault((above, category_id, utilisation, package), [0] * len(MEASURES))
                for i, value in enumerate(measures):
                    totals[i] += sign * value
    moved = {key: totals for key, totals in found.items() if any(totals)}
    present = owners_with_rows(None, _asked(moved)).organizations
    _write(_table_write(AssetRollup, "organization_id", moved, present))


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
    """Empty the summary table and fill it from the ledger (the rebuild; migration 0006 too)."""
    select, params = _aggregate_sql(asset_table)
    columns = ", ".join((*KEY, *MEASURES))
    cursor.execute(f"DELETE FROM {summary_table}")  # noqa: S608  # nosec B608 # the model's own table and column names
    cursor.execute(f"INSERT INTO {summary_table} ({columns}) {select}", params)


def fill_rollup(cursor: Any, summary_table: str, rollup_table: str, organization_table: str) -> None:
    """Empty the rollup and fill it from the (filled) summary: each enterprise's rows added to
    itself and every ancestor (the rebuild; migration 0007 too)."""
    columns = ", ".join(("organization_id", *KEY[1:], *MEASURES))
    sums = ", ".join(f"SUM(s.{m})" for m in MEASURES)
    group = ", ".join(("up.organization_id", *(f"s.{k}" for k in KEY[1:])))
    cursor.execute(f"DELETE FROM {rollup_table}")  # noqa: S608  # nosec B608 # the model's own table and column names
    insert = (
        f"INSERT INTO {rollup_table} ({columns}) SELECT {group}, {sums} FROM {summary_table} s "  # noqa: S608  # nosec B608 # the model's own table and column names
        f"JOIN up ON up.enterprise_id = s.enterprise_id GROUP BY {group}"
    )
    cursor.execute(_up_cte(organization_table) + insert)


def _lock(cursor: Any) -> None:
    if connection.vendor == "postgresql":
        # Ledger writers wait (their summary deltas would land on rows being replaced);
        # readers go on. SQLite serialises writers by itself.
        asset = connection.ops.quote_name(Asset._meta.db_table)
        cursor.execute(f"LOCK TABLE {asset} IN SHARE MODE")
        cursor.execute(f"LOCK TABLE {_table()} IN EXCLUSIVE MODE")
        cursor.execute(f"LOCK TABLE {_quoted(AssetRollup)} IN EXCLUSIVE MODE")


def fresh() -> dict[Key, tuple[int, ...]]:
    """The summary as the ledger is now, aggregated afresh (one GROUP BY over the ledger)."""
    sql, params = _aggregate_sql(_quoted(Asset))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(r[0]), int(r[1]), r[2], r[3]): tuple(int(v) for v in r[4:]) for r in cursor.fetchall()}


def fresh_rollup(ledger: Mapping[Key, tuple[int, ...]]) -> dict[Key, tuple[int, ...]]:
    """The rollup as ``ledger`` (``fresh()``) implies it, added up here along the tree as it is
    now: nothing shared with the SQL that fills the rollup."""
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    rolled: dict[Key, list[int]] = {}
    for (enterprise_id, *group), totals in ledger.items():
        above: int | None = enterprise_id
        while above is not None:
            into = rolled.setdefault((above, *group), [0] * len(MEASURES))  # type: ignore[arg-type]
            for i, value in enumerate(totals):
                into[i] += value
            above = parents[above]
    return {key: tuple(totals) for key, totals in rolled.items()}


def _rows(model: Any, owner: str) -> dict[Key, tuple[int, ...]]:
    rows = model.objects.order_by().values_list(owner, *KEY[1:], *MEASURES)
    return {(r[0], r[1], r[2], r[3]): tuple(int(v) for v in r[4:]) for r in rows}


def current() -> dict[Key, tuple[int, ...]]:
    """The summary table as it is."""
    return _rows(AssetSummary, "enterprise_id")


def current_rollup() -> dict[Key, tuple[int, ...]]:
    """The rollup table as it is."""
    return _rows(AssetRollup, "organization_id")


Difference = tuple[str, Key, tuple[int, ...] | None, tuple[int, ...] | None]


def differences() -> list[Difference]:
    """(ENTERPRISE or SUBTREE, group, stored row, the ledger's figures) wherever the summary or
    the rollup differs from the ledger; a missing side is None."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            _lock(cursor)
        ledger = fresh()
        pairs = ((ENTERPRISE, current(), ledger), (SUBTREE, current_rollup(), fresh_rollup(ledger)))
    return [
        (what, key, stored_.get(key), expected.get(key))
        for what, stored_, expected in pairs
        for key in sorted(stored_.keys() | expected.keys())
        if stored_.get(key) != expected.get(key)
    ]


def rebuild() -> tuple[int, int]:
    """Recompute the summary and the rollup from the ledger in one transaction; the rows written."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        fill(cursor, _quoted(Asset), _table())
        fill_rollup(cursor, _table(), _quoted(AssetRollup), _organizations())
        rows, rolled = AssetSummary.objects.count(), AssetRollup.objects.count()
        # Both tables written anew, as by a large import (add): the same statistics after the commit.
        _statistics_after_commit(rolled)
        return rows, rolled
