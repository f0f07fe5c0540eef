"""Ledger files for the tests: the template with given rows, or CSV in a given encoding."""

from __future__ import annotations

import csv
import io
from typing import Any

from guozi.assets.importing.columns import COLUMNS
from guozi.assets.importing.template import template_xlsx

KEYS = [column.key for column in COLUMNS]


def row(code: str, **values: Any) -> list[Any]:
    """A valid data row of 市城发集团 (amounts in 万元); keyword arguments override cells by column key."""
    cells: dict[str, Any] = {
        "code": code,
        "enterprise": "市城发集团",
        "name": f"测试资产{code}",
        "category": "房屋",
        "location": "咸安区温泉路1号",
        "area": "100",
        "quantity": 1,
        "original_value": "120",
        "book_value": "100",
        "acquired_on": "2020-01-15",
        "certificate": "已办证",
        "utilisation": "在用",
        "package": "",
        "note": "",
    }
    unknown = set(values) - set(cells)
    assert not unknown, unknown
    cells.update(values)
    return [cells[key] for key in KEYS]


def xlsx(rows: list[list[Any]], *, unit: str = "万元", total: bool = False) -> bytes:
    return template_xlsx(categories=["房屋"], reporting_unit="测试", unit=unit, rows=rows, total=total)


def csv_file(
    rows: list[list[Any]], *, unit_row: str | None = "单位：万元", unit: str = "万元", encoding: str = "utf-8-sig"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["资产台账"])
    if unit_row is not None:
        writer.writerow(["填报单位：测试", unit_row])
    writer.writerow([column.header(unit) for column in COLUMNS])
    writer.writerows(["" if cell is None else cell for cell in r] for r in rows)
    return buffer.getvalue().encode(encoding)
