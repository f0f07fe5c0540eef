"""The ledger import in a real browser: two bad rows reported, fixed, imported with a progress bar."""

import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guozi.assets.models import Asset
from guozi.assets.services.imports import ledger_template
from guozi.assets.tests.ledgerfiles import row
from guozi.core.models import User
from guozi.core.money import format_money

from .test_login import log_in

pytestmark = pytest.mark.usefixtures("live_demo")

ROWS = 30
BOOK_VALUE = Decimal(100)  # 万元 a row
NEGATIVE_ROW, UNKNOWN_CLASS_ROW = 5, 20  # indexes among the data rows, which start at sheet row 4


def ledger_rows(*, bad: bool) -> list[list[Any]]:
    """30 rows of 市城发集团 in the template's column order (book value 100万元); ``bad``: two of them wrong."""
    rows = []
    for index in range(ROWS):
        book_value = "-3" if bad and index == NEGATIVE_ROW else str(BOOK_VALUE)
        category = "飞行器" if bad and index == UNKNOWN_CLASS_ROW else "房屋"
        code = f"BR-{index + 1:03d}"
        rows.append(row(code, name=f"浏览器测试资产{code}", category=category, book_value=book_value))
    return rows


def ledger_totals(username: str) -> str:
    """The ledger list's totals line for what ``username`` may see, as the page words it."""
    assets = Asset.objects.restrict(User.objects.get(username=username), "view")
    figures = assets.aggregate(value=Sum("book_value"))
    return f"共 {assets.count()} 项资产，账面价值 {format_money(figures['value'] or 0)}"


def upload(page: Page, live_server: LiveServer, file: Path) -> None:
    page.goto(f"{live_server.url}/assets/import/")
    page.locator("input[type=file]").set_input_files(file)
    page.get_by_test_id("check").click()


def test_two_bad_rows_reported_fixed_and_imported_with_progress(
    page: Page,
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    before = ledger_totals("chengfa")
    bad_file, good_file = tmp_path / "台账-有错.xlsx", tmp_path / "台账.xlsx"
    bad_file.write_bytes(ledger_template(reporting_unit="市城发集团", rows=ledger_rows(bad=True)))
    good_file.write_bytes(ledger_template(reporting_unit="市城发集团", rows=ledger_rows(bad=False)))

    log_in(page, live_server, "chengfa")
    page.goto(f"{live_server.url}/assets/asset/")
    expect(page.get_by_test_id("asset-totals")).to_contain_text(before)

    # The file with two bad rows: both reported with their sheet row, column and reason.
    upload(page, live_server, bad_file)
    expect(page.get_by_test_id("refused")).to_contain_text("共 2 处错误")
    errors = page.get_by_test_id("errors").locator("tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").nth(0)).to_have_text(str(4 + NEGATIVE_ROW))
    expect(errors.nth(0)).to_contain_text("账面价值(万元)")
    expect(errors.nth(0)).to_contain_text("不能为负数")
    expect(errors.nth(1).locator("td").nth(0)).to_have_text(str(4 + UNKNOWN_CLASS_ROW))
    expect(errors.nth(1)).to_contain_text("资产类别")
    expect(errors.nth(1)).to_contain_text("飞行器")
    expect(page.get_by_test_id("confirm")).to_have_count(0)

    # Fixed: the check passes, nothing written yet.
    upload(page, live_server, good_file)
    expect(page.get_by_test_id("dry-run")).to_contain_text(f"已检查 {ROWS} 行，全部有效。导入将新增 {ROWS} 项")
    assert not Asset.objects.filter(code__startswith="BR-").exists()

    # Confirmed: the import runs in the background and the page polls its progress to the end.
    page.get_by_test_id("confirm").click()
    expect(page).to_have_url(re.compile(r"/assets/import/\d+/$"))
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("progress-rows")).to_have_text(f"已处理 {ROWS} / {ROWS} 行")
    imported = page.get_by_test_id("imported")
    expect(imported).to_contain_text(f"已导入 {ROWS} 行：新增 {ROWS} 项，更新 0 项，0 项无变化。")
    expect(page.get_by_test_id("import-progress")).not_to_have_attribute("hx-trigger", re.compile("."))

    # The ledger's totals grew by the 30 rows and their book value.
    imported.get_by_test_id("ledger-link").click()
    expect(page).to_have_url(f"{live_server.url}/assets/asset/")
    after = ledger_totals("chengfa")
    assert Asset.objects.filter(code__startswith="BR-").aggregate(value=Sum("book_value"))["value"] == (
        ROWS * BOOK_VALUE * 10_000
    )
    assert after != before
    expect(page.get_by_test_id("asset-totals")).to_contain_text(after)

    assert requests
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}, requests
