"""The import's fast row path (``RowReader.quick``) says what the exact path says, or declines.

``quick`` exists for speed only: for every row it accepts, ``read`` must give the same
ledger row and the same running sums, without an error; and whatever either accepts,
``Asset.full_clean`` must accept too, because the writer inserts these values without
building model instances (``insert_created``). Hypothesis draws rows from everyday
values and from the awkward ones clerks type.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.data import enterprises, ledger_rows
from guozi.assets.importing import rows
from guozi.assets.importing.layout import SheetRow
from guozi.assets.importing.rows import KEYS, MAX_AMOUNT, MAX_AREA, LedgerRow, RowReader
from guozi.assets.models import Asset
from guozi.core.money import UNITS
from guozi.core.testing import user

pytestmark = pytest.mark.usefixtures("demo_world")

TODAY = date.today()
numbers = st.one_of(
    st.floats(min_value=-1e3, max_value=1e18),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.decimals(min_value=0, max_value=10**6, places=2).map(float),
    st.integers(min_value=-5, max_value=2**40),
    st.sampled_from(
        ["", None, "1,234.56", "１２３．４", " 12 ", "abc", True, 0.001, 1e16, 99999999999999.99, 1e25, 10**30]
    ),
)
texts = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", " ", "  带空格 ", "名\x00称", "x" * 200, "x" * 201, "y" * 2001, 1001.0, 12, date(2020, 1, 1)]),
)
cells = st.fixed_dictionaries(
    {
        "code": st.one_of(
            st.from_regex(r"[A-Z]{1,3}-\d{1,4}", fullmatch=True), texts, st.just(" CF-1 "), st.just("ＣＦ－１")
        ),
        "enterprise": st.sampled_from(
            ["市城发集团", "咸宁市城市发展（集团）有限责任公司", " 市城发集团", "市高投集团", "无此企业", 5, ""]
        ),
        "name": texts,
        "category": st.sampled_from(["房屋", "土地", " 房屋", "FW", "无此类", "", None]),
        "location": texts,
        "area": numbers,
        "quantity": numbers,
        "original_value": numbers,
        "book_value": numbers,
        "acquired_on": st.one_of(
            st.dates(min_value=date(1900, 3, 1), max_value=TODAY + timedelta(days=400)),
            st.sampled_from(
                ["", None, datetime(2020, 5, 1), datetime(2020, 5, 1, 8, 30), "2024-06-30", 45000.0, 45000]
            ),
        ),
        "certificate": st.sampled_from(["已办证", "未办证", "办理中", "无需办证", " 已办证", "不知道", "", None]),
        "utilisation": st.sampled_from(["在用", "闲置", "低效", "出租", "在用 ", "报废", ""]),
        "package": st.sampled_from(["", None, "出售", "租赁", "融资", "自用", "无", "拍卖", " 出售"]),
        "note": texts,
    }
)


def _fresh(reader: RowReader) -> RowReader:
    reader.errors, reader.error_count, reader.rows = [], 0, 0
    reader.seen, reader.sums, reader.bad_columns, reader.total = {}, {}, set(), None
    return reader


def _same(row: LedgerRow | None) -> Any:
    """The row as compared: a Decimal by its text, so that 12.50 and 12.5 differ (they are stored differently)."""
    if row is None:
        return None
    fields = {name: str(value) if isinstance(value, Decimal) else value for name, value in row.fields.items()}
    return (row.number, row.enterprise.id, row.code, fields)


def _valid_for_the_model(row: LedgerRow) -> None:
    Asset(enterprise_id=row.enterprise.id, code=row.code, **row.fields).full_clean(validate_unique=False)


@pytest.fixture(scope="module")
def readers(django_db_blocker: Any) -> tuple[RowReader, RowReader]:
    with django_db_blocker.unblock():
        return RowReader(user("chengfa"), "万元"), RowReader(user("chengfa"), "万元")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=cells)
def test_quick_accepts_only_what_read_accepts_and_gives_the_same(
    readers: tuple[RowReader, RowReader], drawn: dict[str, Any]
) -> None:
    fast, exact = (_fresh(r) for r in readers)
    values = tuple(drawn[key] for key in KEYS)
    quick = fast.quick(7, values)
    read = exact.read(SheetRow(7, dict(drawn), is_total=False))
    if quick is not None:
        assert exact.errors == []
        assert _same(quick) == _same(read)
        assert (fast.rows, fast.sums, fast.seen) == (exact.rows, exact.sums, exact.seen)
    if read is not None:
        _valid_for_the_model(read)


def test_quick_takes_the_everyday_rows_a_generated_ledger_holds(readers: tuple[RowReader, RowReader]) -> None:
    """The fast path is not a path nobody takes: the bench's ledger rows, as calamine hands them over."""
    fast, exact = (_fresh(r) for r in readers)
    names = enterprises(3)
    demo = ["市城发集团", "咸宁市城市发展（集团）有限责任公司"]
    taken = 0
    for number, generated in enumerate(ledger_rows(300, names), start=4):
        generated[1] = demo[number % 2]
        # calamine: numbers as float, blanks as "".
        row = tuple("" if v is None else float(v) if isinstance(v, int) else v for v in generated)
        quick = fast.quick(number, row)
        read = exact.read(SheetRow(number, dict(zip(KEYS, row, strict=True)), is_total=False))
        assert quick is not None, (number, row, exact.errors[-1:])
        assert _same(quick) == _same(read)
        taken += 1
    assert taken == 300
    assert exact.errors == []
    assert fast.sums == exact.sums
    assert all(not math.isnan(float(v)) for v in fast.sums.values())


