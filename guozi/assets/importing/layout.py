"""The shape of a ledger sheet: title, 填报单位 and unit, the header row, data, an optional 合计 row.

Columns are found by their header text, in any order; other columns (序号, say) are
ignored. The amounts' unit is what the sheet states, in the unit row (单位：万元) or in
the money headers (账面价值(万元)); a sheet that states none, or two, is refused
rather than guessed: a wrong guess would multiply every figure by ten thousand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from guozi.assets.importing.columns import COLUMNS, TOTAL
from guozi.core.importing.problems import FileRefused
from guozi.core.importing.reader import Cell, Row
from guozi.core.importing.values import is_blank, normalized
from guozi.core.money import UNITS

#: The header must be among the first rows: a title and a unit row come before it.
HEADER_SEARCH_ROWS = 20
_UNIT = re.compile(r"^(?:金额)?单位[:]?(元|万元|亿元)$")
_HEADER = re.compile(r"^([^()]+)(?:\((.*)\))?$")
#: 面积(㎡): NFKC turns ㎡ into "m2" and m² into "m2".
AREA_UNITS = {"", "m2", "平方米"}
_LABELS = {column.label: column for column in COLUMNS}


@dataclass(frozen=True)
class Layout:
    header_row: int
    unit: str
    #: Column key → the cell's index in a row.
    positions: dict[str, int]


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, Cell]
    is_total: bool


def _compact(cell: Cell) -> str:
    return normalized(cell).replace(" ", "") if isinstance(cell, str) else ""


def read_layout(rows: Iterator[Row]) -> Layout:
    """Consume rows up to the header and describe the sheet; the iterator continues with the data."""
    units: dict[str, str] = {}  # unit → where the sheet states it
    for number, cells in rows:
        texts = [_compact(cell) for cell in cells]
        for text in texts:
            if match := _UNIT.match(text):
                units.setdefault(match[1], _("the unit row"))
        found: dict[str, list[tuple[int, str]]] = {}
        for index, text in enumerate(texts):
            match = _HEADER.match(text)
            if match and match[1] in _LABELS:
                found.setdefault(match[1], []).append((index, match[2] or ""))
        if len(found) >= 3:
            return _header(number, found, units)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileRefused(
        _("No header row found in the first %(count)d rows: it names the columns %(columns)s.")
        % {"count": HEADER_SEARCH_ROWS, "columns": "、".join(c.label for c in COLUMNS)}
    )


def _header(number: int, found: dict[str, list[tuple[int, str]]], units: dict[str, str]) -> Layout:
    missing = [column.label for column in COLUMNS if column.label not in found]
    if missing:
        raise FileRefused(
            _("The header row (row %(row)d) lacks the columns %(columns)s: use the template.")
            % {"row": number, "columns": "、".join(missing)}
        )
    twice = [label for label, places in found.items() if len(places) > 1]
    if twice:
        raise FileRefused(
            _("The header row (row %(row)d) has the columns %(columns)s twice.")
            % {"row": number, "columns": "、".join(twice)}
        )
    positions = {}
    for column in COLUMNS:
        ((index, suffix),) = found[column.label]
        positions[column.key] = index
        if column.kind == "money" and suffix:
            if suffix not in UNITS:
                raise FileRefused(
                    _("Column %(column)s states the unit %(unit)s; amounts are in 元, 万元 or 亿元.")
                    % {"column": column.label, "unit": suffix}
                )
            units.setdefault(suffix, column.label)
        if column.kind == "area" and suffix not in AREA_UNITS:
            raise FileRefused(_("Areas are in ㎡, not %(unit)s.") % {"unit": suffix})
    if not units:
        raise FileRefused(_("The sheet does not state the unit of its amounts: write 单位：万元 above the header."))
    if len(units) > 1:
        stated = "；".join(f"{where}: {unit}" for unit, where in units.items())
        raise FileRefused(_("The sheet states two units for its amounts (%(stated)s).") % {"stated": stated})
    (unit,) = units
    return Layout(header_row=number, unit=unit, positions=positions)


def sheet_row(layout: Layout, number: int, cells: list[Cell]) -> SheetRow | None:
    """One row after the header, each cell under its column's key; None for a blank row."""
    width = max(layout.positions.values()) + 1
    padded = list(cells[:width]) + [None] * (width - len(cells))
    by_key = {key: padded[index] for key, index in layout.positions.items()}
    if all(is_blank(cell) for cell in by_key.values()):
        return None
    # 合计 stands under 资产编号 in the template, under 序号 in many home-made sheets.
    first = next(cell for cell in padded if not is_blank(cell))
    is_total = TOTAL in {_compact(first), _compact(by_key["code"])}
    return SheetRow(number, by_key, is_total=is_total)


def sheet_rows(layout: Layout, rows: Iterator[Row]) -> Iterator[SheetRow]:
    """The rows after the header, blank ones skipped."""
    for number, cells in rows:
        if (found := sheet_row(layout, number, cells)) is not None:
            yield found
