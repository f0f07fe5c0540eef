"""The raw limit: what reading the file and writing its rows cost with nothing in between.

openpyxl in read-only mode (the library Guozi's reader uses) hands over the cell
values; SQLite ``executemany`` or PostgreSQL ``COPY`` (psycopg) writes them into a bare
table of the same 14 columns, in one transaction. No validation, no lookups, no
change log: the floor an import cannot go below with this reader on this database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from guozi.assets.importing.columns import TOTAL
from guozi.assets.importing.template import HEADER_ROW

TABLE = "bench_raw_ledger"
COLUMNS_SQL = (
    "code text, enterprise text, name text, category text, location text, area numeric(14,2), "
    "quantity integer, original_value numeric(18,2), book_value numeric(18,2), acquired_on date, "
    "certificate text, utilisation text, package text, note text"
)


def sheet_values(path: Path) -> Iterator[tuple[Any, ...]]:
    """The data rows' values, as openpyxl read-only gives them (the 合计 row left out)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True):
            if row and row[0] != TOTAL:
                # Read-only rows end at their last written cell: pad to the 14 columns.
                yield (*row[:14], *(None,) * (14 - len(row)))
    finally:
        workbook.close()


def read_only(path: Path) -> int:
    return sum(1 for _ in sheet_values(path))


def write_sqlite(path: Path, database: str) -> int:
    connection = sqlite3.connect(database)
    try:
        connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
        connection.execute(f"CREATE TABLE {TABLE} ({COLUMNS_SQL})")
        connection.commit()
        rows = 0

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal rows
            for row in sheet_values(path):
                rows += 1
                yield row

        with connection:
            connection.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * 14)})", counted())  # noqa: S608
        return rows
    finally:
        connection.close()


def drop_sqlite(database: str) -> None:
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
    connection.close()


def write_postgres(path: Path, conninfo: str) -> int:
    import psycopg

    rows = 0
    with psycopg.connect(conninfo) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
        connection.execute(f"CREATE TABLE {TABLE} ({COLUMNS_SQL})")
        connection.commit()
        with connection.cursor() as cursor, cursor.copy(f"COPY {TABLE} FROM STDIN") as copy:
            for row in sheet_values(path):
                copy.write_row(row)
                rows += 1
        connection.commit()
    return rows


def drop_postgres(conninfo: str) -> None:
    import psycopg

    with psycopg.connect(conninfo) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
