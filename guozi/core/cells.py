"""What an export may write in a cell: numbers and dates as themselves, any text made safe.

Shared by the workbook writers (``exports`` with xlsxwriter, ``xlsx_stream`` by hand).
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

#: A cell starting with one of these would be read by Excel as a formula
#: (CSV/formula injection, OWASP ASVS 5.0 §1.2.10).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
#: In constant-memory mode xlsxwriter 3.3 copies a string that starts with ``<r>`` and ends
#: with ``</r>`` into the sheet's XML unescaped, as a rich string (worksheet ``_write_cell``):
#: such a text could close its cell and add a formula cell of its own.
_RICH_START, _RICH_END = "<r>", "</r>"
#: The first characters of every text safe_cell may change.
RISKY_FIRST = frozenset("".join(_FORMULA_START) + _RICH_START[0])


def safe_cell(value: Any) -> Any:
    """``value``, with a text that Excel would read as a formula (or xlsxwriter as markup) made
    plain text by a leading ``'``."""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_START) or (value.startswith(_RICH_START) and value.endswith(_RICH_END))
    ):
        return "'" + value
    return value


def export_cell(value: Any) -> Any:
    """What an export writes for ``value``: numbers and dates as themselves, everything else as safe text.

    Guarantee (SECURITY.md SEC-FILE-03): whatever a table column returns (a string, a lazy
    translation, a model instance, an aware datetime) is written as a number, a date or a
    plain-text cell that does not begin like a formula; never as a formula, never a crash.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | date | time):
        if isinstance(value, datetime) and timezone.is_aware(value):
            # Excel has no time zones: the local (Asia/Shanghai) wall time, as on the page.
            return timezone.make_naive(value)
        return value
    return safe_cell(str(value))
