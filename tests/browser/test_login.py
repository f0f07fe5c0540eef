"""The login page and the organisation list, in a real browser, in Chinese, fully offline."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Response, expect
from pytest_django.live_server_helper import LiveServer

PASSWORD = "Guozi@2025"


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    # Finding the fields by their Chinese labels also proves the page is translated.
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")


@pytest.mark.usefixtures("live_demo")
def test_login_in_chinese_without_outside_requests(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    requests: list[str] = []
    responses: dict[str, int] = {}

    def on_response(response: Response) -> None:
        responses.setdefault(urlsplit(response.url).path, response.status)

    # On the context, not the page: this also catches requests from any other page or worker it opens.
    page.context.on("request", lambda request: requests.append(request.url))
    page.context.on("response", on_response)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page).to_have_title(re.compile("登录"))
    expect(page.locator("label[for=id_username]")).to_have_text("用户名")
    expect(page.locator("label[for=id_password]")).to_have_text("密码")
    page.screenshot(path=tmp_path / "login.png", full_page=True)

    log_in(page, live_server, "chengfa")
    expect(page).to_have_title(re.compile("国资监管平台"))
    expect(page.get_by_test_id("home-organization")).to_have_text("咸宁市城市发展（集团）有限责任公司")
    expect(page.get_by_test_id("current-user")).to_contain_text("咸宁市城市发展（集团）有限责任公司")
    menu = page.get_by_role("navigation")
    expect(menu).to_contain_text("首页")
    expect(menu).to_contain_text("机构")
    page.screenshot(path=tmp_path / "home.png", full_page=True)

    # The app vendors its CSS and JS: an intranet deployment must never reach out.
    assert requests
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}, requests
    # ...and the vendored CSS was really served, not just referenced.
    assert responses.get("/static/core/vendor/bootstrap.min.css") == 200, responses


@pytest.mark.usefixtures("live_demo")
def test_organisation_list_scoped_and_filtered(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "chengfa")
    page.goto(f"{live_server.url}/core/organization/")
    table = page.locator("#object-table")
    # chengfa sees its own group only, not the sibling group 市高投集团.
    expect(table).to_contain_text("咸宁市振宁押运有限公司")
    expect(table).not_to_contain_text("咸宁高新投资集团有限公司")
    expect(table).to_contain_text("双鹤")

    def is_htmx_search(response: Response) -> bool:
        request: Request = response.request
        return "q=" in response.url and request.headers.get("hx-request") == "true"

    search = page.locator("input[name=q]")
    with page.expect_response(is_htmx_search) as answer:
        # fill() inserts the Chinese text like an IME would, without key events;
        # the key press afterwards gives htmx the keyup it listens for.
        search.fill("振宁")
        search.press("End")
    assert answer.value.status == 200
    # expect() retries until htmx has swapped the table in.
    expect(table).not_to_contain_text("双鹤")
    expect(table).to_contain_text("振宁")
