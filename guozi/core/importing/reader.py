"""Rows of an uploaded ledger file: the one module that knows the spreadsheet library.

Reading .xlsx goes through openpyxl in read-only (streaming) mode; swapping in another
reader (python-calamine, fastexcel) means rewriting :func:`xlsx_rows` and nothing else.
Callers must have passed the bytes through ``filecheck.check_file`` first.

A formula is never evaluated and its cached result never trusted: the reader hands it
over as :class:`Formula` so that validation reports it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl  # type: ignore[import-untyped]  # no stubs; this module is its only user
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


Cell = str | int | float | datetime | date | time | bool | Formula | CellError | None
#: The sheet's row number, as the spreadsheet shows it (from 1), and the row's cells.
Row = tuple[int, list[Cell]]


def read_rows(kind: FileKind, content: bytes) -> Iterator[Row]:
    """Every row of the first sheet (of the file), blank ones included, in order."""
    if kind == FileKind.XLSX:
        return xlsx_rows(content)
    return csv_rows(content)


def xlsx_rows(content: bytes) -> Iterator[Row]:
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
