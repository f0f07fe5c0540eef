from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.config import SettingError
from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.core.services.second_factor import totp_keys_rekey
from guozi.core.sm4 import SealError


class Command(BaseCommand):
    help = (
        "Encrypt every second-factor key with the current GUOZI_FIELD_KEY (after a key rotation; "
        "old keys in GUOZI_FIELD_KEYS_OLD): security administrator only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", required=True, help="The security administrator's username.")

    def handle(self, *args: Any, actor: str, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor).first()
        if acting is None:
            raise CommandError(f"no user {actor}")
        try:
            changed = totp_keys_rekey(actor=acting, origin=COMMAND)
        except (PermissionDenied, SettingError, SealError) as error:
            raise CommandError(f"nothing re-encrypted: {error}") from error
        self.stdout.write(f"{changed} second-factor key(s) re-encrypted")
