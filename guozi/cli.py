"""The ``guozi`` console command: Django's manage.py under a friendlier name."""

import os
import sys
from pathlib import Path

#: The checkout this package runs from (an editable install, CI): bench/ lies beside guozi/.
CHECKOUT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guozi.settings")
    if argv[1:2] == ["bench"]:
        bench(argv[2:])
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


def bench(arguments: list[str]) -> None:
    """``guozi bench …`` is ``python -m bench …`` (docs/benchmarks.md): it sets up its own database and settings."""
    if not (CHECKOUT / "bench" / "__main__.py").is_file():
        print("guozi: the benchmark suite comes with the source checkout (bench/), not the package", file=sys.stderr)
        sys.exit(2)
    os.chdir(CHECKOUT)
    sys.stdout.flush()
    # A fixed interpreter and module; the arguments are the caller's own command line.
    os.execv(sys.executable, [sys.executable, "-m", "bench", *arguments])  # noqa: S606  # nosec B606


if __name__ == "__main__":
    main()
