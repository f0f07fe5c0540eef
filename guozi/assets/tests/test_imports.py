"""The ledger import: every kind of bad input refused with a clear message, all or nothing, scoped."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guozi.assets.models import LEDGER_FIELDS, Asset
from guozi.assets.services import imports
from guozi.assets.services.imports import ImportOutcome, ledger_check, ledger_import
from guozi.assets.tests.ledgerfiles import csv_file, row, xlsx
from guozi.core.changes import COMMAND
from guozi.core.importing import filecheck, values
from guozi.core.importing.reader import Formula
from guozi.core.models import ChangeRecord, ImportBatch, Organization
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")
WAN = Decimal(10_000)


def counts() -> tuple[int, int, int]:
    return Asset.objects.count(), ChangeRecord.objects.count(), ImportBatch.objects.count()


def check(content: bytes, name: str = "台账.csv", username: str = "chengfa") -> ImportOutcome:
    return ledger_check(actor=user(username), file_name=name, content=content)


def run(content: bytes, name: str = "台账.csv", username: str = "chengfa") -> ImportOutcome:
    return ledger_import(actor=user(username), origin=COMMAND, file_name=name, content=content)


def reasons(outcome: ImportOutcome) -> list[str]:
    return [e.reason for e in outcome.errors]


def only_error(outcome: ImportOutcome) -> tuple[int, str, str, str]:
    (error,) = outcome.errors
    return error.row, error.column, error.value, error.reason


# --- a good file ---------------------------------------------------------------------------------


def test_a_template_file_imports_every_row_with_its_batch_and_change_records() -> None:
    content = xlsx([row("T-1", book_value=Decimal("12.5")), row("T-2", enterprise="振宁押运")], total=True)
    outcome = run(content, "测试台账.xlsx")
    assert (outcome.ok, outcome.rows, outcome.creates, outcome.updates, outcome.unit) == (True, 2, 2, 0, "万元")
    batch = outcome.batch
    assert batch is not None
    assert (batch.file_name, batch.rows, batch.created_by, batch.organization) == (
        "测试台账.xlsx",
        2,
        user("chengfa"),
        org("市城发集团"),
    )
    import hashlib

    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    first = Asset.objects.get(code="T-1")
    assert first.book_value == Decimal("125000.00")  # 12.5万元, exactly, in 元
    assert (first.import_batch, first.enterprise) == (batch, org("市城发集团"))
    assert Asset.objects.get(code="T-2").enterprise == org("振宁押运")
    # Created rows are recorded once, on their batch, and point at it; no record per row.
    assert not ChangeRecord.objects.filter(import_batch=batch, content_type__model="asset").exists()
    assert set(Asset.objects.filter(created_in=batch).values_list("code", flat=True)) == {"T-1", "T-2"}
    batch_record = ChangeRecord.objects.get(content_type__model="importbatch", object_id=str(batch.pk))
    assert (batch_record.action, batch_record.source, batch_record.actor_name) == ("create", "command", "chengfa")
    assert (batch_record.after["rows"], batch_record.after["created"], batch_record.after["updated"]) == (2, 2, 0)
    assert batch_record.after["sha256"] == batch.sha256


def test_the_dry_run_counts_and_writes_nothing() -> None:
    before = counts()
    existing = Asset.objects.get(code="CF-0001")
    content = csv_file(
        [
            row("NEW-1"),
            row("CF-0001", name=existing.name, book_value=str(existing.book_value / WAN + 1)),
        ]
    )
    outcome = check(content)
    assert (outcome.ok, outcome.creates, outcome.updates, outcome.unchanged) == (True, 1, 1, 0)
    assert counts() == before


def test_reimporting_the_demo_file_changes_nothing_and_a_changed_row_is_recorded_before_and_after() -> None:
    from guozi.assets.demo_ledgers import GAOTOU, rows

    content = xlsx(rows("GT", GAOTOU), total=True)
    assets_before = list(Asset.objects.order_by("pk").values())
    outcome = run(content, "again.xlsx", "gaotou")
    assert (outcome.ok, outcome.creates, outcome.updates, outcome.unchanged) == (True, 0, 0, 60)
    assert list(Asset.objects.order_by("pk").values()) == assets_before
    assert not ChangeRecord.objects.filter(import_batch=outcome.batch, content_type__model="asset").exists()

    changed = rows("GT", GAOTOU)
    changed[0][8] = Decimal(changed[0][8]) + 1  # 账面价值 up by 1万元
    changed[0][11] = "闲置"
    outcome = run(xlsx(changed, total=True), "changed.xlsx", "gaotou")
    assert (outcome.creates, outcome.updates, outcome.unchanged) == (0, 1, 59)
    asset = Asset.objects.get(code="GT-0001")
    assert asset.import_batch == outcome.batch
    record = ChangeRecord.objects.get(import_batch=outcome.batch, content_type__model="asset")
    assert (record.action, record.object_id, record.actor_name) == ("update", str(asset.pk), "gaotou")
    assert Decimal(record.after["book_value"]) - Decimal(record.before["book_value"]) == WAN
    assert (record.before["utilisation"], record.after["utilisation"]) == ("in_use", "idle")


# --- atomicity -----------------------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_written_not_even_the_rows_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of two: the first two rows are written before the bad third row is read.
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    before = counts()
    content = csv_file([row("A-1"), row("A-2"), row("A-3", book_value="-1"), row("A-4")])
    outcome = run(content)
    assert not outcome.ok
    assert outcome.batch is None
    assert only_error(outcome) == (6, "账面价值(万元)", "-1", "不能为负数。")
    assert counts() == before
    assert not Asset.objects.filter(code__startswith="A-").exists()


def test_a_failure_while_new_rows_are_on_their_way_rolls_back_and_the_connection_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL the new rows of a chunk go into a COPY left open for the next: a failure ends it."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    before = counts()
    reported: list[int] = []

    def progress(rows: int) -> None:
        reported.append(rows)
        if len(reported) == 2:
            raise RuntimeError("the worker was stopped")

    with pytest.raises(RuntimeError):
        ledger_import(
            actor=user("chengfa"),
            origin=COMMAND,
            file_name="f.csv",
            content=csv_file([row(f"F-{n}") for n in range(6)]),
            progress=progress,
        )
    assert counts() == before
    assert run(csv_file([row("F-9")])).creates == 1  # the connection takes statements again


def test_rows_sent_in_earlier_chunks_are_in_the_ledger_before_a_later_chunk_reads_or_changes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An enterprise without assets needs no lookup: its rows stay in the open COPY; the group's rows end it."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    empty = Organization.objects.filter(kind="enterprise", parent=org("市城发集团")).exclude(assets__isnull=False)
    blank = empty.order_by("pk").first()
    assert blank is not None
    existing = Asset.objects.filter(enterprise=org("市城发集团")).order_by("code").first()
    assert existing is not None
    fresh = [row(f"LN-{n}", enterprise=blank.name) for n in range(3)]
    outcome = run(csv_file([*fresh, row(existing.code), row("CF-NEW")]))
    assert (outcome.ok, outcome.creates, outcome.updates) == (True, 4, 1), outcome.errors
    assert Asset.objects.filter(enterprise=blank).count() == 3
    existing.refresh_from_db()
    assert existing.import_batch == outcome.batch
    assert Asset.objects.get(code="CF-NEW").created_in == outcome.batch


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    content = csv_file(
        [
            row("B-1", book_value="abc"),
            row("B-2"),
            row("B-3", category="飞机", utilisation="报废", package="捐赠"),
            row("B-4", acquired_on="30/6/2024"),
        ]
    )
    outcome = check(content)
    assert outcome.error_count == 5
    assert [(e.row, e.column) for e in outcome.errors] == [
        (4, "账面价值(万元)"),
        (6, "资产类别"),
        (6, "使用状态"),
        (6, "资产包"),
        (7, "取得日期"),
    ]
    category_error = outcome.errors[1]
    assert (category_error.value, category_error.reason.split("。")[0]) == ("飞机", "资产类别不存在")
    assert "房屋、土地、在建工程" in category_error.reason
    assert "在用、闲置、低效、出租" in outcome.errors[2].reason
    assert "自用、出售、租赁、融资" in outcome.errors[3].reason


def test_a_huge_number_in_an_xlsx_is_a_row_error_not_a_crash() -> None:
    """calamine hands 1e25 over as a float: the fast row path declines it and the exact one says why."""
    outcome = check(xlsx([row("H-1", book_value=1e25), row("H-2", area=1e30), row("H-3")]), "台账.xlsx")
    assert [(e.row, e.column, e.reason.split("：")[0]) for e in outcome.errors] == [
        (4, "账面价值(万元)", "数值过大"),
        (5, "面积(㎡)", "数值过大"),
    ]


# --- bad files -----------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


WORKBOOK_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def _with_sheet(xml: bytes) -> bytes:
    """A real template whose first sheet's XML is replaced."""
    package = zipfile.ZipFile(io.BytesIO(xlsx([row("X-1")])))
    parts = {info.filename: package.read(info) for info in package.infolist()}
    return _zip({**parts, "xl/worksheets/sheet1.xml": xml})


_LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
#: Billion laughs: nine levels of tenfold entity expansion.
XML_BOMB = (
    f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{_LAUGHS}]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
).encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("台账.xlsx", b"", "文件为空"),
        ("台账.xlsx", b"%PDF-1.7 not a workbook", "不是真正的 .xlsx 工作簿"),
        ("台账.csv", xlsx([row("X-1")]), "不是真正的 .csv 文件：它是工作簿"),
        ("台账.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "含有二进制数据"),
        ("台账.txt", b"a,b,c", "只能导入 .xlsx 工作簿和 .csv 文件"),
        ("台账.xlsm", _zip({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"\x00"}), "启用宏"),
        # A macro-enabled workbook renamed to .xlsx is found by its VBA part.
        ("台账.xlsx", _zip({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"\x00"}), "启用宏"),
        (
            "台账.xlsx",
            filecheck.OLE2_MAGIC + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100,
            "设有密码",
        ),
        ("台账.xls", filecheck.OLE2_MAGIC + b"\x00" * 600, "旧版 Excel 文件"),
        ("台账.xlsx", _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "不是 Excel 工作簿"),
        ("台账.xlsx", b"PK\x03\x04 truncated", "已损坏"),
        ("台账.xlsx", _zip({**WORKBOOK_PARTS, "../../etc/passwd": b"x"}), "路径不安全"),
        ("台账.xlsx", _zip({**WORKBOOK_PARTS, "xl/externalLinks/externalLink1.xml": b"<x/>"}), "链接了其他工作簿"),
        # 64 MiB of zeros deflate to about 64 KiB: a ratio of 1000:1.
        ("台账.xlsx", _zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": bytes(64 * 1024 * 1024)}), "压缩炸弹"),
        ("台账.xlsx", _zip({**WORKBOOK_PARTS, **{f"xl/media/{i}.png": b"" for i in range(2001)}}), "部件过多"),
        ("台账.csv", "资产编号,名称\n".encode() + b"\xff\xfe\xfa" * 10, "既不是 UTF-8 也不是 GB18030"),
        ("台账.xlsx", _with_sheet(b'<worksheet><sheetData><row r="1"><c r="A1"'), "已损坏"),
        ("台账.xlsx", _with_sheet(XML_BOMB), "已损坏"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_writes_nothing(name: str, content: bytes, message: str) -> None:
    before = counts()
    outcome = run(content, name)
    assert not outcome.ok
    row_no, column, value, reason = only_error(outcome)
    assert (row_no, column, value) == (0, "", name)
    assert message in reason
    assert counts() == before


def test_the_zip_is_judged_before_any_entry_is_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_inflating(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry was opened")

    bomb = _zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": bytes(8 * 1024 * 1024)})
    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(filecheck.FileRefused):
        filecheck.check_file("bomb.xlsx", bomb)


def test_a_file_too_large_is_refused_before_parsing() -> None:
    outcome = check(b"x" * (filecheck.MAX_FILE_BYTES + 1), "big.csv")
    assert "超过 100 MB" in only_error(outcome)[3]


def test_formula_cells_are_errors_even_with_a_cached_value() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx([row("F-1", book_value=Decimal(5)), row("F-2")])))
    sheet = book.worksheets[0]
    sheet["I5"] = "=I4*2"
    sheet["A6"] = "合计"
    sheet["I6"] = "=SUM(I4:I5)"
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = check(buffer.getvalue(), "formula.xlsx")
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [(5, "账面价值(万元)", "=I4*2")]
    assert "公式" in outcome.errors[0].reason
    assert values.display(Formula("=SUM(I4:I5)")) == "=SUM(I4:I5)"


def test_rows_beyond_a_wrong_stored_dimension_are_still_read() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx([row("D-1"), row("D-2"), row("D-3")])))
    buffer = io.BytesIO()
    book.save(buffer)
    package = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    parts = {info.filename: package.read(info) for info in package.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + "A1:N4" + sheet[sheet.index('"', start) :]).encode()
    assert check(_zip(parts), "dimension.xlsx").rows == 3


