"""Backups that prove themselves: one archive file, a manifest, an optional SM4-GCM layer, a drill.

GB/T 22239-2019 8.1.4.9 a (本地数据备份与恢复) and 8.1.4.8 b (存储保密性, encrypted backups);
SECURITY.md §4.6. The guarantees:

* **One file, never half.** The archive is written to a hidden temporary file beside the target,
  synced, then renamed over the target (``os.replace``): a killed or failing backup leaves the
  previous file under that name untouched and never promotes a partial one.
* **A consistent copy.** SQLite: the online backup API (one step, a read snapshot; never ``cp`` a
  live WAL database). PostgreSQL: ``pg_dump -Fc`` inside an exported snapshot, so the dump and the
  manifest's row counts and hashes describe the same instant even while the application writes.
* **Checked before it is written.** SQLite: ``PRAGMA integrity_check`` is ``ok`` and
  ``PRAGMA foreign_key_check`` empty on the copy. PostgreSQL: ``pg_restore --list`` reads the dump.
* **Checked when it is restored.** The payload's SM3 must match the manifest; an encrypted payload
  must also pass the GCM tag, whose associated data is the manifest, so neither the payload nor the
  manifest can be altered unnoticed. After loading, every table's row count and content hash are
  recomputed and must equal the manifest's.
* **Nothing overwritten.** A restore refuses a target database that holds data (see
  :func:`emptiness`).

The archive is an uncompressed POSIX tar holding exactly two regular files: ``manifest.json``
(first) and the payload, ``payload.sqlite3`` or ``payload.pgdump``, with ``.sm4`` appended when
encrypted (SM4-GCM; the IV, the tag and a key id are in the manifest, the key never is).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore, fixed arguments, no shell
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from cryptography.exceptions import InvalidTag

from guozi.core import sm4

FORMAT = 1
MANIFEST = "manifest.json"
KEY_ENV = "GUOZI_BACKUP_KEY"
CHUNK = 1 << 20

#: Tables ``migrate`` fills on its own: a database whose rows all lie here holds no one's data.
#: (django_migrations, content types and permissions are Django's bookkeeping; the asset
#: classes are reference data seeded by ``assets`` migration 0002.)
MIGRATE_FILLED = frozenset({"django_migrations", "django_content_type", "auth_permission", "assets_assetcategory"})

#: libpq environment variables for the connection settings Django passes through OPTIONS.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that must not go on; ``str()`` says why, for the operator."""


# --- databases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a backup comes from or a restore goes: a SQLite file or a PostgreSQL database."""

    vendor: str  # "sqlite" or "postgresql"
    name: str  # the SQLite path or the PostgreSQL database name
    params: Mapping[str, str] = field(default_factory=dict)  # PostgreSQL: host, port, user, password, ssl…

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:{self.name}"
        return f"postgresql://{self.params.get('host') or 'localhost'}:{self.params.get('port') or 5432}/{self.name}"

    def with_name(self, name: str) -> Database:
        return Database(self.vendor, name, self.params)

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            connection = sqlite3.connect(self.name)
            # The append-only triggers call this function (core.appendonly); without it any
            # UPDATE or DELETE on a protected table fails closed with "no such function".
            from guozi.core.appendonly import register_sqlite_function

            register_sqlite_function(connection)
            return connection
        import psycopg

        return psycopg.connect(self.conninfo())

    def conninfo(self, **extra: Any) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(dbname=self.name, **self.params, **extra)

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore: the password travels here, never on the command line."""
        env = dict(os.environ)
        names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}  # nosec B105 # a variable name
        for key, value in self.params.items():
            variable = names.get(key) or _PG_OPTION_ENV.get(key)
            if variable and value:
                env[variable] = str(value)
        return env


def database_from_settings(alias: str = "default") -> Database:
    from django.conf import settings

    config = settings.DATABASES[alias]
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return Database("sqlite", str(config["NAME"]))
    if "postgresql" not in engine:
        raise BackupError(f"cannot back up a {engine} database")
    params = {
        key: str(config[setting])
        for key, setting in [("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")]
        if config.get(setting)
    }
    for key, value in (config.get("OPTIONS") or {}).items():
        if key in _PG_OPTION_ENV and value is not None:
            params[key] = str(value)
    return Database("postgresql", str(config["NAME"]), params)


# --- canonical content hashes --------------------------------------------------------------------


def sm3() -> Any:
    return hashlib.new("sm3")


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, datetime | date | clock):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(connection: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
    return sorted(row[0] for row in connection.execute(sql).fetchall())


def _primary_key(connection: Any, vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        info = connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
        return [row[1] for row in sorted((row for row in info if row[5]), key=lambda row: row[5])]
    rows = connection.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        [_quote(table)],
    ).fetchall()
    return [row[0] for row in rows]


def _columns(connection: Any, vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [row[1] for row in connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()]
    rows = connection.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        [_quote(table)],
    ).fetchall()
    return [row[0] for row in rows]


def table_digest(connection: Any, vendor: str, table: str) -> dict[str, Any]:
    """Row count and SM3 of a table's rows in primary-key order (all columns when it has none).

    The hash covers the column names and every value, canonically encoded one JSON line per
    row; it is comparable between two databases of the same vendor.
    """
    columns = _columns(connection, vendor, table)
    order = _primary_key(connection, vendor, table) or columns
    digest = sm3()
    digest.update(json.dumps(columns, ensure_ascii=False).encode() + b"\n")
    sql = f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)} ORDER BY {', '.join(map(_quote, order))}"  # noqa: S608  # nosec B608 # quoted names from the schema
    count = 0
    if vendor == "sqlite":
        cursor = connection.execute(sql)
    else:
        cursor = connection.cursor(name=f"guozi_digest_{secrets.token_hex(4)}")
        cursor.itersize = 2000
        cursor.execute(sql)
    for row in cursor:
        digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode() + b"\n")
        count += 1
    cursor.close()
    return {"rows": count, "sm3": digest.hexdigest()}


def database_digests(connection: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Every table's :func:`table_digest`, by table name."""
    if vendor == "postgresql":
        # Timestamps come back in the session's zone: fix it so two sessions hash alike.
        connection.execute("SET TIME ZONE 'UTC'")
    return {table: table_digest(connection, vendor, table) for table in _tables(connection, vendor)}


