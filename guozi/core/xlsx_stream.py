"""A list's .xlsx written as a stream: what every list export needs, and no more.

xlsxwriter, even in constant-memory mode, spends most of a million-row export in its
own per-cell Python (checks, a cell tuple, a row table, an XML writer call per cell).
A list export is one sheet of text, numbers and dates under a bold header, so this
module writes that sheet's SpreadsheetML itself (ECMA-376 part 1, §18.3), one row at a
time straight into its zip entry: the same flat memory, a fraction of the time. A sheet
holds 1,048,576 rows; a longer list goes on in a second sheet (名称（2）) under the same
header, and so on, so that no row is lost at a province's scale.

What a cell can become is closed by construction: an inline string (``t="inlineStr"``),
a number, a boolean or a date (a number with a date style). No formula element is ever
written, whatever the data; text is escaped as XML and as Excel's own ``_xHHHH_``
escape (as xlsxwriter does: control characters, and the escape's own literal form), and
cut at Excel's 32,767 UTF-16 units. ``exports.safe_cell`` still prefixes text that a
spreadsheet would read as a formula once someone edits the cell.
"""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # writers of XML text; nothing is parsed

from guozi.core.cells import RISKY_FIRST, export_cell, safe_cell

#: Excel's longest cell text, in UTF-16 code units.
EXCEL_MAX = 32767
#: Excel's rows per sheet: the header and 1,048,575 rows of data.
SHEET_ROWS = 1_048_576
#: Rows joined before one write into the zip entry: fewer calls, a few hundred KiB at most.
ROWS_PER_WRITE = 500
#: Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EPOCH = datetime(1899, 12, 30)
#: Characters or sequences the escape must change: XML's three, control characters, XML's
#: non-characters, lone surrogates, and a literal ``_xHHHH_`` (Excel would decode it).
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
#: Characters a sheet name cannot hold (Excel refuses the file otherwise).
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Cell styles (``s=``): 1 bold header, 2 date, 3 date and time, 4 time.
BOLD, DATE, DATETIME, TIME = 1, 2, 3, 4
STYLES = (
    f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="166" formatCode="hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
#: Every .xml part not named here is a worksheet: the content types do not depend on
#: how many sheets the rows fill, and are written before the first row.
CONTENT_TYPES = (
    f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _workbook(names: list[str]) -> tuple[str, str]:
    """The workbook part and its relationships for sheets named ``names`` (sheet N is rIdN; styles after)."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1)
    )
    workbook = f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets></workbook>'
    targets = "".join(
        f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(names) + 1)
    )
    styles = f'<Relationship Id="rId{len(names) + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
    return workbook, f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{targets}{styles}</Relationships>'


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _truncated(text: str) -> str:
    """At most 32,767 UTF-16 units, never half a surrogate pair (as xlsxwriter cuts)."""
    if len(text) <= EXCEL_MAX // 2:
        return text
    encoded = text.encode("utf-16-le", "surrogatepass")
    if len(encoded) <= 2 * EXCEL_MAX:
        return text
    return encoded[: 2 * EXCEL_MAX].decode("utf-16-le", "ignore")


def escaped(text: str) -> str:
    """Text as a cell's XML: Excel's ``_xHHHH_`` escape for what XML cannot carry, then XML's."""
    if len(text) <= EXCEL_MAX // 2 and _NEEDS_ESCAPE.search(text) is None:
        return text  # the usual text: short, nothing to escape (one regex scan)
    text = _truncated(text)
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _UNWRITABLE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    return escape(text)


def sheet_name(title: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, not blank, not quoted at either end, 31 characters."""
    name = _SHEET_NAME_BAD.sub("_", _UNWRITABLE.sub("", title)).strip("'")[:31]
    return name or "Sheet1"


def _serial(value: date | time) -> float:
    if isinstance(value, datetime):
        return (value - EPOCH).total_seconds() / 86400
    if isinstance(value, date) and not isinstance(value, datetime):
        return float((value - EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400


def _cell(ref: str, value: Any) -> str:
    """One cell's XML ("" for an empty cell): what ``cells.export_cell`` makes of ``value``."""
    kind = type(value)
    if kind is str:
        if not value:
            return ""
        if value[:1] in RISKY_FIRST:  # one set lookup for the usual text; safe_cell decides
            value = safe_cell(value)
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escaped(value)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float or kind is Decimal:
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            return _cell(ref, str(value))  # Excel has no NaN or infinity: say it in words
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime) and value.tzinfo is None:
        return f'<c r="{ref}" s="{DATETIME}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date) and not isinstance(value, datetime):
        return f'<c r="{ref}" s="{DATE}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, time):
        return f'<c r="{ref}" s="{TIME}"><v>{_serial(value)!r}</v></c>'
    if value is None:
        return ""
    # Subclasses (an IntegerChoices member is an int) as their base type.
    for base in (bool, int, float, Decimal):
        if isinstance(value, base):
            return _cell(ref, base(value))
    # Anything else (an aware datetime, a lazy translation, a model instance): as the
    # export's other writers would write it, a local wall time or safe text.
    return _cell(ref, export_cell(value))


def numbered_sheet_name(title: str, number: int) -> str:
    """The name of the ``number``-th sheet of a list: the title, then 标题（2）, 标题（3）."""
    name = sheet_name(title)
    if number == 1:
        return name
    suffix = f"（{number}）"
    return name[: 31 - len(suffix)] + suffix


def write_xlsx(
    target: IO[bytes],
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    *,
    sheet_rows: int = SHEET_ROWS,
) -> None:
    """Sheets named after ``title``: ``header`` in bold, then ``rows``, cells as ``_cell`` writes them.

    ``rows`` hold what ``exports.export_cell`` gives (text already made safe); they are
    read once, as they come. Each sheet takes ``sheet_rows`` rows, its header included.
    """
    letters: list[str] = [column_letter(index) for index in range(len(header))]
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(widths, 1)
    )
    head = "".join(
        f'<c r="{letter}1" t="inlineStr" s="{BOLD}"><is><t xml:space="preserve">{escaped(name)}</t></is></c>'
        for letter, name in zip(letters, header, strict=True)
    )
    opening = (
        f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        f'{f"<cols>{columns}</cols>" if columns else ""}<sheetData><row r="1">{head}</row>'
    ).encode()
    names: list[str] = []
    source = iter(rows)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/styles.xml", STYLES)
        first: Sequence[Any] | None = None
        while not names or (first := next(source, None)) is not None:
            names.append(numbered_sheet_name(title, len(names) + 1))
            with package.open(f"xl/worksheets/sheet{len(names)}.xml", "w", force_zip64=True) as sheet:
                sheet.write(opening)
                more = source if first is None else itertools.chain([first], source)
                letters = _write_rows(sheet, itertools.islice(more, sheet_rows - 1), letters)
                sheet.write(b"</sheetData></worksheet>")
        # Last: only now is the number of sheets known (a zip is read from its directory, in any order).
        workbook, workbook_rels = _workbook(names)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels)


def _write_rows(sheet: IO[bytes], rows: Iterable[Sequence[Any]], letters: list[str]) -> list[str]:
    """Rows 2 onwards of one sheet; the column letters, grown for a row wider than the header."""
    pending: list[str] = []
    for number, row in enumerate(rows, start=2):
        if len(row) > len(letters):  # a row wider than the header keeps its cells
            letters = letters + [column_letter(index) for index in range(len(letters), len(row))]
        # The hot path (ten million cells at a million rows): one f-string per cell.
        # A shorter row leaves its last cells empty (letters may be longer than the row).
        pairs = zip(letters, row, strict=False)
        cells = "".join([_cell(f"{letter}{number}", value) for letter, value in pairs])
        pending.append(f'<row r="{number}">{cells}</row>')
        if len(pending) >= ROWS_PER_WRITE:
            sheet.write("".join(pending).encode())
            pending.clear()
    sheet.write("".join(pending).encode())
    return letters
