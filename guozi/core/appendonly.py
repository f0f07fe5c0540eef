"""Append-only tables, enforced by the database rather than by the ORM.

Triggers refuse UPDATE and DELETE on the change log and the login log, whatever
issues them: the ORM, ``queryset.update()``, raw SQL. On SQLite the trigger asks
the function ``guozi_append_only()``, which this module registers on every Django
connection; a connection without it (the sqlite3 shell, say) fails closed with
"no such function". On SQLite, only :func:`unlocked` lets a change through: the
test database flush uses it (PostgreSQL's flush is TRUNCATE, which row triggers
do not see).

The audit tables are *purgeable*: inside :func:`purging` (the audit purge
command, after the records were archived and only past the retention period)
they accept DELETE, never UPDATE.

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
_purging = contextvars.ContextVar("guozi_append_only_purging", default=False)

#: The tables migration 0002 protected.
TABLES = ["core_changerecord", "core_loginrecord"]
#: The chained audit tables (migration 0007): append-only, purgeable after archiving.
AUDIT_TABLES = ["core_changerecord", "core_loginrecord", "core_auditevent"]
#: The PostgreSQL setting that lets DELETE through on purgeable tables, for one transaction.
PURGE_SETTING = "guozi.audit_purge"


def register_sqlite_function(raw_connection: sqlite3.Connection) -> None:
    raw_connection.create_function("guozi_append_only", 0, lambda: 0 if _unlocked.get() else 1)
    raw_connection.create_function("guozi_purging", 0, lambda: 1 if _purging.get() else 0)


@contextmanager
def unlocked() -> Iterator[None]:
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)


@contextmanager
def purging(using: str = "default") -> Iterator[None]:
    """Let DELETE through on the purgeable audit tables. Use inside a transaction."""
    from django.db import connections

    connection = connections[using]
    token = _purging.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        yield
    finally:
        _purging.reset(token)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_SETTING])


def _sqlite_sql(table: str, purgeable: bool = False) -> list[str]:
    allow = {"UPDATE": "", "DELETE": " AND NOT guozi_purging()" if purgeable else ""}
    return [
        f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
            WHEN guozi_append_only(){allow[op]} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"""
        for op in ("UPDATE", "DELETE")
    ]


def _postgresql_sql(table: str, purgeable: bool = False) -> list[str]:
    # Row triggers do not fire on TRUNCATE, which only the test database flush issues.
    purge = (
        f"""IF TG_OP = 'DELETE' AND current_setting('{PURGE_SETTING}', true) = 'on' THEN
                    RETURN OLD;
                END IF;"""
        if purgeable
        else ""
    )
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                {purge}
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


def install_audit(apps: Any, schema_editor: Any) -> None:
    """Migration step: the chained audit tables, append-only and purgeable (re-created)."""
    _uninstall(schema_editor, AUDIT_TABLES)
    _install(schema_editor, AUDIT_TABLES, purgeable=True)


def uninstall_audit(apps: Any, schema_editor: Any) -> None:
    _uninstall(schema_editor, AUDIT_TABLES)


def _install(schema_editor: Any, tables: Any, purgeable: bool = False) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        statements = _sqlite_sql(table, purgeable) if vendor == "sqlite" else _postgresql_sql(table, purgeable)
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
        # Idempotent: a later migration re-runs it after SQLite rebuilt the table (which drops triggers).
        backward(apps, schema_editor)
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