def digests_of(database: Database) -> dict[str, dict[str, Any]]:
    connection = database.connect()
    try:
        return database_digests(connection, database.vendor)
    finally:
        connection.close()


def _migrations(connection: Any) -> dict[str, str]:
    """The last applied migration of each app, as recorded in the database."""
    rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return dict(sorted(dict(rows).items()))


# --- emptiness -----------------------------------------------------------------------------------


def emptiness(database: Database) -> list[str]:
    """What stops a restore into ``database``: tables holding rows (empty list: it may be restored into).

    Empty means: the database (or SQLite file) does not exist, has no tables, or has rows only in
    the tables ``migrate`` fills on its own (:data:`MIGRATE_FILLED`). A freshly migrated database
    is empty; one with a single account, organisation or log line is not.
    """
    if database.vendor == "sqlite" and not Path(database.name).exists():
        return []
    connection = database.connect()
    try:
        found = []
        for table in _tables(connection, database.vendor):
            if table in MIGRATE_FILLED:
                continue
            if connection.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone():  # noqa: S608  # nosec B608 # quoted name
                found.append(table)
        return found
    finally:
        connection.close()


# --- the archive ---------------------------------------------------------------------------------


def key_from_env() -> bytes:
    raw = os.environ.get(KEY_ENV, "").strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise BackupError(f"{KEY_ENV} must be 32 hexadecimal characters (an SM4 key of 128 bits)")
    return key


def key_id(key: bytes) -> str:
    """A fingerprint that names the key without revealing it: SM3 over a label and the key, 16 hex."""
    return sm4.key_id(key, b"guozi-backup-key-id")


