from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.core.services.users import users_disable_inactive


class Command(BaseCommand):
    help = "Disable accounts unused for N days (default 90) and end their sessions; run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--actor", required=True, help="The system administrator the run acts as.")

    def handle(self, *args: Any, days: int, actor: str, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        disabled = users_disable_inactive(actor=acting, origin=COMMAND, days=days, today=timezone.now())
        self.stdout.write(f"{len(disabled)} account(s) disabled: {', '.join(u.username for u in disabled)}")
