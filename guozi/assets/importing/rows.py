"""One sheet row to one ledger row: every cell validated, every problem kept for the report.

:class:`RowReader` reads the rows of one file for one acting user. It never stops at
the first error: the user fixes a file once, with every bad cell listed (row number,
column, value, reason). Enterprises are matched by name or short name among those
the user may add or change assets in; any other name reads as unknown, so the report
reveals nothing about enterprises outside the user's scope.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.assets.importing.columns import BY_KEY, CERTIFICATE_TERMS, COLUMNS, PACKAGE_TERMS, TOTAL, UTILISATION_TERMS
from guozi.assets.importing.layout import Layout, SheetRow, sheet_row
from guozi.assets.models import Asset, AssetCategory
from guozi.core.choices import OrganizationKind
from guozi.core.importing import values
from guozi.core.importing.problems import RowError
from guozi.core.importing.reader import Cell, Row
from guozi.core.importing.values import normalized
from guozi.core.models import Organization, User
from guozi.core.money import CENT, UNITS, plain
from guozi.core.scope import in_scope

#: Errors kept for the report; beyond this only their number (a file with a wrong
#: column can have an error on every one of a million rows).
MAX_REPORTED_ERRORS = 10_000

#: The ledger's column limits (``Asset``: area 14 digits, amounts 18, both with two decimals;
#: quantity a 32-bit integer): a larger value is a typing slip, refused with its row.
MAX_AREA = Decimal(10) ** 12
MAX_AMOUNT = Decimal(10) ** 16
MAX_QUANTITY = 2_147_483_647
#: The columns in template order, as :meth:`RowReader.quick` unpacks them.
KEYS = [column.key for column in COLUMNS]
_UNSEEN = object()
ZERO, ONE = Decimal(0), Decimal(1)


@dataclass(frozen=True)
class EnterpriseAccess:
    """An enterprise a file may name, and what the importer may do to its ledger."""

    #: The organisation's id: a million rows ask for it five times each.
    id: int
    may_add: bool
    may_change: bool


@dataclass(slots=True)
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
    # Plain values and one probe row whose enterprise changes: a province has 10,000
    # enterprises, and a model instance and a probe asset for each took 0.7 s of every import.
    probe = Asset()
    enterprises = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).values_list("id", "name", "short_name")
    for pk, name, short_name in enterprises:
        probe.enterprise_id = pk
        entry = EnterpriseAccess(pk, in_scope(actor, probe, "add"), in_scope(actor, probe, "change"))
        if entry.may_add or entry.may_change:
            found[values.normalized(name)] = entry
            if short_name:
                by_short[values.normalized(short_name)].append(entry)
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
        self.factor = UNITS[self.unit]
        self._amounts = _column(self.factor, MAX_AMOUNT)
        self._areas = _column(ONE, MAX_AREA)
        self.today = timezone.localdate()
        # A file names few enterprises in many rows: each cell text is normalised once.
        self._enterprise_by_cell: dict[str, Any] = {}
        self._certificates: dict[Any, Any] = {}
        self._utilisations: dict[Any, Any] = {}
        self._packages: dict[Any, Any] = {}
        self._categories: dict[Any, Any] = {}
        self._caches = {
            id(CERTIFICATE_TERMS): self._certificates,
            id(UTILISATION_TERMS): self._utilisations,
            id(PACKAGE_TERMS): self._packages,
            id(self.categories): self._categories,
        }

    def rows_of(self, layout: Layout, rows: Iterator[Row]) -> Iterator[LedgerRow]:
        """Each valid row after the header: :meth:`quick` when it can tell, else :meth:`read` (bad ones reported)."""
        cells_of = operator.itemgetter(*(layout.positions[key] for key in KEYS))
        code_first = layout.positions["code"] == min(layout.positions.values()) == 0
        for number, cells in rows:
            found = None
            if code_first and self.total is None:
                try:
                    found = self.quick(number, cells_of(cells))
                except IndexError:  # a short row: read() pads it
                    found = None
            if found is None:
                row = sheet_row(layout, number, cells)
                if row is None:
                    continue
                found = self.read(row)
                if found is None:
                    continue
            yield found

    def _term(self, terms: dict[str, Any], cell: Cell) -> Any:
        """``terms[normalized(cell)]`` or None, remembered for the cell's exact text (a file repeats a few terms).

        The quick path looks a cell up in the cache of its column first and calls this
        only on a miss; a term that normalises to nothing is remembered as None.
        """
        if type(cell) is not str:
            return None
        cache = self._caches[id(terms)]
        if cell not in cache:
            cache[cell] = terms.get(normalized(cell))
        return cache[cell]

    def quick(self, number: int, cells: tuple[Cell, ...]) -> LedgerRow | None:
        """The everyday row, fast: every cell of its usual type and valid, or None to leave it to :meth:`read`.

        An import reads a million rows; :meth:`read` spends most of its time on the
        unusual (full-width digits, text dates, 1,234.56, short names). This accepts a
        row only where each cell is already in the form :meth:`read` would turn it into,
        so that for every row it accepts it returns exactly what :meth:`read` returns
        (``test_rows.py`` holds the two to that); any doubt declines, never refuses.
        Only called while code is the sheet's first column, so a 合计 row has a blank or
        Chinese code and is declined.
        """
        code, enterprise_name, name, category_name, location, area, quantity = cells[:7]
        original, book, acquired, certificate, utilisation, package, note = cells[7:]
        if not (type(code) is str and code.isascii() and type(enterprise_name) is str and type(name) is str):
            return None
        code = code.strip()
        name = name.strip()
        enterprise = self._enterprise_by_cell.get(enterprise_name, _UNSEEN)
        if enterprise is _UNSEEN:
            enterprise = self._enterprise_by_cell[enterprise_name] = self.enterprises.get(normalized(enterprise_name))
        category = self._categories.get(category_name) or self._term(self.categories, category_name)
        if not (0 < len(code) <= 50 and 0 < len(name) <= 200 and enterprise is not None and category is not None):
            return None
        if "\x00" in code or "\x00" in name:
            return None  # read() refuses it
        certificate = self._certificates.get(certificate) or self._term(CERTIFICATE_TERMS, certificate)
        utilisation = self._utilisations.get(utilisation) or self._term(UTILISATION_TERMS, utilisation)
        if package == "" or package is None:
            package = ""
        else:
            package = self._packages.get(package, _UNSEEN)
            if package is _UNSEEN:
                package = self._term(PACKAGE_TERMS, cells[12])
        if certificate is None or utilisation is None or package is None:
            return None
        # Optional text as values.text keeps it (trimmed; blank is ""), inline: two per row.
        if location == "" or location is None:
            location = ""
        elif type(location) is not str or len(location := location.strip()) > 200 or "\x00" in location:
            return None
        if note == "" or note is None:
            note = ""
        elif type(note) is not str or len(note := note.strip()) > 2000 or "\x00" in note:
            return None
        if acquired == "" or acquired is None:
            acquired = None
        elif type(acquired) is not date or acquired > self.today:
            return None
        area_value = _plain(area, self._areas)
        original_value = _plain(original, self._amounts)
        book_value = _plain(book, self._amounts)
        if area_value is False or original_value is False or book_value is False or book_value is None:
            return None
        count = _count(quantity)
        if count is False:
            return None
        key = (enterprise.id, code)
        if self.seen.setdefault(key, number) != number:
            return None  # read() reports the repeated code
        self.rows += 1
        sums = self.sums
        if area_value is not None:
            sums["area"] = sums.get("area", ZERO) + area_value
        if count is not None:
            sums["quantity"] = sums.get("quantity", ZERO) + count
        if original_value is not None:
            sums["original_value"] = sums.get("original_value", ZERO) + original_value
        sums["book_value"] = sums.get("book_value", ZERO) + book_value
        fields = {
            "name": name,
            "category_id": category.id,
            "location": location,
            "area": area_value,
            "quantity": 1 if count is None else count,
            "original_value": original_value,
            "book_value": book_value,
            "acquired_on": acquired,
            "certificate": certificate,
            "utilisation": utilisation,
            "package": package,
            "note": note,
        }
        return LedgerRow(number, enterprise, code, fields)

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
        take("area", lambda c: _at_most(values.area(c), MAX_AREA))
        take("quantity", lambda c: _at_most(values.whole_number(c), MAX_QUANTITY))
        take("original_value", lambda c: _at_most(values.amount(c, self.unit), MAX_AMOUNT, self.factor))
        take("book_value", lambda c: _at_most(values.amount(c, self.unit), MAX_AMOUNT, self.factor), required=True)
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
            first = self.seen.setdefault((enterprise.id, parsed["code"]), row.number)
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


def _at_most(value: Any, limit: Any, factor: Decimal = Decimal(1)) -> Any:
    """``value`` if below ``limit``; the message states the limit in the sheet's unit (``factor`` 元 each)."""
    if value >= limit:
        raise values.BadValue(_("Too large: must be less than %(limit)s.") % {"limit": f"{limit / factor:,f}"})
    return value


