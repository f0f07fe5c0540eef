"""The ledger template as an .xlsx file: blank for users to fill, or filled (the demo's ledgers).

Row 1 the title, row 2 填报单位 and the unit, row 3 the header, data from row 4, and
with ``total`` a last 合计 row of plain figures (never formulas: the import refuses
formulas). Drop-down lists offer the allowed terms; a second sheet explains the rules.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter

from guozi.assets.importing.columns import (
    CERTIFICATE_TERMS,
    COLUMNS,
    DEFAULT_UNIT,
    PACKAGE_TERMS,
    REPORTING_UNIT,
    TITLE,
    TOTAL,
    UTILISATION_TERMS,
)

HEADER_ROW = 2  # zero-based: the third row
#: Rows offered with drop-down lists in a blank template.
FILLABLE_ROWS = 5000

INSTRUCTIONS = [
    "1. 第3行为表头，请勿修改列名；从第4行起每行填写一项资产。",
    "2. 资产编号在本企业内唯一，再次导入时按“所属企业＋资产编号”更新已有资产。",
    "3. 所属企业填写企业全称或简称，只能填写本企业及下属企业。",
    "4. 金额单位以第2行“单位”为准（元、万元或亿元），表头中的单位须与之一致。",
    "5. 日期写作 2024-06-30、2024/6/30 或 2024年6月30日。",
    "6. 请直接填写数值，不要使用公式；金额、面积、数量不能为负数。",
    "7. 最后一行可填“合计”，其数值须等于各行之和。",
]


def template_xlsx(
    *,
    categories: Sequence[str],
    reporting_unit: str = "",
    unit: str = DEFAULT_UNIT,
    rows: Sequence[Sequence[Any]] = (),
    total: bool = False,
) -> bytes:
    """The template; ``rows`` hold cell values in the order of ``COLUMNS`` (amounts in ``unit``)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
    bold = workbook.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#EEF2F7"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(TITLE)
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, TITLE, title)
    sheet.write_string(1, 0, f"{REPORTING_UNIT}：{reporting_unit}")
    sheet.write_string(1, last, f"单位：{unit}")
    for index, column in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW, index, column.header(unit), bold)
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    for offset, row in enumerate(rows, start=HEADER_ROW + 1):
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(offset, index, value, day)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(offset, index, value)
            else:
                sheet.write_string(offset, index, str(value))
    if total and rows:
        at = HEADER_ROW + 1 + len(rows)
        sheet.write_string(at, 0, TOTAL)
        for index, column in enumerate(COLUMNS):
            if column.summed:
                sheet.write_number(at, index, sum((Decimal(r[index] or 0) for r in rows), Decimal(0)))
    first, end = HEADER_ROW + 1, HEADER_ROW + max(FILLABLE_ROWS, len(rows))
    for key, terms in (
        ("category", list(categories)),
        ("certificate", list(CERTIFICATE_TERMS)),
        ("utilisation", list(UTILISATION_TERMS)),
        ("package", list(PACKAGE_TERMS)),
    ):
        index = next(i for i, column in enumerate(COLUMNS) if column.key == key)
        sheet.data_validation(first, index, end, index, {"validate": "list", "source": terms})
    notes = workbook.add_worksheet("填表说明")
    notes.set_column(0, 0, 90)
    for index, line in enumerate(INSTRUCTIONS):
        notes.write_string(index, 0, line)
    workbook.close()
    return buffer.getvalue()