def _canonical_manifest(manifest: Mapping[str, Any]) -> bytes:
    core = {key: value for key, value in manifest.items() if key != "encryption"}
    return json.dumps(core, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _copy(source: Any, target: Any, *, read: Any = None, written: Any = None, transform: Any = None) -> None:
    """Copy in blocks, through ``transform`` (a cipher context) if given; hash what is read and what is written."""
    while block := source.read(CHUNK):
        if read is not None:
            read.update(block)
        out = transform.update(block) if transform is not None else block
        if written is not None:
            written.update(out)
        target.write(out)


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _open_partial(target: Path) -> tuple[int, Path]:
    """The temporary file the archive is written to, beside ``target`` (same filesystem for the rename)."""
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    return descriptor, Path(name)


def write_archive(target: Path, manifest: dict[str, Any], payload: Path, *, key: bytes | None) -> dict[str, Any]:
    """Write manifest and payload (encrypted with ``key``) to ``target`` atomically; return the manifest."""
    plain = sm3()
    with payload.open("rb") as source:
        while block := source.read(CHUNK):
            plain.update(block)
    manifest["payload"] = {
        "name": "payload." + ("sqlite3" if manifest["vendor"] == "sqlite" else "pgdump"),
        "size": payload.stat().st_size,
        "sm3": plain.hexdigest(),
    }
    stored = payload
    work: tempfile.TemporaryDirectory[str] | None = None
    try:
        if key is not None:
            manifest["payload"]["name"] += ".sm4"  # before the manifest becomes the associated data
            work = tempfile.TemporaryDirectory(prefix="guozi-backup-")
            stored = Path(work.name) / "payload.sm4"
            iv = os.urandom(sm4.IV_BYTES)
            encryptor = sm4.encryptor(key, iv, _canonical_manifest(manifest))
            cipher = sm3()
            with payload.open("rb") as source, stored.open("wb") as out:
                _copy(source, out, written=cipher, transform=encryptor)
                tail = encryptor.finalize()
                cipher.update(tail)
                out.write(tail)
            manifest["encryption"] = {
                "algorithm": "SM4-GCM",
                "key_id": key_id(key),
                "iv": iv.hex(),
                "tag": encryptor.tag.hex(),
                "sm3": cipher.hexdigest(),
                "size": stored.stat().st_size,
            }
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        descriptor, partial = _open_partial(target)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
                    tar.addfile(info, io.BytesIO(body))
                    info = tarfile.TarInfo(manifest["payload"]["name"])
                    info.size, info.mtime, info.mode = stored.stat().st_size, int(time.time()), 0o600
                    with stored.open("rb") as source:
                        tar.addfile(info, source)
                raw.flush()
                os.fsync(raw.fileno())
            partial.replace(target)  # atomic on POSIX: the old file or the new, never half
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)
        return manifest
    finally:
        if work is not None:
            work.cleanup()


def read_manifest(archive: Path) -> dict[str, Any]:
    with _open_archive(archive) as (_tar, manifest, _member):
        return manifest


@contextlib.contextmanager
def _open_archive(archive: Path) -> Iterator[tuple[tarfile.TarFile, dict[str, Any], tarfile.TarInfo]]:
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a Guozi backup: {exc}") from exc
    with tar:
        try:
            members = tar.getmembers()
        except tarfile.TarError as exc:
            raise BackupError(f"{archive} is damaged: {exc}") from exc
        if len(members) != 2 or members[0].name != MANIFEST or not all(m.isfile() for m in members):
            raise BackupError(f"{archive} is not a Guozi backup: expected {MANIFEST} and one payload file")
        source = tar.extractfile(members[0])
        if source is None:  # a directory or link where the manifest should be
            raise BackupError(f"{archive} is not a Guozi backup: {MANIFEST} is not a file")
        try:
            manifest = json.loads(source.read())
        except ValueError as exc:
            raise BackupError(f"{archive}: the manifest is not valid JSON ({exc})") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive}: backup format {manifest.get('format')!r}, this Guozi reads {FORMAT}")
        if members[1].name != manifest.get("payload", {}).get("name"):
            raise BackupError(f"{archive}: the payload is not the one the manifest names")
        yield tar, manifest, members[1]


def extract_payload(archive: Path, into: Path, *, key: bytes | None) -> dict[str, Any]:
    """Check the archive and write its plain payload to ``into``; return the manifest.

    Refused, with the reason: a damaged archive, a payload whose SM3 differs from the manifest,
    an encrypted backup without the key or with another key, a GCM tag that does not verify
    (the payload or the manifest was altered).
    """
    with _open_archive(archive) as (tar, manifest, member):
        source = tar.extractfile(member)
        if source is None:
            raise BackupError(f"{archive} is damaged: its payload is not a file")
        encryption = manifest.get("encryption")
        plain = sm3()
        if encryption is None:
            with into.open("wb") as out:
                _copy(source, out, read=plain)
        else:
            if key is None:
                raise BackupError(f"the backup is encrypted (key id {encryption['key_id']}); set {KEY_ENV}")
            if key_id(key) != encryption["key_id"]:
                raise BackupError(
                    f"{KEY_ENV} is another key (key id {key_id(key)}); the backup needs key id {encryption['key_id']}"
                )
            cipher = sm3()
            decryptor = sm4.decryptor(
                key, bytes.fromhex(encryption["iv"]), bytes.fromhex(encryption["tag"]), _canonical_manifest(manifest)
            )
            with into.open("wb") as out:
                _copy(source, out, read=cipher, written=plain, transform=decryptor)
                if cipher.hexdigest() != encryption["sm3"]:
                    raise BackupError("the encrypted payload's SM3 does not match the manifest: the file was altered")
                try:
                    tail = decryptor.finalize()
                except InvalidTag as exc:
                    raise BackupError("SM4-GCM authentication failed: the payload or the manifest was altered") from exc
                plain.update(tail)
                out.write(tail)
        if plain.hexdigest() != manifest["payload"]["sm3"]:
            raise BackupError("the payload's SM3 does not match the manifest: the file was altered or damaged")
        return manifest


