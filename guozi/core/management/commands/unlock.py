from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core.choices import SeparatedRole
from guozi.core.models import User
from guozi.core.security import is_locked, unlock


class Command(BaseCommand):
    help = "Lift a sign-in lockout; only the security administrator may (三权分立)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--actor", required=True, help="The security administrator's username.")

    def handle(self, *args: Any, username: str, actor: str, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None or not acting.holds_duty(SeparatedRole.SECADMIN):
            raise CommandError("only an active security administrator may unlock accounts")
        if not is_locked(username):
            self.stdout.write(f"{username} is not locked")
            return
        unlock(actor=acting, username=username)
        self.stdout.write(f"{username} unlocked by {acting.username}")
