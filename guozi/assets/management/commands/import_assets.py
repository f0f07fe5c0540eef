from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from guozi.assets.services.imports import ImportOutcome, ledger_check, ledger_import
from guozi.core.changes import COMMAND
from guozi.core.models import User


class Command(BaseCommand):
    help = (
        "Import an asset ledger file (.xlsx or .csv, in the template's layout) as the acting user: "
        "all rows or none. Example: guozi import_assets 台账.xlsx --actor chengfa --dry-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--actor", required=True, help="Username the import is recorded under; sets the scope.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args: Any, file: Path, actor: str, dry_run: bool, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            if dry_run:
                outcome = ledger_check(actor=acting, file_name=file.name, content=content)
            else:
                outcome = ledger_import(actor=acting, origin=COMMAND, file_name=file.name, content=content)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        except DatabaseError as exc:
            # A full disk, a lost connection: the import's transaction rolled back (REL-FULL-01).
            raise CommandError(f"{file.name}: the database refused the write ({exc}); nothing written") from exc
        self.report(outcome, dry_run=dry_run)

    def report(self, outcome: ImportOutcome, *, dry_run: bool) -> None:
        if not outcome.ok:
            for error in outcome.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f" {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.value!r}: {error.reason}")
            hidden = outcome.error_count - len(outcome.errors)
            more = f" ({hidden} more not listed)" if hidden else ""
            raise CommandError(f"{outcome.file_name} refused: {outcome.error_count} errors{more}; nothing written")
        if dry_run:
            self.stdout.write(
                f"{outcome.file_name}: {outcome.rows} rows checked: {outcome.creates} to create, "
                f"{outcome.updates} to update, {outcome.unchanged} unchanged; nothing written (dry run)"
            )
            return
        assert outcome.batch is not None  # nosec B101 # type narrowing: a real import always has its batch
        self.stdout.write(
            f"{outcome.file_name}: {outcome.rows} rows imported as batch {outcome.batch.pk}: "
            f"{outcome.creates} created, {outcome.updates} updated, {outcome.unchanged} unchanged"
        )