# --- backup --------------------------------------------------------------------------------------


def _sqlite_snapshot(source: Database, copy: Path) -> tuple[dict[str, Any], dict[str, str]]:
    if not Path(source.name).exists():
        raise BackupError(f"no database at {source.name}")
    origin = source.connect()
    target = sqlite3.connect(copy)
    try:
        # One step (pages=-1): a consistent snapshot under a read lock; in WAL mode writers go on.
        origin.backup(target)
    finally:
        origin.close()
    try:
        # A self-contained file: no -wal beside the payload.
        target.execute("PRAGMA journal_mode=DELETE")
        check = target.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BackupError(f"the copy fails PRAGMA integrity_check: {check[:5]}")
        dangling = target.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise BackupError(f"the copy fails PRAGMA foreign_key_check: {dangling[:5]}")
        return database_digests(target, "sqlite"), _migrations(target)
    finally:
        target.close()


def _run(arguments: list[str], env: Mapping[str, str] | None = None) -> None:
    try:
        subprocess.run(arguments, env=env, check=True, capture_output=True, text=True)  # noqa: S603  # nosec B603 # our arguments
    except FileNotFoundError as exc:
        raise BackupError(f"{arguments[0]} is not installed (PostgreSQL client programs are needed)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{arguments[0]} failed: {exc.stderr.strip()[-2000:]}") from exc


def _postgresql_snapshot(source: Database, copy: Path) -> tuple[dict[str, Any], dict[str, str]]:
    with source.connect() as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        # pg_dump joins this transaction's snapshot: the dump and the hashes see the same rows.
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={row[0]}", f"--file={copy}", "--dbname", source.name],
            source.pg_env(),
        )
        tables = database_digests(connection, "postgresql")
        migrations = _migrations(connection)
        connection.rollback()
    _run(["pg_restore", "--list", str(copy)], source.pg_env())
    return tables, migrations


def backup(source: Database, target: Path, *, key: bytes | None = None) -> dict[str, Any]:
    """Back ``source`` up into the archive ``target`` (see the module docstring); return the manifest."""
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupError(f"no directory {target.parent}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="guozi-backup-") as work:
        copy = Path(work) / "payload"
        try:
            if source.vendor == "sqlite":
                tables, migrations = _sqlite_snapshot(source, copy)
            else:
                tables, migrations = _postgresql_snapshot(source, copy)
        except (sqlite3.Error, psycopg.Error) as exc:
            # Disk full, I/O errors, a lost connection: the operator's message, not a traceback.
            raise BackupError(f"cannot copy the database: {exc}") from exc
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "vendor": source.vendor,
            "database": source.name if source.vendor == "postgresql" else Path(source.name).name,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "migrations": migrations,
            "tables": tables,
            "rows": sum(table["rows"] for table in tables.values()),
        }
        manifest = write_archive(target, manifest, copy, key=key)
    manifest["seconds"] = round(time.monotonic() - started, 3)
    return manifest


# --- restore -------------------------------------------------------------------------------------


def compare(expected: Mapping[str, Mapping[str, Any]], found: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Every difference between two sets of table digests, one line each (empty: identical)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"{table}: missing after the restore")
        elif table not in expected:
            problems.append(f"{table}: not in the backup")
        elif expected[table]["rows"] != found[table]["rows"]:
            problems.append(f"{table}: {found[table]['rows']} rows, the backup has {expected[table]['rows']}")
        elif expected[table]["sm3"] != found[table]["sm3"]:
            problems.append(f"{table}: content differs from the backup (SM3)")
    return problems


def _load_sqlite(payload: Path, target: Database) -> None:
    Path(target.name).parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(payload)
    destination = target.connect()
    try:
        origin.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        origin.close()
        destination.close()


def _load_postgresql(payload: Path, target: Database) -> None:
    # --clean drops what a freshly migrated (empty) target already has; one transaction: all or nothing.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            target.name,
            str(payload),
        ],
        target.pg_env(),
    )