class _Column(NamedTuple):
    """A number column as :func:`_plain` reads it: 元 (or ㎡) per sheet unit and the limit, also in hundredths."""

    factor: Decimal
    limit: Decimal
    scale: int
    top: int


def _column(factor: Decimal, limit: Decimal) -> _Column:
    return _Column(factor, limit, int(factor * 100), int(limit * 100))


def _plain(cell: Cell, column: _Column) -> Decimal | bool | None:
    """A number cell times the column's factor as :func:`values.amount` reads it; None: blank; False: decline.

    A float cell is first tried in whole hundredths ``n`` (two float operations instead of a
    Decimal built from text, a third of the import's row checks): when ``n / scale`` gives
    back the very float, the cell's shortest text (what ``str`` gives and a clerk typed) is ``n / scale``
    itself, because below 2⁵² hundredths two numbers ``1 / scale`` apart never round to one
    float. Anything else (zero, negative, huge, more digits than 分) takes the Decimal way.
    ``test_rows`` holds the two ways to the same Decimal, exponent and all.
    """
    if type(cell) is float and 0.0 < cell < _FLOAT_TOP:
        scale, top = column.scale, column.top
        hundredths = round(cell * scale)
        if hundredths < _EXACT_HUNDREDTHS and hundredths / scale == cell:
            return Decimal(hundredths).scaleb(-2) if hundredths < top else False
    return _plain_exact(cell, column.factor, column.limit)


#: Below this, a float cell is worth trying in whole hundredths (NaN and infinities fail it).
_FLOAT_TOP = 1e15
#: Hundredths below 2⁵²: a float there is less than 1 / scale from its neighbours.
_EXACT_HUNDREDTHS = 2**52


def _plain_exact(cell: Cell, factor: Decimal, limit: Decimal) -> Decimal | bool | None:
    """:func:`_plain` through Decimal, for any cell."""
    if cell == "" or cell is None:
        return None
    if type(cell) is not float and type(cell) is not int:
        return False
    value = Decimal(str(cell))
    if not value.is_finite() or value.adjusted() >= values.TOO_MANY_DIGITS:
        return False  # read() says why
    value *= factor
    exact = value.quantize(CENT)
    if value != exact or not 0 <= exact < limit:
        return False
    return exact


def _count(cell: Cell) -> int | bool | None:
    """A quantity cell as :func:`values.whole_number` reads it; None: blank; False: decline."""
    if cell == "" or cell is None:
        return None
    if type(cell) is float and cell.is_integer():
        cell = int(cell)
    if type(cell) is not int or not 1 <= cell <= MAX_QUANTITY:
        return False
    return cell
