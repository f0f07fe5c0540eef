# ruff: noqa: S608  (table names in SQL come from the schema, not from input)
"""Backup, restore and the restore drill (REL-BAK-01; GB/T 22239-2019 8.1.4.9 a, 8.1.4.8 b).

End to end, through ``guozi backup`` / ``guozi restore`` run as processes against scratch
databases (never the test database): data is loaded, backed up, changed (rows created,
updated, deleted), restored into an empty database and compared, table by table, with
the snapshot taken before the change. A tampered archive is refused with its reason.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from guozi.core import backup
from tests import scratch

pytestmark = pytest.mark.timeout(300)

KEY = "00112233445566778899aabbccddeeff"
OTHER_KEY = "ffeeddccbbaa99887766554433221100"


def _mutate(connection: Any) -> None:
    """Create, update and delete ledger rows (plain SQL: any client could do it)."""
    first, last = connection.execute("SELECT MIN(id), MAX(id) FROM assets_asset").fetchone()
    columns = [c for c in _columns(connection) if c != "id"]
    picked = ", ".join("code || '-新'" if c == "code" else f'"{c}"' for c in columns)
    connection.execute(
        f"INSERT INTO assets_asset ({', '.join(columns)}) SELECT {picked} FROM assets_asset WHERE id = {first}"
    )
    connection.execute(f"UPDATE assets_asset SET name = name || '（已改）' WHERE id = {first}")
    connection.execute(f"DELETE FROM assets_asset WHERE id = {last}")
    connection.commit()


def _columns(connection: Any) -> list[str]:
    if isinstance(connection, scratch.sqlite3.Connection):
        return [row[1] for row in connection.execute("PRAGMA table_info(assets_asset)")]
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'assets_asset' ORDER BY ordinal_position"
    )
    return [row[0] for row in rows]


@pytest.fixture
def loaded(sqlite_template: Path, small_ledger: Path, tmp_path: Path) -> Path:
    """A copy of the template with a 300-row ledger imported (assets, a batch, change records)."""
    path = scratch.copy_sqlite(sqlite_template, tmp_path / "guozi.sqlite3")
    scratch.timed_import(path, small_ledger)
    return path


def test_restore_drill_sqlite_backup_mutate_restore_compare(loaded: Path, tmp_path: Path, record_property: Any) -> None:
    url = scratch.sqlite_url(loaded)
    source = backup.Database("sqlite", str(loaded))
    snapshot = backup.digests_of(source)
    archive = tmp_path / "guozi.backup"

    done = scratch.guozi("backup", str(archive), url=url)
    assert done.returncode == 0, done.stderr
    manifest = backup.read_manifest(archive)
    assert manifest["tables"] == snapshot
    assert manifest["tables"]["assets_asset"]["rows"] == 300
    assert manifest["migrations"]["assets"].startswith("00")

    connection = scratch.sqlite_connect(loaded)
    _mutate(connection)
    connection.close()
    changed = backup.digests_of(source)
    assert changed["assets_asset"] != snapshot["assets_asset"]

    # Into the changed database: refused, nothing touched.
    refused = scratch.guozi("restore", str(archive), url=url)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
    assert "assets_asset" in refused.stderr
    assert backup.digests_of(source) == changed

    # Into an empty one: restored and verified equal to the snapshot before the change.
    target = tmp_path / "restored.sqlite3"
    restored = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target))
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout
    back = backup.digests_of(backup.Database("sqlite", str(target)))
    # The restore is on the restored database's audit trail (8.1.5.1): one event more than the backup.
    assert back.pop("core_auditevent")["rows"] == snapshot["core_auditevent"]["rows"] + 1
    assert back == {table: digest for table, digest in snapshot.items() if table != "core_auditevent"}
    assert scratch.ledger_state(target)["integrity"] == "ok"

    # The drill: logged with its measured time.
    state = tmp_path / "state"
    drilled = scratch.guozi("backup", "--drill", url=url, GUOZI_STATE_DIR=str(state))
    assert drilled.returncode == 0, drilled.stderr
    record = backup.last_drill(state / "drills.jsonl")
    assert record is not None
    assert (record["result"], record["vendor"], record["tables"]) == ("ok", "sqlite", len(snapshot))
    assert record["rows"] == sum(t["rows"] for t in changed.values())
    record_property("drill_rto_seconds", record["seconds"])
    record_property("drill_rows", record["rows"])
    print(f"restore drill (sqlite): {record['rows']} rows, {record['tables']} tables, RTO {record['seconds']} s")  # noqa: T201


def _flip_payload_byte(archive: Path) -> None:
    with tarfile.open(archive) as tar:
        member = tar.getmembers()[1]
        offset = member.offset_data + member.size // 2
    with archive.open("r+b") as raw:
        raw.seek(offset)
        byte = raw.read(1)
        raw.seek(offset)
        raw.write(bytes([byte[0] ^ 0x01]))


def _rewrite_manifest(archive: Path, change: Any) -> None:
    with tarfile.open(archive) as tar:
        manifest_member, payload_member = tar.getmembers()
        manifest = json.loads(tar.extractfile(manifest_member).read())  # type: ignore[union-attr]
        payload = tar.extractfile(payload_member).read()  # type: ignore[union-attr]
    change(manifest)
    body = json.dumps(manifest).encode()
    with tarfile.open(archive, "w") as tar:
        for name, data in [(manifest_member.name, body), (payload_member.name, payload)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "sm4"])
def test_a_tampered_backup_is_refused_with_the_reason(loaded: Path, tmp_path: Path, encrypted: bool) -> None:
    url = scratch.sqlite_url(loaded)
    keys = {"GUOZI_BACKUP_KEY": KEY} if encrypted else {}
    archive = tmp_path / "guozi.backup"
    done = scratch.guozi("backup", str(archive), *(["--encrypt"] if encrypted else []), url=url, **keys)
    assert done.returncode == 0, done.stderr
    good = archive.read_bytes()
    target = tmp_path / "target.sqlite3"

    _flip_payload_byte(archive)
    refused = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target), **keys)
    assert refused.returncode != 0
    assert "SM3 does not match" in refused.stderr
    assert not target.exists(), "a refused restore must not create or touch the target"

    # The manifest altered to match altered data: plain, the restore loads and then finds the
    # difference; encrypted, the manifest is the GCM tag's associated data and is refused first.
    archive.write_bytes(good)
    _rewrite_manifest(archive, lambda m: m["tables"]["assets_asset"].update(rows=299))
    refused = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target), **keys)
    assert refused.returncode != 0
    if encrypted:
        assert "SM4-GCM authentication failed" in refused.stderr
        assert not target.exists()
    else:
        assert "assets_asset: 300 rows, the backup has 299" in refused.stderr

    if encrypted:
        archive.write_bytes(good)
        assert KEY not in good.decode("latin-1")
        assert bytes.fromhex(KEY) not in good
        wrong = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target), GUOZI_BACKUP_KEY=OTHER_KEY)
        assert wrong.returncode != 0
        assert "another key" in wrong.stderr
        missing = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target))
        assert missing.returncode != 0
        assert "is encrypted" in missing.stderr
        ok = scratch.guozi("restore", str(archive), url=scratch.sqlite_url(target), **keys)
        assert ok.returncode == 0, ok.stderr


def test_a_freshly_migrated_database_counts_as_empty(sqlite_template: Path, tmp_path: Path) -> None:
    """Restore targets may be migrated first: what migrate writes alone is not data (MIGRATE_FILLED)."""
    connection = scratch.sqlite_connect(sqlite_template)
    filled = {
        table
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        if connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
    }
    connection.close()
    # The template also holds the benchmark's accounts: those are data.
    assert filled - backup.MIGRATE_FILLED >= {"core_user", "core_organization"}
    fresh = tmp_path / "fresh.sqlite3"
    migrated = scratch.guozi("migrate", "-v0", url=scratch.sqlite_url(fresh))
    assert migrated.returncode == 0, migrated.stderr
    assert backup.emptiness(backup.Database("sqlite", str(fresh))) == []
    assert backup.emptiness(backup.Database("sqlite", str(tmp_path / "absent.sqlite3"))) == []
    assert "core_user" in backup.emptiness(backup.Database("sqlite", str(sqlite_template)))


def test_a_killed_backup_never_replaces_the_previous_one(loaded: Path, tmp_path: Path) -> None:
    """kill -9 at seeded moments of a backup: the file is the previous backup or a complete new one."""
    import random
    import signal
    import subprocess
    import sys
    import time

    url = scratch.sqlite_url(loaded)
    archive = tmp_path / "guozi.backup"
    assert scratch.guozi("backup", str(archive), url=url).returncode == 0
    previous = archive.read_bytes()
    seed = 20261127
    rng = random.Random(seed)
    for trial in range(5):
        delay = rng.uniform(0.2, 2.0)
        child = subprocess.Popen(
            [sys.executable, "-m", "guozi", "backup", str(archive)],
            env=scratch.guozi_env(url),
            cwd=scratch.PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        where = f"seed {seed}, trial {trial}, delay {delay:.3f} s"
        if archive.read_bytes() != previous:
            manifest = backup.read_manifest(archive)  # complete: it reads and its payload checks
            backup.extract_payload(archive, tmp_path / "check", key=None)
            assert manifest["tables"]["assets_asset"]["rows"] == 300, where
            previous = archive.read_bytes()
    # A killed writer may leave its hidden ``.guozi.backup.*.partial``; it is never the backup.
    assert all(p.name.startswith(".guozi.backup.") for p in tmp_path.iterdir() if p.suffix == ".partial")


def test_a_backup_to_a_full_disk_fails_cleanly_and_leaves_no_file(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC from the kernel (/dev/full) while the archive is written: an error, no half file (REL-FULL-01)."""
    import errno
    import os

    partial = tmp_path / ".guozi.backup.x.partial"

    def full(target: Path) -> tuple[int, Path]:
        partial.touch()
        return os.open("/dev/full", os.O_WRONLY), partial

    monkeypatch.setattr(backup, "_open_partial", full)
    target = tmp_path / "guozi.backup"
    with pytest.raises(OSError, match="No space left") as raised:
        backup.backup(backup.Database("sqlite", str(loaded)), target)
    assert raised.value.errno == errno.ENOSPC
    assert not target.exists()
    assert not partial.exists()