@dataclass
class Restored:
    manifest: dict[str, Any]
    seconds: float
    problems: list[str]


def restore(archive: Path, target: Database, *, key: bytes | None = None) -> Restored:
    """Restore ``archive`` into the empty database ``target`` and compare it table by table.

    Raises :class:`BackupError` before touching the target when the archive fails its checks, is
    of another vendor, or the target holds data. A restore that loads but differs from the
    manifest returns its ``problems`` (the caller fails on any).
    """
    started = time.monotonic()
    manifest = read_manifest(archive)
    if manifest["vendor"] != target.vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database; the target is {target.vendor}")
    occupied = emptiness(target)
    if occupied:
        shown = ", ".join(occupied[:5]) + (f" and {len(occupied) - 5} more" if len(occupied) > 5 else "")
        raise BackupError(f"{target.label} is not empty (rows in {shown}); restore only into an empty database")
    with tempfile.TemporaryDirectory(prefix="guozi-restore-") as work:
        payload = Path(work) / "payload"
        extract_payload(archive, payload, key=key)
        try:
            if target.vendor == "sqlite":
                _load_sqlite(payload, target)
            else:
                _load_postgresql(payload, target)
        except (sqlite3.Error, psycopg.Error) as exc:
            raise BackupError(f"cannot load the backup into {target.label}: {exc}") from exc
    connection = target.connect()
    try:
        if target.vendor == "sqlite":
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                return Restored(manifest, time.monotonic() - started, [f"integrity_check: {check[:5]}"])
        found = database_digests(connection, target.vendor)
    finally:
        connection.close()
    return Restored(manifest, round(time.monotonic() - started, 3), compare(manifest["tables"], found))


# --- the drill -----------------------------------------------------------------------------------


def drill_log() -> Path:
    from django.conf import settings

    return Path(settings.STATE_DIR) / "drills.jsonl"


def _postgresql_scratch(scratch: Database) -> Callable[[], None]:
    """Create the empty database ``scratch``; return the function that drops it."""
    import psycopg

    admin = scratch.with_name("postgres")
    with psycopg.connect(admin.conninfo(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {_quote(scratch.name)} TEMPLATE template0")

    def drop() -> None:
        with psycopg.connect(admin.conninfo(), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {_quote(scratch.name)} WITH (FORCE)")

    return drop


def drill(source: Database, *, key: bytes | None = None, log: Path | None = None) -> dict[str, Any]:
    """Back ``source`` up, restore it into a scratch database, compare; append the record to the drill log.

    The record (one JSON line): ``time`` (UTC), ``vendor``, ``database``, ``tables``, ``rows``,
    ``backup_seconds``, ``seconds`` (the restore with its verification: the measured RTO for this
    many rows), ``encrypted``, ``result`` (``ok`` or ``failed``) and ``reason``. A failed drill is
    recorded too, then raised.
    """
    log = log or drill_log()
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": source.vendor,
        "database": Path(source.name).name if source.vendor == "sqlite" else source.name,
        "encrypted": key is not None,
    }
    try:
        with tempfile.TemporaryDirectory(prefix="guozi-drill-") as work:
            archive = Path(work) / "drill.guozi-backup"
            manifest = backup(source, archive, key=key)
            record.update(tables=len(manifest["tables"]), rows=manifest["rows"], backup_seconds=manifest["seconds"])
            if source.vendor == "sqlite":
                scratch = Database("sqlite", str(Path(work) / "scratch.sqlite3"))
                drop: Callable[[], None] = lambda: None  # noqa: E731  (the folder goes with it)
            else:
                scratch = source.with_name(f"{source.name}_drill_{secrets.token_hex(4)}")
                drop = _postgresql_scratch(scratch)
            try:
                restored = restore(archive, scratch, key=key)
            finally:
                drop()
        record["seconds"] = restored.seconds
        if restored.problems:
            raise BackupError("the restored copy differs: " + "; ".join(restored.problems[:10]))
        record.update(result="ok", reason="")
        return record
    except Exception as exc:
        record.update(result="failed", reason=str(exc))
        raise
    finally:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def last_drill(log: Path | None = None) -> dict[str, Any] | None:
    """The latest drill record, or ``None`` when no drill has run (for ``guozi security report``)."""
    log = log or drill_log()
    if not log.exists():
        return None
    last = None
    with log.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                last = line
    return json.loads(last) if last else None
