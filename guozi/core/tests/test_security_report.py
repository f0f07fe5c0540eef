"""`guozi security report`: the assessor's evidence, computed from the running system."""

from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from guozi.core import inventory

pytestmark = pytest.mark.usefixtures("demo_world")


@pytest.fixture
def evidence(tmp_path: Path) -> openpyxl.Workbook:
    output = tmp_path / "证据.xlsx"
    call_command("security", "report", "--output", str(output), "--no-network")
    return openpyxl.load_workbook(output)


def _rows(workbook: openpyxl.Workbook, title: str) -> list[tuple]:
    return list(workbook[title].iter_rows(values_only=True))


def test_the_workbook_holds_every_section(evidence: openpyxl.Workbook) -> None:
    assert evidence.sheetnames == [
        "概要",
        "权限矩阵",
        "三权分立",
        "安全标记",
        "路由清单",
        "审计字段",
        "完整性校验",
        "恢复演练",
        "部署检查",
        "依赖漏洞审计",
    ]


def test_only_the_auditor_holds_the_audit_tables(evidence: openpyxl.Workbook) -> None:
    header, *rows = _rows(evidence, "权限矩阵")
    auditor = next(i for i, name in enumerate(header) if name.startswith("审计管理员"))
    for label in ("core.changerecord", "core.loginrecord", "core.auditevent"):
        row = next(r for r in rows if r[1] == label)
        holders = [header[i] for i, cell in enumerate(row) if i > 1 and cell != "—"]
        assert holders == [header[auditor]], label


def test_the_inventory_lists_every_route_and_operation(evidence: openpyxl.Workbook) -> None:
    _, *rows = _rows(evidence, "路由清单")
    pages = [path for path, name, _ in inventory.walk() if not name.startswith("api:")]
    assert len(rows) == len(pages) + len(inventory.api_routes())
    public = {r[2] for r in rows if r[4].startswith("公开")}
    assert "/accounts/login/" in public
    assert "/core/auditevent/" not in public


def test_duties_and_chains_are_reported(evidence: openpyxl.Workbook) -> None:
    _, *duties = _rows(evidence, "三权分立")
    assert {row[1] for row in duties} == {"sysadmin", "secadmin", "auditor"}
    _, *chains = _rows(evidence, "完整性校验")
    chained = {"core_changerecord", "core_loginrecord", "core_auditevent"}
    documents = {"core_attachment", "supervision_reportversion", "reports_generatedreport"}
    assert {row[0] for row in chains} == chained | documents
    assert all(row[2] == "完整" for row in chains)
    _, *fields = _rows(evidence, "审计字段")
    assert {"timestamp", "actor_id", "kind", "success", "ip", "hash", "prev_hash"} <= {row[1] for row in fields}