# --- cell values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-06-30", date(2024, 6, 30)),
        ("2024/6/30", date(2024, 6, 30)),
        ("2024.6.30", date(2024, 6, 30)),
        ("2024年6月30日", date(2024, 6, 30)),
        ("２０２４年６月３０日", date(2024, 6, 30)),
        ("20240630", date(2024, 6, 30)),
        ("2024/6/30 0:00", date(2024, 6, 30)),
        (45473, date(2024, 6, 30)),
        ("45473", date(2024, 6, 30)),
        (45473.0, date(2024, 6, 30)),
        (date(2024, 6, 30), date(2024, 6, 30)),
    ],
)
def test_dates_in_every_unambiguous_form(cell: object, expected: date) -> None:
    assert values.day(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("30/6/2024", "歧义"),
        ("6/30/2024", "歧义"),
        ("2024-6/30", "歧义"),
        ("2024-02-30", "日期不存在"),
        (45473.5, "整数"),
        (12, "61 到 73050"),
        ("2999-01-01", "晚于今天"),
        (True, "不是日期"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused(cell: object, reason: str) -> None:
    with pytest.raises(values.BadValue, match=reason):
        values.day(cell)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "yuan"),
    [
        ("1,234.56", Decimal("12345600.00")),
        ("１，２３４．５６", Decimal("12345600.00")),
        ("１２３４．５６", Decimal("12345600.00")),
        (" 12 ", Decimal("120000.00")),
        (0.1, Decimal("1000.00")),
        (1234.567891, Decimal("12345678.91")),
        ("0", Decimal("0.00")),
    ],
)
def test_amounts_in_wan_read_exactly_into_yuan(cell: object, yuan: Decimal) -> None:
    assert values.amount(cell, "万元") == yuan  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("-5", "不能为负数"),
        (-0.5, "不能为负数"),
        ("1,23", "不是数字"),
        ("12万", "不是数字"),
        ("1.2345678", "精度超过 1 分"),
        (Formula("=A1"), "公式"),
        # Past Decimal's 28 digits once times 10⁴ and to the 分: refused, not a crash.
        (1e25, "数值过大"),
        ("100000000000000000000000000000", "数值过大"),
    ],
)
def test_bad_amounts_are_refused(cell: object, reason: str) -> None:
    with pytest.raises(values.BadValue, match=reason):
        values.amount(cell, "万元")  # type: ignore[arg-type]


