"""Rows of an uploaded ledger file: the one module that knows the spreadsheet libraries.

An .xlsx is read by python-calamine (Rust: about ten times openpyxl's speed, issue 7's
raw limit) unless its sheets hold a formula or an error value, which calamine cannot
tell from a typed value: such a file is read by openpyxl in read-only (streaming) mode,
cell by cell. Both hand over the same values for the same file (a test reads files
both ways). Callers must have passed the bytes through ``filecheck.check_file`` first.

A formula is never evaluated and its cached result never trusted: the reader hands it
over as :class:`Formula` so that validation reports it.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast

import openpyxl  # type: ignore[import-untyped]  # no stubs; this module is its only user
import python_calamine
from django.utils.translation import gettext as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # type: ignore[import-untyped]

from guozi.core.importing.filecheck import FileKind
from guozi.core.importing.problems import FileRefused


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula (``=SUM(H4:H9)``)."""

    text: str


@dataclass(frozen=True)
class CellError:
    """A cell that holds a spreadsheet error value (``#N/A``, ``#REF!``)."""

    text: str


#: (A duration cell, timedelta, comes from calamine only; every parser refuses it.)
Cell = str | int | float | datetime | date | time | timedelta | bool | Formula | CellError | None
#: The sheet's row number, as the spreadsheet shows it (from 1), and the row's cells.
Row = tuple[int, list[Cell]]


def read_rows(kind: FileKind, content: bytes) -> Iterator[Row]:
    """Every row of the first sheet (of the file), blank ones included, in order."""
    if kind == FileKind.XLSX:
        return xlsx_rows(content)
    return csv_rows(content)


def xlsx_rows(content: bytes) -> Iterator[Row]:
    """The first worksheet's rows: calamine when no sheet holds a formula or an error value, else openpyxl.

    calamine parses the whole sheet at once, in Rust, without holding the GIL: it starts
    on a thread of its own before the formula scan, so that the two run side by side (the
    scan is about a third of the parse's time; issue 7 holds the import to twice the raw
    read and write). When the scan finds a formula, the parse is waited for and dropped.
    """
    parse = _CalamineParse(content)
    try:
        exact = _holds_formulas(content)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        exact = True  # a damaged part: the exact reader says so in its words
    if exact:
        parse.discard()
        return _openpyxl_rows(content)
    return _numbered(parse.sheet())


#: Marks that a sheet's XML may hold a formula (``<f>…</f>``, ``<f t="shared" …/>``, also
#: with a namespace prefix, ``<x:f>``) or an error value (``t="e"``), which calamine hands
#: over as a plain value or a blank. Each is confirmed by the bytes around it (``<formula1>``
#: of a drop-down list is no formula); a mark inside typed text only sends the file to the
#: exact reader.
_MARKS = ((b"<f", 0, b" >/"), (b":f", 0, b" >/"), (b'"e"', -2, b"t"), (b"'e'", -2, b"t"))


def _holds_formulas(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as part:
                tail = b""
                while chunk := part.read(1 << 22):
                    if _marked(tail + chunk):
                        return True
                    tail = chunk[-8:]
    return False


def _marked(window: bytes) -> bool:
    """Whether ``window`` holds a confirmed mark; a handful of ``bytes.find`` scans (memchr speed)."""
    for needle, offset, confirm in _MARKS:
        at = window.find(needle)
        while at >= 0:
            # The byte after "<f"/":f" must end the tag name; the one before '="e"' must be t.
            probe = at + len(needle) if offset == 0 else at + offset
            confirmed = 0 <= probe < len(window) and window[probe] in confirm
            if confirmed and (offset == 0 or window[at - 1 : at] == b"="):
                return True
            at = window.find(needle, at + 1)
    return False


def _calamine_rows(content: bytes) -> Iterator[Row]:
    """Every row of the first worksheet, numbered; the sheet is parsed here, in Rust, rows handed out lazily."""
    return _numbered(_calamine_sheet(content))


def _calamine_sheet(content: bytes) -> python_calamine.CalamineSheet:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [
            index
            for index, meta in enumerate(workbook.sheets_metadata)
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not sheets:
            raise FileRefused(_("The workbook has no worksheet."))
        return workbook.get_sheet_by_index(sheets[0])
    except FileRefused:
        raise
    except Exception as exc:  # calamine's errors: zip, XML, a missing part
        raise FileRefused(_("The workbook is damaged and cannot be opened: save it again in Excel.")) from exc


class _CalamineParse:
    """:func:`_calamine_sheet` on a thread of its own; :meth:`sheet` waits for it (and raises what it raised)."""

    def __init__(self, content: bytes) -> None:
        self._sheet: python_calamine.CalamineSheet | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._parse, args=(content,), name="calamine-parse", daemon=True)
        self._thread.start()

    def _parse(self, content: bytes) -> None:
        try:
            self._sheet = _calamine_sheet(content)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            self._error = exc

    def sheet(self) -> python_calamine.CalamineSheet:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._sheet is not None  # nosec B101 # type narrowing: _parse set it unless it raised
        return self._sheet

    def discard(self) -> None:
        self._thread.join()  # its memory is freed with it; a second parse must not run beside it
        self._sheet = self._error = None


def _numbered(sheet: python_calamine.CalamineSheet) -> Iterator[Row]:
    if sheet.start is None:
        return iter(())
    # iter_rows starts at row 1 but at the first used column: pad, so column A is index 0
    # as openpyxl gives it. Empty cells come as "": as blank to the validators as None.
    lead: list[Cell] = [""] * sheet.start[1]
    rows = cast("Iterator[list[Cell]]", sheet.iter_rows())  # calamine's value types are a subset of Cell
    if not lead:
        return enumerate(rows, start=1)  # the usual sheet, from column A: no Python frame per row
    return ((number, lead + row) for number, row in enumerate(rows, start=1))


def _openpyxl_rows(content: bytes) -> Iterator[Row]:
    damaged = _("The workbook is damaged and cannot be opened: save it again in Excel.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises a zoo of errors on malformed parts
        raise FileRefused(damaged) from exc
    try:
        if not workbook.worksheets:
            raise FileRefused(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        if isinstance(sheet, ReadOnlyWorksheet):
            # The stored dimension ("A1:N10") may be wrong; trusted, it would drop rows silently.
            sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(min_row=1), start=1)
        while True:
            # The sheet's XML is parsed as it is read: a broken part (or an XML bomb,
            # which expat refuses) shows only here.
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise FileRefused(damaged) from exc
            yield number, [_cell(cell) for cell in cells]
    finally:
        workbook.close()


def _cell(cell: object) -> Cell:
    data_type = getattr(cell, "data_type", None)
    value = getattr(cell, "value", None)
    if data_type == "f":
        return Formula(str(getattr(value, "text", None) or value))
    if data_type == "e":
        return CellError(str(value))
    return value


def csv_rows(content: bytes) -> Iterator[Row]:
    """A CSV in UTF-8 (with or without BOM: Excel's "CSV UTF-8") or GB18030 (Excel's "CSV" on Chinese Windows)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileRefused(_("The CSV file is neither UTF-8 nor GB18030 text.")) from exc
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, list(cells)
    except csv.Error as exc:
        raise FileRefused(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc
