import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.config import SettingError
from guozi.core import field_encryption
from guozi.core.models import User


def accounts_with_demo_password() -> list[str]:
    return [
        user.username for user in User.objects.filter(is_active=True) if user.check_password(settings.DEMO_PASSWORD)
    ]


class Command(BaseCommand):
    help = (
        "Serve Guozi in production with gunicorn; refuses while any account has the demo password "
        "or without GUOZI_FIELD_KEY (DEBUG off)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--check-only", action="store_true", help="Run the start-up checks, then exit.")

    def handle(self, *args: Any, bind: str, workers: int, check_only: bool, **options: Any) -> None:
        try:
            field_encryption.current_key()  # the second-factor keys cannot be read without it
        except SettingError as error:
            raise CommandError(f"refusing to serve: {error}") from error
        weak = accounts_with_demo_password()
        if weak:
            raise CommandError(
                f"refusing to serve: {len(weak)} account(s) still have the demo password "
                f"({', '.join(sorted(weak))}); change or disable them first."
            )
        if check_only:
            self.stdout.write("ok")
            return
        gunicorn = shutil.which("gunicorn") or "gunicorn"
        sys.stdout.flush()
        arguments = [gunicorn, "guozi.wsgi:application", "--bind", bind, "--workers", str(workers)]
        os.execv(gunicorn, arguments)  # noqa: S606  # nosec B606 # a fixed program, no shell