def test_full_width_digits_and_thousands_separators_import() -> None:
    outcome = run(csv_file([row("W-1", book_value="１，２３４．５", area="1,000.5", quantity="３")]))
    assert outcome.ok, outcome.errors
    asset = Asset.objects.get(code="W-1")
    assert (asset.book_value, asset.area, asset.quantity) == (Decimal("12345000.00"), Decimal("1000.50"), 3)


@pytest.mark.parametrize(
    ("unit", "yuan"), [("元", Decimal("2.50")), ("万元", Decimal("25000.00")), ("亿元", Decimal("250000000.00"))]
)
def test_amounts_are_read_in_the_unit_the_sheet_states(unit: str, yuan: Decimal) -> None:
    outcome = run(csv_file([row("U-1", book_value="2.5")], unit_row=f"单位：{unit}", unit=unit))
    assert outcome.ok, outcome.errors
    assert Asset.objects.get(code="U-1").book_value == yuan


def test_a_sheet_without_a_unit_or_with_two_is_refused() -> None:
    outcome = check(csv_file([row("U-1")], unit_row="单位：亿元", unit="万元"))
    assert "两种金额单位" in only_error(outcome)[3]
    content = csv_file([row("U-1")], unit_row=None).replace("(万元)".encode(), b"")
    assert "没有写明金额单位" in only_error(check(content))[3]


