from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guozi.core.models import User
from guozi.core.services import audit_trail


def _date(value: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(value))


class Command(BaseCommand):
    help = "The audit trail: verify its SM3 hash chains, archive old records, purge them after archiving."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("verify", help="Check every chain; exit 1 naming each altered, removed or added record.")
        for name, text in (
            ("archive", "Write records older than --before to a checked .jsonl.gz archive."),
            ("purge", "Archive, then delete, records older than --before (never inside the retention period)."),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("--before", required=True, type=_date, help="YYYY-MM-DD")
            sub.add_argument("--output", required=True, type=Path)
            sub.add_argument("--actor", required=True, help="The auditor's username.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            result = audit_trail.verify()
            for table, count in result.counts.items():
                self.stdout.write(f"{table}: {count} records")
            for where in result.breaks:
                self.stderr.write(f"TAMPERED {where}")
            if not result.ok:
                raise CommandError(f"{len(result.breaks)} breaks in the audit chains or stored documents")
            self.stdout.write("audit chains and stored documents intact")
            return
        actor = User.objects.filter(username__iexact=options["actor"]).first()
        if actor is None:
            raise CommandError(f"no user {options['actor']}")
        run = audit_trail.purge if action == "purge" else audit_trail.archive
        try:
            done = run(actor=actor, before=options["before"], output=options["output"])
        except audit_trail.AuditTrailError as refused:
            raise CommandError(str(refused)) from refused
        for table, entry in done.tables.items():
            self.stdout.write(f"{table}: {entry['count']} records up to #{entry['last_id']}")
        self.stdout.write(f"{action}: {done.path} SM3 {done.sm3}")
