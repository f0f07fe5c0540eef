"""One sheet row to one ledger row: every cell validated, every problem kept for the report.

:class:`RowReader` reads the rows of one file for one acting user. It never stops at
the first error: the user fixes a file once, with every bad cell listed (row number,
column, value, reason). Enterprises are matched by name or short name among those
the user may add or change assets in; any other name reads as unknown, so the report
reveals nothing about enterprises outside the user's scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from guozi.assets.importing.columns import BY_KEY, CERTIFICATE_TERMS, COLUMNS, PACKAGE_TERMS, TOTAL, UTILISATION_TERMS
from guozi.assets.importing.layout import SheetRow
from guozi.assets.models import Asset, AssetCategory
from guozi.core.choices import OrganizationKind
from guozi.core.importing import values
from guozi.core.importing.problems import RowError
from guozi.core.importing.reader import Cell
from guozi.core.models import Organization, User
from guozi.core.money import UNITS, plain
from guozi.core.scope import in_scope

#: Errors kept for the report; beyond this only their number (a file with a wrong
#: column can have an error on every one of a million rows).
MAX_REPORTED_ERRORS = 10_000


@dataclass(frozen=True)
class EnterpriseAccess:
    """An enterprise a file may name, and what the importer may do to its ledger."""

    organization: Organization
    may_add: bool
    may_change: bool


@dataclass
class LedgerRow:
    """A valid sheet row: the asset's key and the values the import gives it."""

    number: int
    enterprise: EnterpriseAccess
    code: str
    fields: dict[str, Any]


def enterprises_for(actor: User) -> dict[str, EnterpriseAccess | None]:
    """Enterprises the actor may import into, by normalised name and short name (None: ambiguous)."""
    found: dict[str, EnterpriseAccess | None] = {}
    by_short: dict[str, list[EnterpriseAccess]] = defaultdict(list)
    for organization in Organization.objects.filter(kind=OrganizationKind.ENTERPRISE):
        probe = Asset(enterprise=organization)
        entry = EnterpriseAccess(organization, in_scope(actor, probe, "add"), in_scope(actor, probe, "change"))
        if entry.may_add or entry.may_change:
            found[values.normalized(organization.name)] = entry
            if organization.short_name:
                by_short[values.normalized(organization.short_name)].append(entry)
    for short, group in by_short.items():
        # A full name wins; a short name two enterprises share names neither.
        found.setdefault(short, group[0] if len(group) == 1 else None)
    return found


def categories_by_name() -> dict[str, AssetCategory]:
    found: dict[str, AssetCategory] = {}
    for category in AssetCategory.objects.all():
        found[values.normalized(category.name)] = category
        found.setdefault(values.normalized(category.code), category)
    return found


