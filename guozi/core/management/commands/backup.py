"""guozi backup FILE [--encrypt] | guozi backup --drill [--encrypt]: see docs/backup.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core import audit, backup
from guozi.core.models import AuditEventKind


class Command(BaseCommand):
    help = (
        "Back the database up into FILE (one archive: manifest and payload, checked, written atomically), "
        "or with --drill back up, restore into a scratch database, compare and log the drill."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="The archive to write (replaced atomically).")
        parser.add_argument(
            "--encrypt", action="store_true", help=f"Encrypt the payload with SM4-GCM, key from {backup.KEY_ENV}."
        )
        parser.add_argument("--drill", action="store_true", help="Run a restore drill and append it to the log.")

    def handle(self, *args: Any, file: Path | None, encrypt: bool, drill: bool, **options: Any) -> None:
        if drill == (file is not None):
            raise CommandError("give either FILE or --drill")
        try:
            key = backup.key_from_env() if encrypt else None
            source = backup.database_from_settings()
            if drill:
                record = backup.drill(source, key=key)
                # A system administrator's operation (8.1.5.1): on the audit trail, like the drill log.
                audit.record_event(
                    AuditEventKind.RESTORE_DRILL,
                    success=record.get("result") == "ok",
                    object_repr=str(backup.drill_log()),
                    detail=record,
                )
                self.stdout.write(
                    f"恢复演练通过 (restore drill ok): {record['vendor']}, {record['tables']} tables, "
                    f"{record['rows']} rows; backup {record['backup_seconds']} s, "
                    f"restore and verify {record['seconds']} s (RTO); logged to {backup.drill_log()}"
                )
                return
            assert file is not None  # nosec B101 # type narrowing: argparse requires FILE without --drill
            manifest = backup.backup(source, file, key=key)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"cannot write the backup: {exc}") from exc
        audit.record_event(
            AuditEventKind.BACKUP,
            object_repr=str(file),
            detail={
                "rows": manifest["rows"],
                "payload_sm3": manifest["payload"]["sm3"],
                "seconds": manifest["seconds"],
            },
        )
        encrypted = f", SM4-GCM key id {manifest['encryption']['key_id']}" if "encryption" in manifest else ""
        self.stdout.write(
            f"备份完成 (backup written): {file} — {manifest['vendor']}, {len(manifest['tables'])} tables, "
            f"{manifest['rows']} rows, payload SM3 {manifest['payload']['sm3'][:16]}…{encrypted}; "
            f"{manifest['seconds']} s"
        )
