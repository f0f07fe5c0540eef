from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guozi.core import security_report


class Command(BaseCommand):
    help = "Security evidence for an assessor: `guozi security report --output 证据.xlsx`."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        report = commands.add_parser("report", help="Write the evidence workbook.")
        report.add_argument("--output", required=True, type=Path)
        report.add_argument(
            "--no-pip-audit", action="store_true", help="Skip the dependency audit (it asks PyPI, over the network)."
        )

    def handle(self, *args: Any, action: str, output: Path, no_pip_audit: bool, **options: Any) -> None:
        sheets = security_report.build(pip_audit=not no_pip_audit)
        security_report.write(sheets, output)
        for sheet in sheets[1:]:
            self.stdout.write(f"{sheet.title}: {len(sheet.rows)} rows")
        self.stdout.write(f"written {output}")
