"""Excel out: every list page's rows as .xlsx, safe to open, streamed through a temporary file.

A list export is one sheet, written by ``xlsx_stream`` row by row; ``write_sheet`` writes a
sheet of a many-sheet xlsxwriter workbook (the security evidence).
"""

import io
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

from guozi.core.cells import RISKY_FIRST, export_cell, safe_cell
from guozi.core.xlsx_stream import write_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
                if value[:1] in RISKY_FIRST:  # one set lookup for the usual text; safe_cell decides
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


def _write(target: Any, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """One sheet, streamed (``xlsx_stream``): header safe text, columns as wide as their names."""
    names = [safe_cell(str(name)) for name in header]
    write_xlsx(target, title, names, rows, widths=[max(10, len(str(name)) * 2 + 2) for name in header])


def xlsx_bytes(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    _write(buffer, title, header, rows)
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
        _write(handle, title, header, rows)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(handle, content_type=XLSX_TYPE)
    # Written by hand, as before: FileResponse would add a plain ``filename=`` beside it.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
