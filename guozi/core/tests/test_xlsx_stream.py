"""The streamed one-sheet .xlsx: read back by openpyxl and by python-calamine (the import's reader)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import IntEnum
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from guozi.core.testing import require_office
from guozi.core.xlsx_stream import EXCEL_MAX, SHEET_ROWS, column_letter, escaped, sheet_name, write_xlsx


class Level(IntEnum):
    HIGH = 3


def _xlsx(header: list[str], rows: list[list[object]], title: str = "台账", sheet_rows: int = SHEET_ROWS) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, title, header, rows, widths=[12] * len(header), sheet_rows=sheet_rows)
    return buffer.getvalue()


def test_every_kind_of_cell_comes_back_as_itself() -> None:
    row = [
        "城发集团",
        7,
        Decimal("1234.56"),
        0.25,
        True,
        date(2025, 9, 30),
        datetime(2025, 9, 30, 8, 30, 5),
        time(14, 15),
        None,
        Level.HIGH,
        " 前后空格 ",
    ]
    content = _xlsx([f"列{i}" for i in range(len(row))], [row])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "台账"
    header, values = ([cell.value for cell in r] for r in sheet.iter_rows())
    assert header == [f"列{i}" for i in range(len(row))]
    assert values == [
        "城发集团",
        7,
        1234.56,
        0.25,
        True,
        datetime(2025, 9, 30),
        datetime(2025, 9, 30, 8, 30, 5),
        time(14, 15),
        None,
        3,
        " 前后空格 ",
    ]
    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    # The ledger import's reader sees the same cells.
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert calamine[1][:6] == ["城发集团", 7, 1234.56, 0.25, True, date(2025, 9, 30)]


def test_an_aware_time_is_written_as_the_local_wall_time_and_nan_as_words() -> None:
    content = _xlsx(["a", "b"], [[datetime(2025, 9, 30, 16, 0, tzinfo=UTC), float("nan")]])
    values = [c.value for c in list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())[1]]
    assert values == [datetime(2025, 10, 1, 0, 0), "nan"]


def test_text_xml_cannot_carry_is_escaped_as_excel_does_and_a_literal_escape_survives() -> None:
    assert escaped("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert escaped("\x01\x1f") == "_x0001__x001F_"
    assert escaped("_x0041_") == "_x005F_x0041_"
    assert escaped("\ud800") == "_xD800_"
    content = _xlsx(["x"], [["</t></is></c><c><f>1+1</f></c>"]])
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


def test_long_text_is_cut_at_excels_limit_without_splitting_a_character() -> None:
    assert len(escaped("长" * 40_000)) == EXCEL_MAX
    cut = escaped("😀" * 20_000)  # two UTF-16 units each
    assert len(cut) == EXCEL_MAX // 2
    assert set(cut) == {"😀"}


def test_a_row_wider_than_the_header_keeps_every_cell() -> None:
    content = _xlsx(["a"], [[1, 2, 3], [4]])
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert rows == [["a", None, None], [1, 2, 3], [4, None, None]]


def test_sheet_names_excel_accepts() -> None:
    assert sheet_name("资产台账[2025]:一/二?") == "资产台账_2025__一_二_"
    assert sheet_name("'" * 3) == "Sheet1"
    assert len(sheet_name("长" * 40)) == 31
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    title = openpyxl.load_workbook(io.BytesIO(_xlsx(["a"], [], title='A&B "报表"'))).active.title
    assert title == 'A&B "报表"'


@pytest.mark.parametrize(("count", "sheets"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_rows_beyond_a_sheet_go_on_in_the_next_under_the_same_header(count: int, sheets: int) -> None:
    """Three rows a sheet here (a header and two); 1,048,576 in a real export. No row lost, no empty sheet."""
    rows: list[list[object]] = [[f"ZC{n}", n] for n in range(count)]
    content = _xlsx(["编码", "数量"], rows, title="资产" * 20, sheet_rows=3)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    names = ["资产" * 15 + "资", *[("资产" * 15)[:28] + f"（{n}）" for n in range(2, sheets + 1)]]
    assert workbook.sheetnames == names
    assert all(len(name) <= 31 for name in names)
    found = []
    for sheet in workbook.worksheets:
        header, *values = ([cell.value for cell in row] for row in sheet.iter_rows())
        assert header == ["编码", "数量"]
        found += values
    assert found == rows
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert [calamine.get_sheet_by_index(i).to_python()[1:] for i in range(sheets)] == [
        [[code, float(n)] for code, n in rows[i * 2 : i * 2 + 2]] for i in range(sheets)
    ]


@pytest.mark.office
def test_libreoffice_calc_reads_the_sheet(tmp_path: Path) -> None:
    require_office()
    rows: list[list[object]] = [
        ["ZC001", "城发 <楼> & 号", Decimal("12.5"), date(2025, 9, 30), True],
        ["ZC002", "=1+1", 3, None, None],
    ]
    (tmp_path / "导出.xlsx").write_bytes(_xlsx(["编码", "名称", "面积", "日期", "是否"], rows))
    # CSV filter options: comma, double quote, UTF-8 (76).
    done = subprocess.run(  # a fixed command on a file of the test's own
        ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "导出.xlsx"],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "导出.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "编码,名称,面积,日期,是否",
        "ZC001,城发 <楼> & 号,12.5,2025-09-30,TRUE",
        "ZC002,'=1+1,3,,",
    ]


@pytest.mark.office
def test_libreoffice_calc_reads_every_sheet_of_a_long_list(tmp_path: Path) -> None:
    require_office()
    (tmp_path / "长.xlsx").write_bytes(_xlsx(["编码"], [["ZC001"], ["ZC002"], ["ZC003"]], sheet_rows=2))
    # Token 12 of the CSV options, -1: every sheet to a file of its own, named 长-<sheet>.csv.
    done = subprocess.run(  # a fixed command on a file of the test's own
        [  # noqa: S607
            "soffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "长.xlsx",
        ],
        cwd=tmp_path,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sheets = {path.name: path.read_text(encoding="utf-8").splitlines() for path in tmp_path.glob("*.csv")}
    assert sheets == {
        "长-台账.csv": ["编码", "ZC001"],
        "长-台账（2）.csv": ["编码", "ZC002"],
        "长-台账（3）.csv": ["编码", "ZC003"],
    }
