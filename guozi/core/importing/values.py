"""One cell to one field value, as people really type them into government templates.

Each parser returns the value or raises :class:`BadValue` with the reason shown to
the user. Digits and punctuation are read after Unicode NFKC normalisation, so
full-width input (１２３４．５６, ２０２４／６／３０) reads like its ASCII twin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core.importing.reader import Cell, CellError, Formula
from guozi.core.money import UNITS

CENT = Decimal("0.01")
#: Excel's day 0 is 1899-12-30 (day 60, 1900-02-29, never existed: Lotus 1-2-3's leap-year bug).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial 61 is 1900-03-01, the first day after the phantom 29 February; 73050 is 2099-12-31.
EXCEL_SERIALS = range(61, 73051)

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
#: A time of day after the date is tolerated (a CSV may carry "2024/6/30 0:00").
_YMD = re.compile(r"^(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class BadValue(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalized(text: str) -> str:
    """NFKC and no surrounding blanks: how names and codes are compared."""
    return unicodedata.normalize("NFKC", text).strip()


def display(cell: Cell) -> str:
    """The cell as the error report shows it."""
    if cell is None:
        return ""
    if isinstance(cell, Formula | CellError):
        return cell.text
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S") if cell.time() != datetime.min.time() else f"{cell:%Y-%m-%d}"
    return str(cell)


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _refuse_unreadable(cell: Cell) -> None:
    if isinstance(cell, Formula):
        raise BadValue(_("A formula: enter the value itself (formulas are not evaluated on import)."))
    if isinstance(cell, CellError):
        raise BadValue(_("An error value of the spreadsheet."))


def text(cell: Cell, *, max_length: int) -> str:
    """Free text (a name, a location): kept as typed, only trimmed."""
    _refuse_unreadable(cell)
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        raise BadValue(_("A date where text was expected."))
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code typed as a number: 1001, not 1001.0
    value = str(cell).strip()
    if len(value) > max_length:
        raise BadValue(_("Longer than %(max)d characters.") % {"max": max_length})
    if "\x00" in value:
        # PostgreSQL cannot store it in text, and SQLite's JSON (the import's bulk insert) ends the text there.
        raise BadValue(_("Holds an invisible NUL character, which cannot be stored: type the cell again."))
    return value


def code(cell: Cell) -> str:
    """An asset code: the re-import key, so ＣＦ－００１ and CF-001 are one code (NFKC)."""
    return normalized(text(cell, max_length=50))


#: Digits before the point from which a number is refused whatever its column: no ledger
#: column holds 10¹⁷ (amounts stop at 10¹⁶ 元), and a larger one times 10⁸ (亿元) to the
#: 分 is more digits than Decimal's 28, where ``quantize`` raises instead of answering.
TOO_MANY_DIGITS = 17


def number(cell: Cell) -> Decimal:
    """A non-negative number: 1234.56, 1,234.56, １２３４．５６."""
    _refuse_unreadable(cell)
    if isinstance(cell, bool | datetime | date):
        raise BadValue(_("Not a number."))
    if isinstance(cell, int | float):
        # str() of a float is its shortest round-trip form: 0.1 reads as 0.1, not 0.1000000000000000055.
        value = Decimal(str(cell))
    else:
        raw = normalized(str(cell)).replace(" ", "")
        negative = raw.startswith("-")
        digits = raw.lstrip("-+")
        if _GROUPED.match(digits):
            digits = digits.replace(",", "")
        if not _PLAIN.match(digits):
            raise BadValue(_("Not a number."))
        try:
            value = Decimal(digits)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
            raise BadValue(_("Not a number.")) from exc
        if negative:
            value = -value
    if not value.is_finite():
        raise BadValue(_("Not a number."))
    if value < 0:
        raise BadValue(_("Cannot be negative."))
    if value.adjusted() >= TOO_MANY_DIGITS:
        raise BadValue(_("Too large: must be less than %(limit)s.") % {"limit": f"{Decimal(10) ** TOO_MANY_DIGITS:,f}"})
    return value


def amount(cell: Cell, unit: str) -> Decimal:
    """An amount in the sheet's unit, as exact 元: 1.5 in 万元 is 15000.00元."""
    yuan = number(cell) * UNITS[unit]
    if yuan != yuan.quantize(CENT):
        places = -int((CENT / UNITS[unit]).normalize().as_tuple().exponent)  # 万元: 6
        raise BadValue(
            _("More precise than 1分: in %(unit)s at most %(places)d decimals.") % {"unit": unit, "places": places}
        )
    return yuan.quantize(CENT)


def area(cell: Cell) -> Decimal:
    value = number(cell)
    if value != value.quantize(CENT):
        raise BadValue(_("At most two decimals."))
    return value.quantize(CENT)


def whole_number(cell: Cell) -> int:
    value = number(cell)
    if value != value.to_integral_value():
        raise BadValue(_("Not a whole number."))
    if value < 1:
        raise BadValue(_("At least 1."))
    return int(value)


def day(cell: Cell, *, allow_future: bool = False) -> date:
    """A date: a date cell, an Excel serial number, 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日 or 20240630.

    Forms with the day or month first (30/6/2024, 6/30/2024) are refused: in a shared
    template nobody can tell which of the two was meant.
    """
    _refuse_unreadable(cell)
    if isinstance(cell, datetime):
        found = cell.date()
    elif isinstance(cell, date):
        found = cell
    elif isinstance(cell, bool):
        raise BadValue(_("Not a date."))
    elif isinstance(cell, int | float):
        found = _serial(cell)
    else:
        found = _date_text(normalized(str(cell)))
    if found > timezone.localdate() and not allow_future:
        raise BadValue(_("In the future."))
    return found


def _serial(value: float) -> date:
    if not float(value).is_integer() or int(value) not in EXCEL_SERIALS:
        raise BadValue(_("Not a date: a date serial number is a whole number between 61 and 73050."))
    return EXCEL_EPOCH + timedelta(days=int(value))


def _date_text(raw: str) -> date:
    if raw.isdigit() and len(raw) != 8:
        return _serial(int(raw))
    match = _YMD.match(raw)
    if match and (match[2] == match[4] or (match[2], match[4]) == ("年", "月")):
        year, month, dd = int(match[1]), int(match[3]), int(match[5])
    elif compact := _COMPACT.match(raw):
        year, month, dd = int(compact[1]), int(compact[2]), int(compact[3])
    else:
        raise BadValue(
            _("Not a date in a form that is read without doubt: write 2024-06-30, 2024/6/30 or 2024年6月30日.")
        )
    try:
        return date(year, month, dd)
    except ValueError as exc:
        raise BadValue(_("No such day.")) from exc


def choice(cell: Cell, terms: Mapping[str, str]) -> str:
    """One of a fixed set of terms (权证状态, 使用状态, 资产包), by its name in the template."""
    _refuse_unreadable(cell)
    value = terms.get(normalized(str(cell)))
    if value is None:
        raise BadValue(_("Unknown. Allowed: %(allowed)s.") % {"allowed": "、".join(terms)})
    return value