def test_gb18030_csv_without_a_title_row_imports() -> None:
    content = csv_file([row("G-1", name="咸宁旧城改造安置房")], encoding="gb18030")
    assert content.decode("gb18030").startswith("资产台账")
    outcome = run(content)
    assert outcome.ok, outcome.errors
    assert Asset.objects.get(code="G-1").name == "咸宁旧城改造安置房"


def test_a_missing_column_names_what_is_missing() -> None:
    content = csv_file([row("M-1")]).replace("权证状态".encode(), "证照".encode())
    assert "缺少列：权证状态" in only_error(check(content))[3]


def test_new_rows_are_stored_exactly_as_the_model_stores_the_same_values() -> None:
    """The import writes new rows without model instances (on SQLite from JSON): byte for byte what save() writes."""
    awkward = [
        row("J-1", name='引号"与\\反斜杠😀', location="", area="", original_value="", acquired_on="", note="备注\t一"),
        row("J-2", book_value=0.01, area=0.5, original_value=1234567.89, quantity=3, package="出售"),
        row("J-3", book_value=100, area=100, certificate="办理中", utilisation="闲置", note="x" * 2000),
    ]
    for name, content in [("台账.xlsx", xlsx(awkward)), ("台账.csv", csv_file([row("J-4", area="12.30"), row("J-5")]))]:
        assert run(content, name).ok
    columns = ["enterprise_id", "category_id", *(f for f in LEDGER_FIELDS if f != "category")]
    if connection.vendor == "sqlite":
        columns += [f"typeof({column})" for column in columns]
    select = f"SELECT {', '.join(columns)} FROM assets_asset WHERE id = %s"  # noqa: S608  # nosec B608 # test's own names
    for imported in Asset.objects.filter(code__startswith="J-"):
        copy = Asset.objects.create(
            enterprise=imported.enterprise,
            code=f"ORM-{imported.code}",
            **{name: getattr(imported, name) for name in LEDGER_FIELDS},
        )
        with connection.cursor() as cursor:
            cursor.execute(select, [imported.pk])
            stored = cursor.fetchone()
            cursor.execute(select, [copy.pk])
            assert stored == cursor.fetchone(), imported.code


def test_a_nul_character_in_text_is_refused_with_its_row() -> None:
    """A CSV with one is refused as binary; a workbook can hold one (``_x0000_``) in any text cell."""
    outcome = check(xlsx([row("N-1", note="备\x00注"), row("N-2", name="名\x00称")]), "台账.xlsx")
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "备注"), (5, "资产名称")]
    assert set(reasons(outcome)) == {"含有不可见的空字符（NUL），无法保存：请重新输入该单元格。"}


# --- rows that break the ledger's rules -----------------------------------------------------------


def test_duplicate_codes_within_the_file_are_errors() -> None:
    outcome = check(csv_file([row("D-1"), row("D-2"), row("D-1", enterprise="咸宁市城市发展（集团）有限责任公司")]))
    assert only_error(outcome) == (6, "资产编号", "D-1", "与第 4 行重复：同一企业内资产编号不能重复。")


