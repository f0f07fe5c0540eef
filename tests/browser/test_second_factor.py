"""An administrator's first sign-in in a real browser: password, bind the authenticator, code, in."""

from base64 import b32decode
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_login import PASSWORD


@pytest.mark.usefixtures("live_demo")
def test_an_administrator_binds_an_authenticator_and_signs_in_with_it(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("secadmin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/otp/enrol/")
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    page.screenshot(path=tmp_path / "enrol.png", full_page=True)

    # What the person's phone does with the key on the page.
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    page.locator("input[name=token]").fill(f"{totp(b32decode(secret)):06d}")
    page.locator("button[type=submit]").first.click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.locator("a.btn-primary").click()
    expect(page).to_have_url(f"{live_server.url}/")

    # A new sign-in: the code is asked for before any page; a code is good once, so take the next one.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/core/user/")
    page.get_by_label("用户名").fill("secadmin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/otp/?next=/core/user/")
    page.locator("input[name=token]").fill(f"{totp(b32decode(secret), drift=1):06d}")
    page.locator("button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/core/user/")

    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}, requests
