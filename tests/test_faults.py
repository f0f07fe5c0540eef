"""Fault tests (SECURITY.md §4.8): kill -9 during an import, a full disk, a dropped database connection.

Each is bounded (pytest-timeout, subprocess timeouts), works in temporary folders or
``guozi_reliab_*`` databases, and prints its seed so a failing trial can be replayed:
``GUOZI_FAULT_SEED=<seed> GUOZI_KILL_TRIALS=<n> pytest tests/test_faults.py``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import scratch

SEED = int(os.environ.get("GUOZI_FAULT_SEED", "20261127"))
TRIALS = int(os.environ.get("GUOZI_KILL_TRIALS", "20"))
#: A few thousand rows: one chunk of the import (CHUNK_ROWS = 5000), written as it is read.
ROWS = 2000
PROGRESS = "已处理".encode()


@dataclass(frozen=True)
class ImportWorld:
    """A template database, a ledger and the states a clean import leads to."""

    vendor: str
    ledger: Path
    before: dict[str, Any]  # the template: no import
    once: dict[str, Any]  # after one clean import
    twice: dict[str, Any]  # after importing the same file a second time (a second, no-change batch)
    seconds: float  # one clean import, process start to exit
    fresh: Callable[[str], str]  # a copy of the template under a name; its URL
    state: Callable[[str], dict[str, Any]]  # the ledger state of a copy
    settle: Callable[[str], None]  # wait until a killed client's work has ended in a copy
    discard: Callable[[str], None]


def _world(vendor: str, ledger: Path, fresh: Any, state: Any, settle: Any, discard: Any) -> ImportWorld:
    reference = fresh("reference")
    before = state("reference")
    seconds = scratch.timed_import(reference, ledger)
    once = state("reference")
    scratch.timed_import(reference, ledger)
    twice = state("reference")
    discard("reference")
    assert once["assets"] == ROWS
    assert twice["ledger_sm3"] == once["ledger_sm3"]
    return ImportWorld(vendor, ledger, before, once, twice, seconds, fresh, state, settle, discard)


@pytest.fixture(scope="module")
def ledger_2000(tmp_path_factory: Any) -> Path:
    return scratch.write_ledger(tmp_path_factory.mktemp("ledger") / f"ledger-{ROWS}.xlsx", ROWS)


@pytest.fixture(scope="module")
def sqlite_world(sqlite_template: Path, ledger_2000: Path, tmp_path_factory: Any) -> ImportWorld:
    folder = tmp_path_factory.mktemp("sqlite-world")

    def fresh(name: str) -> str:
        return scratch.sqlite_url(scratch.copy_sqlite(sqlite_template, folder / f"{name}.sqlite3"))

    def discard(name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)

    return _world(
        "sqlite",
        ledger_2000,
        fresh,
        lambda name: scratch.ledger_state(folder / f"{name}.sqlite3"),
        lambda name: None,  # a dead process holds no SQLite lock
        discard,
    )


@pytest.fixture(scope="module")
def postgres_world(ledger_2000: Path) -> Any:
    if not scratch.postgres_available():
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…)")
    template = "guozi_reliab_kill_template"
    scratch.populate(scratch.create_postgres(template))
    created: set[str] = set()

    def fresh(name: str) -> str:
        created.add(f"guozi_reliab_kill_{name}")
        return scratch.create_postgres(f"guozi_reliab_kill_{name}", template=template)

    try:
        yield _world(
            "postgresql",
            ledger_2000,
            fresh,
            lambda name: scratch.ledger_state_postgres(f"guozi_reliab_kill_{name}"),
            lambda name: scratch.wait_for_no_sessions(f"guozi_reliab_kill_{name}"),
            lambda name: scratch.drop_postgres(f"guozi_reliab_kill_{name}"),
        )
    finally:
        for name in {template, *created}:
            scratch.drop_postgres(name)


@pytest.mark.fault
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_sigkill_during_import_leaves_all_or_nothing(
    vendor: str, request: pytest.FixtureRequest, tmp_path: Path, record_property: Any
) -> None:
    """REL-IMP-01: kill -9 at seeded moments; the batch is absent or complete, the re-run completes it.

    PostgreSQL runs half the trials (each copies a template database).
    """
    world: ImportWorld = request.getfixturevalue({"sqlite": "sqlite_world", "postgresql": "postgres_world"}[vendor])
    trials = TRIALS if vendor == "sqlite" else max(1, TRIALS // 2)
    rng = random.Random(SEED)
    # absent: killed before the import wrote anything that lasted; mid: killed after the import
    # reported its first chunk written (inside its transaction), rolled back; present: complete.
    outcomes = {"absent": 0, "mid": 0, "present": 0}
    for trial in range(trials):
        # Even trials: a kill at any moment of the run (start-up, reading, writing, after the end).
        # Odd trials: a kill shortly after the first chunk is written, inside the transaction.
        after_progress = trial % 2 == 1
        delay = rng.uniform(0, 0.6) if after_progress else rng.uniform(0.2, 1.1) * world.seconds
        moment = f"{delay:.3f} s after the first chunk" if after_progress else f"{delay:.3f} s after start"
        where = f"{vendor}, seed {SEED}, trial {trial}, kill {moment} (replay: GUOZI_FAULT_SEED={SEED})"
        log = tmp_path / "stderr"
        name = f"trial{trial}"
        url = world.fresh(name)
        child = subprocess.Popen(
            [sys.executable, "-m", "guozi", "import", "assets", str(world.ledger), "--actor", scratch.IMPORTER],
            env=scratch.guozi_env(url),
            cwd=scratch.PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        # "已处理 N 行" goes to stderr after each chunk written, inside the transaction.
        deadline = time.monotonic() + 60
        while after_progress and PROGRESS not in log.read_bytes() and child.poll() is None:
            assert time.monotonic() < deadline, f"no progress within 60 s ({where})"
            time.sleep(0.01)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        progressed = PROGRESS in log.read_bytes()
        world.settle(name)

        state = world.state(name)
        assert state["integrity"] == "ok", where
        if state == world.before:
            outcomes["mid" if progressed else "absent"] += 1
            expected = world.once
        else:
            assert state == world.once, f"partial import: {state} ({where})"
            outcomes["present"] += 1
            expected = world.twice

        rerun = scratch.guozi("import", "assets", str(world.ledger), "--actor", scratch.IMPORTER, url=url)
        assert rerun.returncode == 0, f"{rerun.stderr[-2000:]} ({where})"
        assert world.state(name) == expected, where
        world.discard(name)

    record_property("kill_trials", trials)
    record_property("kill_seed", SEED)
    record_property("kill_before_writing", outcomes["absent"])
    record_property("kill_mid_import", outcomes["mid"])
    record_property("kill_after_commit", outcomes["present"])
    summary = (
        f"kill -9 during import ({vendor}): {trials}/{trials} trials consistent (seed {SEED}; killed "
        f"{outcomes['mid']} mid-import and {outcomes['absent']} before its first chunk, all rolled back; "
        f"{outcomes['present']} after the commit, complete; every re-run equal to a clean import of {ROWS} rows)"
    )
    print(summary)  # noqa: T201


DISK_FULL = """
import json
from pathlib import Path
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from guozi.assets.models import Asset
from guozi.assets.services.imports import ledger_import
from guozi.core.changes import COMMAND
from guozi.core.models import ChangeRecord, ImportBatch, User

