"""The raw limit: what reading the file and writing its rows cost with nothing in between.

python-calamine (the reader issue 7 names, and the one Guozi's import uses) hands over
the cell values; SQLite ``executemany`` or PostgreSQL ``COPY`` (psycopg) writes them
into a bare table of the same 14 columns, in one transaction. No validation, no
lookups, no change log, no index: the floor an import cannot go below on this database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine

from guozi.assets.importing.columns import TOTAL
from guozi.assets.importing.template import HEADER_ROW

TABLE = "bench_raw_ledger"
#: Numbers as the file holds them (calamine gives 1.0 for a whole number): no conversion here.
COLUMNS_SQL = (
    "code text, enterprise text, name text, category text, location text, area numeric(14,2), "
    "quantity numeric, original_value numeric(18,2), book_value numeric(18,2), acquired_on date, "
    "certificate text, utilisation text, package text, note text"
)


def sheet_values(path: Path) -> Iterator[tuple[Any, ...]]:
    """The data rows' values, as calamine gives them (the 合计 row left out)."""
    with path.open("rb") as file:
        sheet = python_calamine.CalamineWorkbook.from_filelike(file).get_sheet_by_index(0)
    for number, row in enumerate(sheet.iter_rows()):
        if number > HEADER_ROW and row and row[0] != TOTAL:
            # Blank cells come as "": NULL in the table, as the ledger stores them.
            yield tuple(None if value == "" else value for value in row[:14])


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
