"""guozi restore FILE: into an empty database only, then compared table by table; see docs/backup.md."""

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from guozi.core import audit, backup
from guozi.core.models import AuditEventKind


class Command(BaseCommand):
    help = (
        "Restore a backup made by `guozi backup` into the configured database, which must be empty; "
        "then recompute every table's row count and SM3 and compare them with the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        # The restore opens its own connections; Django's must not hold the target open.
        connections.close_all()
        try:
            key = backup.key_from_env() if os.environ.get(backup.KEY_ENV) else None
            restored = backup.restore(file, backup.database_from_settings(), key=key)
        except backup.BackupError as exc:
            raise CommandError(f"恢复被拒绝 (restore refused): {exc}") from exc
        manifest = restored.manifest
        if restored.problems:
            for problem in restored.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"恢复结果与备份不一致 (restore differs from the backup): {len(restored.problems)} table(s)"
            )
        # Recorded in the restored database, after the check: its trail shows when it came back.
        audit.record_event(
            AuditEventKind.RESTORE,
            object_repr=str(file),
            detail={"backup_created": manifest["created"], "rows": manifest["rows"], "seconds": restored.seconds},
        )
        for note in _migration_notes(manifest.get("migrations", {})):
            self.stdout.write(note)
        self.stdout.write(
            f"恢复完成并已核对 (restored and verified): {file} of {manifest['created']} — "
            f"{len(manifest['tables'])} tables, {manifest['rows']} rows identical; {restored.seconds} s"
        )


def _migration_notes(restored: dict[str, str]) -> list[str]:
    """What to do when the backup's migrations are not this Guozi's."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    heads = dict(graph.leaf_nodes())
    notes = []
    for app, name in sorted(restored.items()):
        if (app, name) not in graph.nodes:
            notes.append(
                f"注意: the backup has migration {app}.{name}, unknown to this Guozi: it is from a newer version"
            )
        elif heads.get(app) != name:
            notes.append(f"注意: {app} is at {name}, this Guozi at {heads.get(app)}: run `guozi migrate`")
    return notes
