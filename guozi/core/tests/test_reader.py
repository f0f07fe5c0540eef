"""The two .xlsx readers agree, and the fast one is used only where it may be.

python-calamine reads a file ten times faster than openpyxl but cannot tell a formula
or an error value from a typed value; ``xlsx_rows`` scans the sheets for either and
sends such a file to openpyxl. These tests pin both halves: on files without them the
readers hand the validators the same values, and a file with one is read exactly.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from guozi.assets.tests.ledgerfiles import row, xlsx
from guozi.core.importing import reader
from guozi.core.importing.reader import CellError, Formula


def _same(rows: Any) -> list[list[Any]]:
    """Rows as validators see them: blank is blank (None or ""), midnight datetimes are dates.

    openpyxl types a date cell as a datetime at 00:00, calamine as a date; every parser
    (``values.day``, ``values.text``, ``display``) treats the two alike.
    """
    found = []
    for number, cells in rows:
        values = [
            None
            if cell == "" or cell is None
            else cell.date()
            if isinstance(cell, datetime) and cell.time() == time()
            else cell
            for cell in cells
        ]
        while values and values[-1] is None:
            values.pop()
        if values:
            found.append((number, values))
    return found


def _openpyxl_book(cells: dict[str, Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for at, value in cells.items():
        sheet[at] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsxwriter_book(write: Any) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    write(book, book.add_worksheet("资产台账"))
    book.close()
    return buffer.getvalue()


MIXED = {
    "B3": "咸宁市城市发展（集团）有限责任公司",
    "C3": 1001,
    "D3": 1234.56,
    "E3": date(2020, 1, 15),
    "F3": datetime(2021, 6, 30, 14, 5),
    "G3": True,
    "H3": "  带空格 ",
    "I3": "ＣＦ－００１",
    "C5": -0.01,
    "D5": 10**15,
    "H7": "最后一格",
}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_openpyxl_book(MIXED), id="openpyxl-offset-types"),
        pytest.param(xlsx([row("A1"), row("A2", area="", note="备注")], total=True), id="template-with-dropdowns"),
        pytest.param(
            _xlsxwriter_book(
                lambda book, sheet: (
                    sheet.merge_range("A1:N1", "资产台账", book.add_format({"bold": True})),
                    sheet.write_row(3, 0, ["ZC1", "企业", 1.5, 2, date(2024, 6, 30)]),
                    sheet.write_datetime(4, 4, datetime(2024, 6, 30), book.add_format({"num_format": "yyyy-mm-dd"})),
                    sheet.write_string(6, 13, "=不是公式"),
                )
            ),
            id="xlsxwriter-merged-dates",
        ),
    ],
)
def test_calamine_and_openpyxl_hand_over_the_same_values(content: bytes) -> None:
    assert not reader._holds_formulas(content)
    fast = _same(reader._calamine_rows(content))
    exact = _same(reader._openpyxl_rows(content))
    assert fast == exact
    assert fast  # the files are not empty: an empty equality would prove nothing
    assert _same(reader.xlsx_rows(content)) == exact


def test_a_formula_sends_the_file_to_the_exact_reader() -> None:
    content = _openpyxl_book({"A1": "账面价值", "A2": 5, "A3": "=SUM(A2:A2)"})
    assert reader._holds_formulas(content)
    rows = dict(reader.xlsx_rows(content))
    assert rows[3] == [Formula("=SUM(A2:A2)")]


def test_an_error_value_sends_the_file_to_the_exact_reader() -> None:
    content = _xlsxwriter_book(lambda book, sheet: sheet.write_formula("A2", "=1/0", None, "#DIV/0!"))
    assert reader._holds_formulas(content)
    assert dict(reader.xlsx_rows(content))[2] == [Formula("=1/0")]
    # openpyxl stores "#N/A" as an error value (t="e"): calamine would hand it over as text.
    error = _openpyxl_book({"A1": "#N/A"})
    assert reader._holds_formulas(error)
    assert dict(reader.xlsx_rows(error))[1] == [CellError("#N/A")]


def test_a_damaged_workbook_is_refused_by_the_fast_reader_too() -> None:
    content = bytearray(xlsx([row("A1")]))
    content[len(content) // 2 : len(content) // 2 + 64] = b"\x00" * 64
    with pytest.raises(reader.FileRefused):
        list(reader.xlsx_rows(bytes(content)))
