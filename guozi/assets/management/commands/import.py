"""guozi import assets FILE --actor USER [--dry-run]: the ledger import, with progress on the terminal."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import DatabaseError

from guozi.assets.management.commands.import_assets import Command as ImportAssets
from guozi.assets.services.imports import ledger_check, ledger_import
from guozi.core.changes import COMMAND
from guozi.core.models import User


class Command(ImportAssets):
    help = "guozi import assets FILE --actor USER [--dry-run]: import an asset ledger, all rows or none."

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        assets = kinds.add_parser("assets", help="An asset ledger in the template's layout (.xlsx or .csv).")
        assets.add_argument("file", type=Path)
        assets.add_argument("--actor", required=True, help="Username the import is recorded under; sets the scope.")
        assets.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args: Any, file: Path, actor: str, dry_run: bool, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc

        def progress(rows: int) -> None:
            self.stderr.write(f"\r已处理 {rows} 行", ending="")
            self.stderr.flush()

        try:
            if dry_run:
                outcome = ledger_check(actor=acting, file_name=file.name, content=content)
            else:
                outcome = ledger_import(
                    actor=acting, origin=COMMAND, file_name=file.name, content=content, progress=progress
                )
                self.stderr.write("")
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        except DatabaseError as exc:
            # A full disk, a lost connection: the import's transaction rolled back (REL-FULL-01).
            raise CommandError(f"{file.name}: the database refused the write ({exc}); nothing written") from exc
        self.report(outcome, dry_run=dry_run)
