"""The year's task list from a spreadsheet: dry run, upsert by number, never delete, every bad row reported."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from guozi.core.changes import COMMAND
from guozi.core.choices import ChangeSource
from guozi.core.models import ChangeRecord, ImportBatch
from guozi.core.testing import client_for, org, user
from guozi.supervision.demo import WORK_REPORT
from guozi.supervision.models import Plan, TargetTask
from guozi.supervision.services.task_import import task_list_check, task_list_import

pytestmark = pytest.mark.usefixtures("demo_world")
HEADER = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]


def workbook(*rows: list[object], title: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["2025年市政府工作报告目标任务分解表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = workbook(
    [35, "强化金融科技供给服务，发挥产业基金对科技创新的撬动作用。", "市政府国资委", "市高投集团", "2025年12月底"],
    [36, "推进国有企业数字化转型。", "国资委", "市城发集团、市高投集团", "2025-11-30"],
    [37, "开展国有资产清查。", "咸宁市城市发展（集团）有限责任公司", "", date(2025, 10, 31)],
)


def plan() -> Plan:
    return Plan.objects.get(name=WORK_REPORT)


def test_dry_run_counts_and_writes_nothing() -> None:
    tasks, records = TargetTask.objects.count(), ChangeRecord.objects.count()
    check = task_list_check(actor=user("ducha"), plan=plan(), file_name="tasks.xlsx", content=GOOD)
    assert check.errors == []
    # 35 exists with the same text, lead unit, partner units and deadline: unchanged.
    assert (check.creates, check.updates, check.unchanged) == (2, 0, 1)
    assert (TargetTask.objects.count(), ChangeRecord.objects.count()) == (tasks, records)


def test_import_upserts_by_number_and_never_deletes() -> None:
    check = task_list_import(actor=user("ducha"), origin=COMMAND, plan=plan(), file_name="tasks.xlsx", content=GOOD)
    assert check.imported
    numbers = set(TargetTask.objects.filter(plan=plan()).values_list("number", flat=True))
    assert numbers == {35, 36, 37, 48, 70}  # 48 and 70 are not in the file, and stay
    t36 = TargetTask.objects.get(plan=plan(), number=36)
    assert t36.lead_unit == org("国资委")
    assert set(t36.partner_units.values_list("short_name", flat=True)) == {"市城发集团", "市高投集团"}
    assert t36.deadline == date(2025, 11, 30)
    assert TargetTask.objects.get(plan=plan(), number=37).lead_unit == org("市城发集团")
    batch = ImportBatch.objects.latest("id")
    record = ChangeRecord.objects.filter(content_type__model="targettask").latest("id")
    assert (record.source, record.import_batch_id) == (ChangeSource.IMPORT, batch.pk)
    # The same file again changes nothing; a changed row updates only that task.
    again = task_list_check(actor=user("ducha"), plan=plan(), file_name="tasks.xlsx", content=GOOD)
    assert (again.creates, again.updates, again.unchanged) == (0, 0, 3)
    changed = workbook([36, "推进国有企业数字化转型和智能化改造。", "国资委", "市城发集团、市高投集团", "2025-11-30"])
    result = task_list_import(actor=user("ducha"), origin=COMMAND, plan=plan(), file_name="t.xlsx", content=changed)
    assert (result.creates, result.updates, result.unchanged) == (0, 1, 0)
    assert "智能化改造" in TargetTask.objects.get(plan=plan(), number=36).text


def test_every_bad_row_is_reported_and_nothing_is_written() -> None:
    bad = workbook(
        [36, "推进国有企业数字化转型。", "市国资委员会", "", ""],  # unknown unit
        [37, "", "国资委", "", ""],  # no task text
        [37, "重复的序号。", "国资委", "", ""],  # duplicate number
        ["三十八", "序号不是数字。", "国资委", "", ""],
        [39, "时限写错了。", "国资委", "", "明年"],
        [40, "公式。", "国资委", "", "=TODAY()"],
    )
    tasks = TargetTask.objects.count()
    check = task_list_import(actor=user("ducha"), origin=COMMAND, plan=plan(), file_name="bad.xlsx", content=bad)
    assert not check.imported
    assert TargetTask.objects.count() == tasks
    found = {(e.row, e.column) for e in check.errors}
    assert found == {(3, "牵头单位"), (4, "任务内容"), (5, "序号"), (6, "序号"), (7, "完成时限"), (8, "完成时限")}
    unknown = next(e for e in check.errors if e.column == "牵头单位")
    assert "市政府国资委" in unknown.reason  # the suggestion


def test_a_file_without_the_header_or_not_a_spreadsheet_is_refused() -> None:
    header_first = workbook([41, "表头在第一行。", "国资委", "", ""], title=False)
    assert task_list_check(actor=user("ducha"), plan=plan(), file_name="x.xlsx", content=header_first).errors == []
    book = openpyxl.Workbook()
    book.active.append(["编号", "内容"])
    book.active.append([1, "没有规定的表头"])
    buffer = io.BytesIO()
    book.save(buffer)
    no_header = task_list_check(actor=user("ducha"), plan=plan(), file_name="x.xlsx", content=buffer.getvalue())
    assert [(e.row, "序号" in e.reason) for e in no_header.errors] == [(0, True)]
    fake = task_list_check(actor=user("ducha"), plan=plan(), file_name="tasks.xlsx", content=b"not a workbook")
    assert fake.errors[0].row == 0
    csv = "序号,任务内容,牵头单位,配合单位,完成时限\n41,从CSV导入。,国资委,,2025年底\n".encode("gb18030")
    from_csv = task_list_check(actor=user("ducha"), plan=plan(), file_name="tasks.csv", content=csv)
    assert (from_csv.errors, from_csv.creates) == ([], 1)
    assert from_csv.rows[0].deadline == date(2025, 12, 31)


def test_the_page_dry_runs_then_imports_and_offers_the_errors_as_excel() -> None:
    client = client_for("ducha")
    url = f"/supervision/plan/{plan().pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("t.xlsx", GOOD), "dry_run": "on"})
    assert response.status_code == 200
    assert "新增2项，更新0项，无变化1项" in response.content.decode()
    assert not TargetTask.objects.filter(plan=plan(), number=36).exists()
    client.post(url, {"file": SimpleUploadedFile("t.xlsx", GOOD)})
    assert TargetTask.objects.filter(plan=plan(), number=36).exists()
    bad = workbook([50, "未知单位。", "不存在的单位", "", ""])
    response = client.post(url, {"file": SimpleUploadedFile("bad.xlsx", bad), "dry_run": "on"})
    assert response.status_code == 400
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url + "errors/").getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == (3, "牵头单位")


def test_only_the_office_imports() -> None:
    assert client_for("chengfa").get(f"/supervision/plan/{plan().pk}/import/").status_code == 404
    with pytest.raises(CommandError):
        call_command("import_tasks", "/dev/null", "--plan", str(plan().pk), "--actor", "chengfa")