amounts = st.one_of(
    st.floats(),
    st.decimals(min_value=0, max_value=10**14, places=2).map(float),
    st.decimals(min_value=0, max_value=10**10, places=6).map(float),
    st.decimals(min_value=0, max_value=10**6, places=10).map(float),
    st.sampled_from([0.0, -0.0, 1e-9, 0.005, 0.015, 2**52 / 100, 9999999999999.99, 1e12, 1e14, 1e16, 0.1 + 0.2]),
)


@settings(max_examples=500, deadline=None)
@given(cell=amounts, unit=st.sampled_from(sorted(UNITS)))
def test_a_float_read_in_hundredths_is_the_decimal_read_from_its_text(cell: float, unit: str) -> None:
    factor = UNITS[unit]
    for column_factor, limit in ((factor, MAX_AMOUNT), (Decimal(1), MAX_AREA)):
        fast = rows._plain(cell, rows._column(column_factor, limit))
        assert str(fast) == str(rows._plain_exact(cell, column_factor, limit)), (cell, unit)


def test_everyday_amounts_take_the_float_way(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any) -> None:
        raise AssertionError(f"took the Decimal way: {args}")

    monkeypatch.setattr(rows, "_plain_exact", refused)
    wan = rows._column(UNITS["万元"], MAX_AMOUNT)
    for cell, expected in (
        (1234.56, "12345600.00"),
        (0.01, "100.00"),
        (3.1415, "31415.00"),
        (98765432.1, "987654321000.00"),
    ):
        assert str(rows._plain(cell, wan)) == expected


def test_too_large_values_are_refused_with_their_row() -> None:
    reader = RowReader(user("chengfa"), "万元")
    base = dict.fromkeys(KEYS, "") | {
        "code": "BIG-1",
        "enterprise": "市城发集团",
        "name": "大额",
        "category": "房屋",
        "book_value": 1e12,  # 1e12 万元 = 1e16 元: one digit too many
        "certificate": "已办证",
        "utilisation": "在用",
        "quantity": 3e9,
        "area": 1e12,
    }
    assert reader.read(SheetRow(9, base, is_total=False)) is None
    assert sorted(e.column for e in reader.errors) == sorted(["账面价值(万元)", "数量", "面积(㎡)"])
    assert all(e.row == 9 and "过大" in e.reason for e in reader.errors), reader.errors
    # In the sheet's unit, as the clerk typed it: 1e16 元 is 1e12 万元.
    assert "应小于 1,000,000,000,000。" in next(e.reason for e in reader.errors if e.column == "账面价值(万元)")
