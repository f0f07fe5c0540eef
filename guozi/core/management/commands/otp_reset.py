from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.core.services.second_factor import second_factor_reset


class Command(BaseCommand):
    help = "Remove an account's second-factor devices and backup codes (lost phone): security administrator only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--actor", required=True, help="The security administrator's username.")

    def handle(self, *args: Any, username: str, actor: str, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor).first()
        user = User.objects.filter(username__iexact=username).first()
        if acting is None or user is None:
            raise CommandError("no such account")
        try:
            removed = second_factor_reset(actor=acting, origin=COMMAND, user=user)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if removed:
            self.stdout.write(
                f"{user.username}: second factor removed by {acting.username}; binds a new one at sign-in"
            )
        else:
            self.stdout.write(f"{user.username} has no second factor")