def test_a_backup_over_the_file_size_limit_fails_cleanly(loaded: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE in the child: a clean error, the previous backup untouched, no partial file."""
    import resource
    import signal
    import subprocess
    import sys

    url = scratch.sqlite_url(loaded)
    archive = tmp_path / "guozi.backup"
    assert scratch.guozi("backup", str(archive), url=url).returncode == 0
    previous = archive.read_bytes()

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-m", "guozi", "backup", str(archive)],
        env=scratch.guozi_env(url, TMPDIR=str(tmp_path)),
        cwd=scratch.PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("CommandError:")
    assert "Traceback" not in done.stderr
    assert archive.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".guozi", "guozi-"))) == []


@pytest.mark.skipif(not scratch.postgres_available(), reason="PostgreSQL only (DATABASE_URL=postgres://…)")
def test_restore_drill_postgresql_backup_mutate_restore_compare(
    small_ledger: Path, tmp_path: Path, record_property: Any
) -> None:
    import psycopg

    source_name, target_name = "guozi_reliab_drill_src", "guozi_reliab_drill_dst"
    url = scratch.create_postgres(source_name)
    try:
        scratch.populate(url)
        imported = scratch.guozi("import", "assets", str(small_ledger), "--actor", scratch.IMPORTER, url=url)
        assert imported.returncode == 0, imported.stderr
        source = backup.Database("postgresql", source_name, {"host": "127.0.0.1", "port": "5432", "user": "postgres"})
        snapshot = backup.digests_of(source)
        archive = tmp_path / "guozi.backup"
        done = scratch.guozi("backup", str(archive), "--encrypt", url=url, GUOZI_BACKUP_KEY=KEY)
        assert done.returncode == 0, done.stderr
        assert backup.read_manifest(archive)["tables"] == snapshot

        with psycopg.connect(source.conninfo()) as connection:
            _mutate(connection)
        assert backup.digests_of(source) != snapshot
        refused = scratch.guozi("restore", str(archive), url=url, GUOZI_BACKUP_KEY=KEY)
        assert refused.returncode != 0
        assert "not empty" in refused.stderr

        # Into an empty database that has been migrated (the usual way to prepare a target).
        target_url = scratch.create_postgres(target_name)
        assert scratch.guozi("migrate", "-v0", url=target_url).returncode == 0
        restored = scratch.guozi("restore", str(archive), url=target_url, GUOZI_BACKUP_KEY=KEY)
        assert restored.returncode == 0, restored.stderr
        back = backup.digests_of(source.with_name(target_name))
        assert back.pop("core_auditevent")["rows"] == snapshot["core_auditevent"]["rows"] + 1  # the restore's event
        assert back == {table: digest for table, digest in snapshot.items() if table != "core_auditevent"}

        _flip_payload_byte(archive)
        scratch.drop_postgres(target_name)
        target_url = scratch.create_postgres(target_name)
        tampered = scratch.guozi("restore", str(archive), url=target_url, GUOZI_BACKUP_KEY=KEY)
        assert tampered.returncode != 0
        assert "SM3 does not match" in tampered.stderr

        state = tmp_path / "state"
        drilled = scratch.guozi("backup", "--drill", url=url, GUOZI_STATE_DIR=str(state))
        assert drilled.returncode == 0, drilled.stderr
        record = backup.last_drill(state / "drills.jsonl")
        assert record is not None
        assert (record["result"], record["vendor"]) == ("ok", "postgresql")
        record_property("drill_rto_seconds", record["seconds"])
        record_property("drill_rows", record["rows"])
        summary = f"{record['rows']} rows, {record['tables']} tables, RTO {record['seconds']} s"
        print(f"restore drill (postgresql): {summary}")  # noqa: T201
    finally:
        scratch.drop_postgres(source_name)
        scratch.drop_postgres(target_name)
