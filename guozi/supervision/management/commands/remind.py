from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.supervision.services.reminders import remind


class Command(BaseCommand):
    help = "Daily reminders: notifications and 督办单 for reports due or overdue and milestones past due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", required=True, help="The supervision-office user the run acts as.")
        parser.add_argument("--date", type=date.fromisoformat, help="Run as of this day (default: today).")

    def handle(self, *args: Any, actor: str, date: date | None, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        run = remind(actor=acting, origin=COMMAND, today=date or timezone.localdate())
        self.stdout.write(f"{len(run.notifications)} notification(s), {len(run.notices)} notice(s) issued")
