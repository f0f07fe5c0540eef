"""The fund pipeline in a real browser: moving a fund on, a refused move, and the sponsor's scope."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.funds.choices import Stage
from guozi.funds.models import Fund, StageEntry
from guozi.funds.services.stages import stage_entry_create

from .test_login import log_in

DONGHU = "东湖高新科创基金"
SCREENSHOT = Path("/tmp/guozi-pipeline.png")  # noqa: S108 - the fixed path the brief asks for

pytestmark = pytest.mark.usefixtures("live_demo")


def donghu_pk() -> int:
    return Fund.objects.get(short_name=DONGHU).pk


def card_in(page: Page, stage: int) -> Locator:
    """The 东湖 fund's card in the pipeline column of one stage (0: not started)."""
    return page.get_by_test_id(f"stage-{stage}").get_by_test_id("fund-card").filter(has_text=DONGHU)


def test_moving_a_fund_to_signing_updates_the_pipeline(page: Page, live_server: LiveServer) -> None:
    requests: list[str] = []
    # On the context, as in test_login: also catches requests from any other page it opens.
    page.context.on("request", lambda request: requests.append(request.url))
    pk = donghu_pk()

    log_in(page, live_server, "gaotou")
    page.goto(f"{live_server.url}/funds/pipeline/")
    expect(card_in(page, 30)).to_have_count(1)
    expect(card_in(page, 40)).to_have_count(0)

    card_in(page, 30).get_by_role("link", name=DONGHU).click()
    expect(page).to_have_url(f"{live_server.url}/funds/fund/{pk}/")
    expect(page.get_by_test_id("current-stage")).to_have_text("协议商定")

    advance = page.get_by_test_id("advance")
    expect(advance).to_have_text("推进到“协议签批”")
    advance.click()
    expect(page).to_have_url(re.compile(r"/funds/stageentry/add/\?"))
    # The link presets the fund and the next stage; the labels prove the form is translated.
    expect(page.get_by_label("基金")).to_have_value(str(pk))
    expect(page.get_by_label("阶段")).to_have_value("40")
    expect(page.get_by_label("阶段").locator("option:checked")).to_have_text("协议签批")
    # A DateField's default widget is a text input; the link presets today, ISO formatted.
    entered_on = page.get_by_label("进入日期")
    expect(entered_on).to_have_attribute("type", "text")
    expect(entered_on).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    entered_on.fill("2025-10-10")
    page.get_by_label("备注").fill("协议条款已确定")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{live_server.url}/funds/fund/{pk}/")
    expect(page.get_by_test_id("current-stage")).to_have_text("协议签批")
    expect(page.get_by_test_id("timeline")).to_contain_text("协议条款已确定")

    page.goto(f"{live_server.url}/funds/pipeline/")
    expect(card_in(page, 40)).to_have_count(1)
    expect(card_in(page, 30)).to_have_count(0)
    page.screenshot(path=SCREENSHOT, full_page=True)

    assert requests
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}, requests


def test_an_out_of_order_stage_is_refused_in_the_form(page: Page, live_server: LiveServer) -> None:
    # Every demo fund entered its stages without a gap, so any earlier stage is one it
    # already entered (refused as a repeat: the next test). To reach the
    # forward-only rule, 东湖 first skips 协议签批 and is registered.
    fund = Fund.objects.get(short_name=DONGHU)
    data = {"fund": fund, "stage": Stage.REGISTRATION, "entered_on": date(2025, 10, 20), "note": ""}
    stage_entry_create(actor=User.objects.get(username="gaotou"), origin=COMMAND, data=data)
    before = set(StageEntry.objects.filter(fund=fund).values_list("pk", flat=True))

    log_in(page, live_server, "gaotou")
    page.goto(f"{live_server.url}/funds/stageentry/add/?fund={fund.pk}&stage=40&entered_on=2025-10-10")
    expect(page.get_by_label("阶段")).to_have_value("40")
    page.get_by_role("button", name="保存").click()

    # The rule names itself next to the stage field, and the form stays open.
    error = page.locator('.invalid-feedback[data-field="stage"]')
    expect(error).to_contain_text("阶段只能向前推进")
    expect(error).to_contain_text("工商注册")
    expect(page).to_have_url(re.compile(r"/funds/stageentry/add/\?"))
    assert set(StageEntry.objects.filter(fund=fund).values_list("pk", flat=True)) == before


def test_a_stage_entered_twice_is_refused_in_the_form(page: Page, live_server: LiveServer) -> None:
    pk = donghu_pk()
    before = set(StageEntry.objects.filter(fund_id=pk).values_list("pk", flat=True))

    log_in(page, live_server, "gaotou")
    # 东湖 entered 方案论证 on 2025-03-01 already.
    page.goto(f"{live_server.url}/funds/stageentry/add/?fund={pk}&stage=10&entered_on=2025-10-10")
    expect(page.get_by_label("阶段")).to_have_value("10")
    page.get_by_role("button", name="保存").click()

    # The service's own message, naming the fund and the stage, next to the stage field.
    error = page.locator('.invalid-feedback[data-field="stage"]')
    expect(error).to_contain_text("同一阶段不能重复进入")
    expect(error).to_contain_text(f"{DONGHU}已进入“方案论证”")
    expect(page.get_by_role("alert")).to_have_count(0)  # not a bare form-wide message as well
    expect(page).to_have_url(re.compile(r"/funds/stageentry/add/\?"))
    assert set(StageEntry.objects.filter(fund_id=pk).values_list("pk", flat=True)) == before


def test_enterprise_outside_the_sponsor_sees_no_funds(page: Page, live_server: LiveServer) -> None:
    pk = donghu_pk()

    log_in(page, live_server, "chengfa")
    response = page.goto(f"{live_server.url}/funds/pipeline/")
    assert response is not None
    assert response.status == 200
    # The board is there, with its columns, but empty.
    expect(page.get_by_test_id("stage-30")).to_be_visible()
    expect(page.get_by_test_id("fund-card")).to_have_count(0)

    response = page.goto(f"{live_server.url}/funds/fund/{pk}/")
    assert response is not None
    assert response.status == 404
