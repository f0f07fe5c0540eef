"""Append-only tables, enforced by the database rather than by the ORM.

Triggers refuse UPDATE and DELETE on the change log and the login log, whatever
issues them: the ORM, ``queryset.update()``, raw SQL. On SQLite the trigger asks
the function ``guozi_append_only()``, which this module registers on every Django
connection; a connection without it (the sqlite3 shell, say) fails closed with
"no such function". On SQLite, only :func:`unlocked` lets a change through: the
test database flush uses it (PostgreSQL's flush is TRUNCATE, which row triggers
do not see).

:func:`freeze` does the same for the rows of a table that meet a condition on the
stored row (``OLD.state = 'approved'``): an approved report can no longer be
changed or deleted, while the drafts beside it can.
"""

from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_unlocked = contextvars.ContextVar("guozi_append_only_unlocked", default=False)

TABLES = ["core_changerecord", "core_loginrecord"]


def register_sqlite_function(raw_connection: sqlite3.Connection) -> None:
    raw_connection.create_function("guozi_append_only", 0, lambda: 0 if _unlocked.get() else 1)


@contextmanager
def unlocked() -> Iterator[None]:
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)


def _sqlite_sql(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
            WHEN guozi_append_only() BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"""
        for op in ("UPDATE", "DELETE")
    ]


def _postgresql_sql(table: str) -> list[str]:
    # Row triggers do not fire on TRUNCATE, which only the test database flush issues.
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{table} is append-only';
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only();""",
    ]


def protect(*tables: str) -> Any:
    """A migration operation that makes ``tables`` append-only (other apps' frozen records)."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        _install(schema_editor, tables)

    def backward(apps: Any, schema_editor: Any) -> None:
        _uninstall(schema_editor, tables)

    return migrations.RunPython(forward, backward)


def install(apps: Any, schema_editor: Any) -> None:
    """Migration step: create the triggers for the core logs."""
    _install(schema_editor, TABLES)


def uninstall(apps: Any, schema_editor: Any) -> None:
    _uninstall(schema_editor, TABLES)


def _install(schema_editor: Any, tables: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        statements = _sqlite_sql(table) if vendor == "sqlite" else _postgresql_sql(table)
        for sql in statements:
            schema_editor.execute(sql)


def _uninstall(schema_editor: Any, tables: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")


def _freeze_sql(vendor: str, table: str, condition: str) -> list[str]:
    # The PostgreSQL message is concatenated, not formatted: a migration executes this
    # with parameters, so a percent sign in it would be taken for a placeholder.
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER {table}_frozen_{op.lower()} BEFORE {op} ON {table}
                WHEN guozi_append_only() AND ({condition})
                BEGIN SELECT RAISE(ABORT, '{table}: this row is frozen'); END;"""
            for op in ("UPDATE", "DELETE")
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE = '{table}: row ' || OLD.id || ' is frozen';
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {table}_frozen();""",
    ]


def freeze(table: str, condition: str) -> Any:
    """A migration operation: rows of ``table`` meeting ``condition`` (SQL on ``OLD``) refuse UPDATE and DELETE.

    Guarantee: whatever issues the write (ORM ``save()``, ``queryset.update()``,
    ``bulk_update``, raw SQL), the database refuses it once the stored row meets
    ``condition`` (SECURITY.md 4.3, REL-IMM-01).
    """
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in _freeze_sql(schema_editor.connection.vendor, table, condition):
            schema_editor.execute(sql)

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_{op}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_frozen()")

    return migrations.RunPython(forward, backward)
