"""Excel out: every list page's rows as .xlsx, safe to open."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A cell starting with one of these would be read by Excel as a formula
#: (CSV/formula injection, OWASP ASVS 5.0 §1.2.10).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> Any:
    """``value``, with a text that Excel would read as a formula made plain text by a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
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


#: Never turn a string into a formula or a link, whichever write method is used.
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False}


def write_sheet(workbook: Any, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """One worksheet: a bold header, then every row through :func:`export_cell`."""
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(title[:31])
    for col, name in enumerate(header):
        sheet.write_string(0, col, safe_cell(str(name)), bold)
        sheet.set_column(col, col, max(10, len(str(name)) * 2 + 2))
    for row_no, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = export_cell(value)
            if isinstance(value, str):
                sheet.write_string(row_no, col, value)
            else:
                sheet.write(row_no, col, value)


def xlsx_bytes(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    # constant_memory streams rows to disk-backed temp files: large exports stay small.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": False, "constant_memory": True, **SAFE_WORKBOOK})
    write_sheet(workbook, title, header, rows)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{title}-{stamp}.xlsx"
    response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
