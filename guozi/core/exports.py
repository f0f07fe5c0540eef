"""Excel out: every list page's rows as .xlsx, safe to open, streamed through a temporary file."""

import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A cell starting with one of these would be read by Excel as a formula
#: (CSV/formula injection, OWASP ASVS 5.0 §1.2.10).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
#: In constant-memory mode xlsxwriter 3.3 copies a string that starts with ``<r>`` and ends
#: with ``</r>`` into the sheet's XML unescaped, as a rich string (worksheet ``_write_cell``):
#: such a text could close its cell and add a formula cell of its own.
_RICH_START, _RICH_END = "<r>", "</r>"
#: The first characters of every text safe_cell may change.
_RISKY_FIRST = frozenset("".join(_FORMULA_START) + _RICH_START[0])


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


#: Never turn a string into a formula or a link, whichever write method is used.
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False}


def write_sheet(workbook: Any, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """One worksheet: a bold header, then every row through :func:`export_cell`.

    The loop is the export's hot path (a million rows are ten million cells): text and
    plain numbers go straight to ``write_string``/``write_number``, with the same checks
    :func:`export_cell` makes; anything else goes through it.
    """
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(title[:31])
    for col, name in enumerate(header):
        sheet.write_string(0, col, safe_cell(str(name)), bold)
        sheet.set_column(col, col, max(10, len(str(name)) * 2 + 2))
    # The methods behind xlsxwriter's public ones, whose wrapper only turns "A1" notation into
    # numbers: rows and columns are numbers here. (The tests read every kind of cell back.)
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    write = sheet.write
    for row_no, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value[:1] in _RISKY_FIRST:  # one set lookup for the usual text; safe_cell decides
                    value = safe_cell(value)
                write_string(row_no, col, value)
            elif kind is Decimal or kind is int or kind is float:
                write_number(row_no, col, value)
            elif value is not None:
                value = export_cell(value)
                if isinstance(value, str):
                    write_string(row_no, col, value)
                else:
                    write(row_no, col, value)


def _workbook(target: Any) -> Any:
    # constant_memory writes each row out as soon as the next begins: memory stays flat
    # whatever the row count (xlsxwriter keeps the sheet body in a temporary file).
    return xlsxwriter.Workbook(target, {"in_memory": False, "constant_memory": True, **SAFE_WORKBOOK})


def xlsx_bytes(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    write_sheet(workbook, title, header, rows)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> FileResponse:
    """The rows as an .xlsx download, written to a temporary file that is then streamed.

    The file is anonymous (``TemporaryFile``: unlinked as soon as it is created), so it is
    gone when the response closes it, or when the process drops it: a refused audit event
    or a client that goes away leaves nothing on disk. The rows are read and written before
    the response leaves the view, so no database cursor stays open while the client downloads.
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{title}-{stamp}.xlsx"
    handle = tempfile.TemporaryFile(prefix="guozi-export-")  # noqa: SIM115  (FileResponse closes it)
    try:
        workbook = _workbook(handle)
        write_sheet(workbook, title, header, rows)
        workbook.close()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(handle, content_type=XLSX_TYPE)
    # Written by hand, as before: FileResponse would add a plain ``filename=`` beside it.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
