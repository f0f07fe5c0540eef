"""The reporting loop in a real browser: a partner's section, submit, return, resubmit, approve."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.supervision.choices import ReportState
from guozi.supervision.demo import WORK_REPORT
from guozi.supervision.models import Plan, ProgressReport, ReportingRound, TargetTask
from guozi.supervision.services.reports import round_open

from .test_login import log_in

SCREENSHOTS = "/tmp/guozi-sup-{}.png"  # noqa: S108 - the fixed paths the brief asks for
SECTION = "城发集团：完成三资清查306.9亿元，盘活存量资产12宗。"
FIRST_DRAFT = "一是统筹推进国企改革深化提升行动，61项改革任务完成57项；二是汇总市城发集团三资清查成果。"
SECOND_DRAFT = FIRST_DRAFT + "三是盘活闲置资产12宗、回笼资金8.6亿元。"
REASON = "请补充三资盘活数据"

pytestmark = pytest.mark.usefixtures("live_demo")


def open_q4_round() -> ReportingRound:
    """The office opens Q4 2025 for tasks 35, 48 and 70, as demo.py opens Q1–Q3."""
    plan = Plan.objects.get(name=WORK_REPORT)
    tasks = list(TargetTask.objects.filter(plan=plan, number__in=[35, 48, 70]).order_by("number"))
    assert [t.number for t in tasks] == [35, 48, 70]
    period_end = date(2025, 12, 31)
    data = {
        "plan": plan,
        "year": 2025,
        "quarter": 4,
        "period_end": period_end,
        "due_on": date(2026, 1, 10),
        "grace_days": 3,
        "tasks": tasks,
    }
    return round_open(actor=User.objects.get(username="ducha"), origin=COMMAND, data=data)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS.format(name), full_page=True)


def state(page: Page) -> Locator:
    return page.get_by_test_id("report-state")


def test_the_whole_reporting_loop(new_context: Callable[..., BrowserContext], live_server: LiveServer) -> None:
    round_ = open_q4_round()
    report = ProgressReport.objects.get(round=round_, task__number=48)
    task = report.task
    report_url = f"{live_server.url}/supervision/progressreport/{report.pk}/"
    title = f"目标任务48 · {round_}"  # how the report names itself in lists
    chengfa_unit = "市城发集团"  # sections name their unit by its short name

    requests: list[str] = []

    def fresh_page(**kwargs: Any) -> Page:
        """One browser context per user, so no session leaks from one to the next."""
        context = new_context(**kwargs)
        context.on("request", lambda request: requests.append(request.url))
        return context.new_page()

    # 1. The partner unit writes its section from the inbox.
    page = fresh_page()
    log_in(page, live_server, "chengfa")
    page.get_by_role("navigation").get_by_role("link", name="我的待办报告").click()
    expect(page).to_have_url(f"{live_server.url}/supervision/inbox/")
    expect(page.get_by_role("heading", name="本单位待报送的内容")).to_be_visible()
    owed = page.get_by_test_id("owed").get_by_role("listitem").filter(has_text=title)
    expect(owed).to_have_count(1)
    shot(page, "inbox-partner")
    owed.get_by_role("link", name="报送本单位内容").click()
    expect(page).to_have_url(re.compile(r"/supervision/reportcontribution/add/\?"))
    page.get_by_label(re.compile(r"^内容")).fill(SECTION)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(report_url)
    expect(page.get_by_role("heading", name="配合单位报送内容")).to_be_visible()
    section = page.get_by_test_id("contribution")
    expect(section).to_have_count(1)
    expect(section).to_contain_text(SECTION)
    expect(section.locator(".card-header")).to_contain_text(chengfa_unit)
    # Written, the section no longer shows as owed.
    page.goto(f"{live_server.url}/supervision/inbox/")
    expect(page.get_by_test_id("owed")).not_to_contain_text(title)
    page.context.close()

    # 2. The lead unit consolidates and submits.
    page = fresh_page()
    log_in(page, live_server, "guoziwei")
    page.goto(f"{live_server.url}/supervision/inbox/")
    page.get_by_test_id("leading").get_by_role("link", name=title).click()
    expect(page).to_have_url(report_url)
    expect(state(page)).to_have_text("草稿")
    expect(page.get_by_test_id("contribution")).to_contain_text(SECTION)
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page).to_have_url(f"{report_url}edit/")
    page.get_by_label(re.compile(r"^进展情况")).fill(FIRST_DRAFT)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_test_id("progress")).to_contain_text(FIRST_DRAFT)

    page.get_by_role("link", name="报送", exact=True).click()
    expect(page).to_have_url(f"{report_url}submit/")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page).to_have_url(report_url)
    expect(state(page)).to_have_text("已报送")
    # The lead unit submits; it does not review.
    expect(page.get_by_role("link", name="审核通过")).to_have_count(0)
    expect(page.get_by_test_id("approve")).to_have_count(0)
    expect(page.get_by_test_id("return")).to_have_count(0)
    lead = page

    # 3. The office returns it: first without a reason (refused), then with one.
    page = fresh_page()
    log_in(page, live_server, "ducha")
    page.goto(report_url)
    expect(state(page)).to_have_text("已报送")
    page.get_by_role("link", name="退回", exact=True).click()
    expect(page).to_have_url(f"{report_url}return/")
    reason = page.locator("textarea[name=reason]")
    send_back = page.locator("main").get_by_role("button", name="退回", exact=True)
    send_back.click()
    # An empty reason is stopped by the browser before it is sent...
    expect(page).to_have_url(f"{report_url}return/")
    assert reason.evaluate("field => field.validity.valueMissing")
    # ...and a blank one by the server, next to the field.
    reason.fill("   ")
    send_back.click()
    expect(page.locator('.invalid-feedback[data-field="reason"]')).to_be_visible()
    expect(page).to_have_url(f"{report_url}return/")
    page.goto(report_url)
    expect(state(page)).to_have_text("已报送")
    expect(page.get_by_test_id("return-reason")).to_have_count(0)

    page.get_by_role("link", name="退回", exact=True).click()
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("main").get_by_role("button", name="退回", exact=True).click()
    expect(page).to_have_url(report_url)
    expect(state(page)).to_have_text("已退回")
    expect(page.get_by_test_id("return-reason")).to_contain_text(REASON)
    office = page

    # 4. The lead unit finds it in its inbox again, with the reason, and resubmits.
    page = lead
    page.goto(f"{live_server.url}/supervision/inbox/")
    returned = page.get_by_test_id("leading").get_by_role("listitem").filter(has_text=title)
    expect(returned).to_contain_text("已退回")
    expect(returned).to_contain_text(REASON)
    shot(page, "inbox")
    returned.get_by_role("link", name=title).click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_test_id("return-reason")).to_contain_text(REASON)
    page.get_by_role("link", name="编辑", exact=True).click()
    page.get_by_label(re.compile(r"^进展情况")).fill(SECOND_DRAFT)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(report_url)
    page.get_by_role("link", name="报送", exact=True).click()
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page).to_have_url(report_url)
    expect(state(page)).to_have_text("已报送")
    expect(page.get_by_test_id("return-reason")).to_have_count(0)
    expect(page.get_by_test_id("approve")).to_have_count(0)

    # 5. The office approves; the round's overview shows it.
    page = office
    page.goto(report_url)
    expect(state(page)).to_have_text("已报送")
    page.get_by_role("link", name="审核通过", exact=True).click()
    expect(page).to_have_url(f"{report_url}approve/")
    page.get_by_label("核定状态").select_option(label="序时推进")
    page.locator("main").get_by_role("button", name="审核通过", exact=True).click()
    expect(page).to_have_url(report_url)
    expect(state(page)).to_have_text("已通过")
    expect(page.get_by_test_id("progress")).to_contain_text(SECOND_DRAFT)
    shot(page, "report")

    page.goto(f"{live_server.url}/supervision/reportinground/{round_.pk}/")
    expect(page.get_by_test_id("round-row-48")).to_contain_text("已通过")
    expect(page.get_by_test_id("round-row-48")).to_contain_text("序时推进")
    shot(page, "round")
    page.goto(f"{live_server.url}/supervision/targettask/{task.pk}/")
    expect(page.get_by_role("listitem").filter(has_text=str(round_))).to_contain_text("已通过")
    shot(page, "task")

    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.versions.count() == 2
    assert requests
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}, requests
