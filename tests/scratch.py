"""Scratch databases for the backup and fault tests: files and processes of their own.

These tests run ``guozi`` as a real process against a database that is not the test
database (a SQLite file in a temporary folder, or a PostgreSQL database named
``guozi_reliab_*``), because they kill it, fill its disk or restore over it. Migrating
is slow, so a template is migrated and populated once per session (``bench.setup``:
a government, its SASAC, a group of enterprises, an importer) and copied per test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
IMPORTER = "bench_importer"
ENTERPRISES = 5
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
POSTGRES_ADMIN = f"{POSTGRES_SERVER}/postgres"


def guozi_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a ``python -m guozi`` child: this worktree first, production settings."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(PROJECT),
        DJANGO_SETTINGS_MODULE="guozi.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="guozi-reliability-tests-" + "k" * 40,
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def guozi(*args: str, url: str, timeout: float = 180, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guozi", *args],
        env=guozi_env(url, **extra),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(code: str, *, url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child with Django set up on ``url``."""
    prelude = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=guozi_env(url),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def populate(url: str) -> None:
    """Migrate ``url`` and give it the benchmark's organisations and accounts."""
    done = python(f"from bench.setup import populate\npopulate({ENTERPRISES})", url=url)
    assert done.returncode == 0, done.stderr[-3000:]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_sqlite(template: Path, target: Path) -> Path:
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{template}{suffix}").exists(), "the template must be closed cleanly"
    shutil.copyfile(template, target)
    return target


def write_ledger(path: Path, rows: int) -> Path:
    from bench.data import enterprises, write_ledger

    write_ledger(path, count=rows, names=enterprises(ENTERPRISES))
    return path


def sqlite_connect(path: Path) -> sqlite3.Connection:
    from guozi.core.appendonly import register_sqlite_function

    connection = sqlite3.connect(path)
    register_sqlite_function(connection)
    return connection


#: Asset columns that differ between two imports of the same file by nature.
#: Ids and times a re-run may assign differently: on PostgreSQL a killed import's transaction
#: still used up sequence values, so the re-run's batch (and the assets' pointers to it) get others.
_VOLATILE = {"id", "created_at", "updated_at", "import_batch_id", "created_in_id"}


def ledger_state(path: Path) -> dict[str, Any]:
    """What an import changes, comparable between two databases: counts and the ledger's content hash."""
    connection = sqlite_connect(path)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchall()
        columns = [row[1] for row in connection.execute("PRAGMA table_info(assets_asset)")]
        state = _ledger_state(connection, columns)
        state["integrity"] = check[0][0] if len(check) == 1 else repr(check[:5])
        return state
    finally:
        connection.close()


def ledger_state_postgres(name: str) -> dict[str, Any]:
    """:func:`ledger_state` of a PostgreSQL database (its integrity is the server's: reported "ok")."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/{name}") as connection:
        rows = connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'assets_asset' "
            "ORDER BY ordinal_position"
        ).fetchall()
        state = _ledger_state(connection, [row[0] for row in rows])
    state["integrity"] = "ok"
    return state


def _ledger_state(connection: Any, columns: list[str]) -> dict[str, Any]:
    digest = hashlib.new("sm3")
    quoted = ", ".join(f'"{c}"' for c in columns if c not in _VOLATILE)
    for row in connection.execute(f"SELECT {quoted} FROM assets_asset ORDER BY enterprise_id, code"):  # noqa: S608
        digest.update(repr(tuple(row)).encode() + b"\n")

    def count(table: str) -> int:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608

    return {
        "assets": count("assets_asset"),
        "batches": count("core_importbatch"),
        "changes": count("core_changerecord"),
        "ledger_sm3": digest.hexdigest(),
    }


def timed_import(path: Path | str, ledger: Path) -> float:
    """Import ``ledger`` into the SQLite file ``path`` (or the database URL ``path``); seconds taken."""
    started = time.monotonic()
    url = path if isinstance(path, str) else sqlite_url(path)
    done = guozi("import", "assets", str(ledger), "--actor", IMPORTER, url=url)
    assert done.returncode == 0, done.stderr[-3000:]
    return time.monotonic() - started


def postgres_available() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def create_postgres(name: str, *, template: str = "template1") -> str:
    """Create (afresh) the database ``name``, a copy of ``template``; return its URL."""
    import psycopg

    assert "reliab" in name
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def wait_for_no_sessions(name: str, timeout: float = 60) -> None:
    """Wait until no server process works for ``name``: a killed client's transaction has ended there."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        while connection.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", [name]).fetchone()[0]:
            assert time.monotonic() < deadline, f"sessions still open on {name} after {timeout} s"
            time.sleep(0.05)


def drop_postgres(name: str) -> None:
    import psycopg

    assert "reliab" in name
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
