"""The ``guozi`` console command: Django's manage.py under a friendlier name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guozi.settings")
    if argv[1:2] == ["demo"]:
        # The demo is development mode on 127.0.0.1: plain HTTP cookies and a
        # development secret key are fine there, and spare a setup step.
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    from guozi.config import SettingError

    try:
        execute_from_command_line(argv)
    except SettingError as exc:
        # A deployment mistake: one line that names the setting, not a traceback.
        print(f"guozi: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