def test_the_same_code_in_two_enterprises_is_two_assets() -> None:
    outcome = run(csv_file([row("S-1"), row("S-1", enterprise="振宁押运")]))
    assert (outcome.ok, outcome.creates) == (True, 2)


def test_a_total_row_must_equal_the_sums() -> None:
    rows = [row("T-1", book_value="10.5"), row("T-2", book_value="20")]
    good = csv_file([*rows, ["合计", "", "", "", "", "200", "2", "240", "30.5", "", "", "", "", ""]])
    assert check(good).ok
    bad = csv_file([*rows, ["合计", "", "", "", "", "", "", "", "30.6", "", "", "", "", ""]])
    assert only_error(check(bad)) == (6, "账面价值(万元)", "30.6", "合计为 30.6，但各行之和为 30.5。")
    after = csv_file([*rows, ["合计", "", "", "", "", "", "", "", "30.5", "", "", "", "", ""], row("T-3")])
    assert "必须是最后一行" in only_error(check(after))[3]


def test_an_enterprise_outside_the_scope_reads_as_unknown_and_nothing_is_written() -> None:
    before = counts()
    for enterprise in ("市高投集团", "咸宁高新投资集团有限公司", "高投基金公司", "不存在的公司"):
        outcome = run(csv_file([row("X-1"), row("X-2", enterprise=enterprise)]))
        assert only_error(outcome) == (5, "所属企业", enterprise, "您的权限范围内没有这个名称（或简称）的企业。")
    assert counts() == before


def test_a_reader_without_import_rights_cannot_import_at_all() -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(csv_file([row("R-1")]), username="guoziwei")


# --- the command ---------------------------------------------------------------------------------


def test_the_command_imports_and_dry_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_file([row("C-1"), row("C-2")]))
    call_command("import_assets", str(path), "--actor", "chengfa", "--dry-run")
    assert "2 rows checked: 2 to create, 0 to update, 0 unchanged; nothing written" in capsys.readouterr().out
    assert not Asset.objects.filter(code="C-1").exists()
    call_command("import_assets", str(path), "--actor", "chengfa")
    assert "2 created" in capsys.readouterr().out
    batch_id = Asset.objects.get(code="C-2").created_in_id
    record = ChangeRecord.objects.get(content_type__model="importbatch", object_id=str(batch_id))
    assert (record.source, record.actor_name, record.action, record.after["created"]) == (
        "command",
        "chengfa",
        "create",
        2,
    )


def test_an_imported_assets_history_shows_its_creation_by_the_batch_and_its_changes_since() -> None:
    run(xlsx([row("H-1", book_value=Decimal("12.5"), note="首次导入")]), "首次.xlsx")
    asset = Asset.objects.get(code="H-1")
    client = client_for("chengfa")
    history = client.get(f"/assets/asset/{asset.pk}/history/").content.decode()
    assert history.count('data-testid="change-record"') == 1
    assert "首次.xlsx" in history
    assert "首次导入" in history
    assert "125000.00" in history
    # A later import changes it: the creation still shows the values as first imported.
    run(xlsx([row("H-1", book_value=Decimal("13"), note="再次导入")]), "再次.xlsx")
    history = client.get(f"/assets/asset/{asset.pk}/history/").content.decode()
    assert history.count('data-testid="change-record"') == 2
    creation = history[history.rindex('data-testid="change-record"') :]
    assert "首次.xlsx" in creation
    assert "首次导入" in creation
    assert "再次导入" not in creation


def test_the_command_reports_every_error_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([row("C-1", book_value="-1"), row("C-2", enterprise="市高投集团")]))
    with pytest.raises(CommandError, match="2 errors"):
        call_command("import_assets", str(path), "--actor", "chengfa")
    err = capsys.readouterr().err
    assert "row 4 账面价值(万元)" in err
    assert "row 5 所属企业" in err
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_assets", str(path), "--actor", "nobody")