def counts():
    return [Asset.objects.count(), ImportBatch.objects.count(), ChangeRecord.objects.count()]

actor = User.objects.get(username=IMPORTER)
content = Path(LEDGER).read_bytes()
before = counts()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA page_count")
    pages = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {pages + 4}")
try:
    ledger_import(actor=actor, origin=COMMAND, file_name="ledger.xlsx", content=content)
    error = None
except DatabaseError as exc:
    error = f"{type(exc).__name__}: {exc}"
try:
    call_command("import", "assets", LEDGER, "--actor", IMPORTER)
    command_error = None
except CommandError as exc:
    command_error = str(exc)
while_full = counts()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA integrity_check")
    integrity = cursor.fetchone()[0]
    cursor.execute("PRAGMA max_page_count = 1073741823")
outcome = ledger_import(actor=actor, origin=COMMAND, file_name="ledger.xlsx", content=content)
print(json.dumps({"pages": pages, "before": before, "error": error, "command_error": command_error,
                  "while_full": while_full,
                  "integrity": integrity, "rows": outcome.rows, "after": counts()}))
"""


@pytest.mark.fault
@pytest.mark.timeout(300)
def test_a_full_database_fails_the_import_cleanly_and_commits_nothing(
    sqlite_world: ImportWorld, sqlite_template: Path, tmp_path: Path
) -> None:
    """REL-FULL-01: SQLITE_FULL mid-import → a database error, zero rows, still readable and writable."""
    path = scratch.copy_sqlite(sqlite_template, tmp_path / "full.sqlite3")
    code = DISK_FULL.replace("IMPORTER", repr(scratch.IMPORTER)).replace("LEDGER", repr(str(sqlite_world.ledger)))
    done = scratch.python(code, url=scratch.sqlite_url(path))
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["error"] is not None
    assert "full" in result["error"], result
    assert "nothing written" in result["command_error"], result
    assert "full" in result["command_error"], result
    assert result["while_full"] == result["before"]
    assert result["integrity"] == "ok"
    assert result["rows"] == ROWS
    assert result["after"][0] == result["before"][0] + ROWS
    state = scratch.ledger_state(path)
    assert (state["integrity"], state["ledger_sm3"]) == ("ok", sqlite_world.once["ledger_sm3"])


@pytest.mark.fault
@pytest.mark.timeout(120)
@pytest.mark.skipif(not scratch.postgres_available(), reason="PostgreSQL only (DATABASE_URL=postgres://…)")
def test_a_connection_dropped_mid_request_fails_it_and_the_next_succeeds(
    live_demo: None, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REL-CONN-01: pg_terminate_backend while a write request is inside its transaction."""
    import queue
    import threading

    import psycopg
    from django.conf import settings
    from django.db import connection

    from guozi.core import backup, changes
    from guozi.core.models import ChangeRecord, Organization
    from tests.test_api_http import Session

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    own = Organization.objects.get(short_name="城发绿能")
    region = own.region
    changes_before = ChangeRecord.objects.count()
    session = Session(live_server.url)
    session.login("chengfa")

    backends: queue.Queue[int] = queue.Queue()
    terminated = threading.Event()
    record_change = changes.record_change

    def paused(**kwargs: Any) -> Any:
        # The organisation row is already updated inside the transaction; the change record is next.
        backends.put(connection.connection.info.backend_pid)
        terminated.wait(20)
        return record_change(**kwargs)

    monkeypatch.setattr(changes, "record_change", paused)
    answers: list[tuple[int, Any]] = []
    request = threading.Thread(
        # If-Match: a write without a precondition is refused (428) before it reaches the database.
        target=lambda: answers.append(
            session.call("PATCH", f"/api/organizations/{own.pk}", {"region": "咸安区"}, headers={"If-Match": "*"})
        )
    )
    request.start()
    backend = backends.get(timeout=30)
    with psycopg.connect(backup.database_from_settings().conninfo(), autocommit=True) as admin:
        killed = admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()
    assert killed == (True,)
    terminated.set()
    request.join(30)
    assert answers, "the request did not finish"
    status, _ = answers[0]
    assert status >= 500
    own.refresh_from_db()
    assert own.region == region
    assert ChangeRecord.objects.count() == changes_before

    monkeypatch.setattr(changes, "record_change", record_change)
    status, body = session.call(
        "PATCH", f"/api/organizations/{own.pk}", {"region": "咸安区"}, headers={"If-Match": "*"}
    )
    assert status == 200, body
    own.refresh_from_db()
    assert own.region == "咸安区"
    assert ChangeRecord.objects.count() == changes_before + 1