@dataclass
class RowReader:
    actor: User
    unit: str
    enterprises: dict[str, EnterpriseAccess | None] = field(init=False)
    categories: dict[str, AssetCategory] = field(init=False)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    #: (enterprise id, code) → the row that first gave it.
    seen: dict[tuple[int, str], int] = field(default_factory=dict)
    sums: dict[str, Decimal] = field(default_factory=dict)
    #: Columns with a bad cell: their 合计 cannot be checked.
    bad_columns: set[str] = field(default_factory=set)
    total: SheetRow | None = None

    def __post_init__(self) -> None:
        self.enterprises = enterprises_for(self.actor)
        self.categories = categories_by_name()

    def error(self, row: int, key: str, cell: Cell, reason: str) -> None:
        self.error_count += 1
        if key:
            self.bad_columns.add(key)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            label = BY_KEY[key].header(self.unit) if key else ""
            self.errors.append(RowError(row, label, values.display(cell), reason))

    def refuse_file(self, reason: str) -> None:
        self.error(0, "", None, reason)

    def read(self, row: SheetRow) -> LedgerRow | None:
        """The row's ledger values, or None when any cell is bad (each one reported)."""
        if self.total is not None:
            self.error(row.number, "", None, _("A row after the 合计 row: the 合计 row must be the last."))
            return None
        if row.is_total:
            self.total = row
            return None
        self.rows += 1
        before = self.error_count
        parsed: dict[str, Any] = {}

        def take(key: str, parse: Callable[[Cell], Any], *, required: bool = False) -> None:
            cell = row.cells[key]
            if values.is_blank(cell):
                if required:
                    self.error(row.number, key, cell, _("Required."))
                return
            try:
                parsed[key] = parse(cell)
            except values.BadValue as bad:
                self.error(row.number, key, cell, bad.reason)

        take("code", values.code, required=True)
        take("enterprise", self._enterprise, required=True)
        take("name", lambda c: values.text(c, max_length=200), required=True)
        take("category", self._category, required=True)
        take("location", lambda c: values.text(c, max_length=200))
        take("area", values.area)
        take("quantity", values.whole_number)
        take("original_value", lambda c: values.amount(c, self.unit))
        take("book_value", lambda c: values.amount(c, self.unit), required=True)
        take("acquired_on", values.day)
        take("certificate", lambda c: values.choice(c, CERTIFICATE_TERMS), required=True)
        take("utilisation", lambda c: values.choice(c, UTILISATION_TERMS), required=True)
        take("package", lambda c: values.choice(c, PACKAGE_TERMS))
        take("note", lambda c: values.text(c, max_length=2000))
        for key in ("area", "quantity", "original_value", "book_value"):
            if key in parsed:
                self.sums[key] = self.sums.get(key, Decimal(0)) + parsed[key]

        enterprise: EnterpriseAccess | None = parsed.get("enterprise")
        if enterprise is not None and "code" in parsed:
            first = self.seen.setdefault((enterprise.organization.pk, parsed["code"]), row.number)
            if first != row.number:
                self.error(
                    row.number,
                    "code",
                    row.cells["code"],
                    _("Also on row %(row)d: a code appears once per enterprise.") % {"row": first},
                )
        if self.error_count > before or enterprise is None:
            return None
        category: AssetCategory = parsed.pop("category")
        parsed.pop("enterprise")
        code = parsed.pop("code")
        fields = {
            "name": parsed["name"],
            "category_id": category.pk,
            "location": parsed.get("location", ""),
            "area": parsed.get("area"),
            "quantity": parsed.get("quantity", 1),
            "original_value": parsed.get("original_value"),
            "book_value": parsed["book_value"],
            "acquired_on": parsed.get("acquired_on"),
            "certificate": parsed["certificate"],
            "utilisation": parsed["utilisation"],
            "package": parsed.get("package", ""),
            "note": parsed.get("note", ""),
        }
        return LedgerRow(row.number, enterprise, code, fields)

    def _enterprise(self, cell: Cell) -> EnterpriseAccess:
        name = values.normalized(str(cell))
        if name not in self.enterprises:
            raise values.BadValue(_("No enterprise of this name (or short name) within your scope."))
        entry = self.enterprises[name]
        if entry is None:
            raise values.BadValue(_("Several enterprises have this short name: give the full name."))
        return entry

    def _category(self, cell: Cell) -> AssetCategory:
        category = self.categories.get(values.normalized(str(cell)))
        if category is None:
            ordered = sorted(set(self.categories.values()), key=lambda c: (c.sort_order, c.code))
            names = "、".join(c.name for c in ordered)
            raise values.BadValue(_("Unknown asset class. Allowed: %(allowed)s.") % {"allowed": names})
        return category

    def finish(self) -> None:
        """After the last row: the file must hold data, and its 合计 must equal the rows' sums."""
        if self.rows == 0:
            self.refuse_file(_("The file holds no data rows below the header."))
        if self.total is None:
            return
        for column in COLUMNS:
            if not column.summed or column.key in self.bad_columns:
                continue
            cell = self.total.cells[column.key]
            if values.is_blank(cell):
                continue
            try:
                stated = values.amount(cell, self.unit) if column.kind == "money" else values.number(cell)
            except values.BadValue as bad:
                self.error(self.total.number, column.key, cell, bad.reason)
                continue
            summed = self.sums.get(column.key, Decimal(0))
            if stated != summed:
                shown = summed / UNITS[self.unit] if column.kind == "money" else summed
                self.error(
                    self.total.number,
                    column.key,
                    cell,
                    _("%(total)s says %(stated)s but the rows add up to %(sum)s.")
                    % {"total": TOTAL, "stated": values.display(cell), "sum": plain(shown.normalize())},
                )
