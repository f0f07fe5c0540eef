"""The demo ledgers of 市城发集团 and 市高投集团, loaded the way enterprises load theirs:
each written into the import template and imported through the import service; then
the revitalisations, transfers and financial snapshots recorded around them.

The rows are built in ``demo_ledgers`` so that the census reproduces the reference
report's figures exactly (see its docstring for the report's two inconsistent sums);
``demo_records`` holds the rest, with its assumptions.
"""

from guozi.assets import demo_records
from guozi.assets.classification import ensure_standard_classes
from guozi.assets.demo_ledgers import CHENGFA, GAOTOU, Group, rows
from guozi.assets.services.imports import ledger_import, ledger_template
from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User


def _import(username: str, enterprise: str, prefix: str, groups: list[Group]) -> None:
    actor = User.objects.get(username=username)
    content = ledger_template(
        reporting_unit=Organization.objects.get(short_name=enterprise).name, rows=rows(prefix, groups), total=True
    )
    outcome = ledger_import(actor=actor, origin=COMMAND, file_name=f"{enterprise}资产台账.xlsx", content=content)
    if not outcome.ok:  # the demo data is wrong: say where, loudly
        problems = "; ".join(f"row {e.row} {e.column} {e.value!r}: {e.reason}" for e in outcome.errors[:5])
        raise RuntimeError(f"demo ledger of {enterprise} refused: {problems}")


def load() -> None:
    ensure_standard_classes()
    _import("chengfa", "市城发集团", "CF", CHENGFA)
    _import("gaotou", "市高投集团", "GT", GAOTOU)
    demo_records.load()
