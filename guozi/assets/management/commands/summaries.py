"""guozi summaries rebuild [--check]: recompute the asset summary and its subtree rollup from the ledger,
or compare them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.assets import summaries

#: Differences listed before "… and N more".
SHOWN = 20


class Command(BaseCommand):
    help = (
        "guozi summaries rebuild [--check]: recompute the dashboards' asset summary and subtree rollup from the ledger "
        "in one transaction; --check only compares and fails (exit 1) on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="action", required=True)
        rebuild = kinds.add_parser(
            "rebuild", help="Recompute the asset summary (AssetSummary, AssetRollup) from the ledger."
        )
        rebuild.add_argument("--check", action="store_true", help="Compare only; write nothing; exit 1 if they differ.")

    def handle(self, *args: Any, action: str, check: bool, **options: Any) -> None:
        if not check:
            rows, rollup = summaries.rebuild()
            self.stdout.write(f"asset summary rebuilt from the ledger: {rows} rows, {rollup} subtree rollup rows")
            return
        found = summaries.differences()
        if not found:
            self.stdout.write("asset summary equals the ledger")
            return
        names = ", ".join(summaries.MEASURES)
        self.stdout.write(
            f"enterprise or subtree, group (organisation, class, utilisation, package): stored → ledger ({names})"
        )
        for what, key, summary, ledger in found[:SHOWN]:
            self.stdout.write(f"{what} {key}: {summary or 'no row'} → {ledger or 'no assets'}")
        if len(found) > SHOWN:
            self.stdout.write(f"… and {len(found) - SHOWN} more")
        raise CommandError(
            f"asset summary differs from the ledger in {len(found)} group(s): run `guozi summaries rebuild`",
            returncode=1,
        )
