"""The Content-Security-Policy in a real browser: charts draw, forms submit, htmx swaps, nothing is blocked."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_login import log_in

pytestmark = pytest.mark.usefixtures("live_demo")

#: Every chart page with the ids of the charts it draws.
CHART_PAGES = [
    ("ducha", "/supervision/dashboard/", ["chart-status", "chart-units"]),
    ("guoziwei", "/funds/charts/", ["chart-kind", "chart-paid"]),
    ("chengfa", "/assets/census/", ["chart-categories", "chart-packages"]),
    ("chengfa", "/assets/revitalization-overview/", ["chart-months"]),
]


@pytest.fixture
def violations(page: Page) -> list[str]:
    """CSP violations and script errors the page reports, as the browser's console and events see them."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            found.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    # securitypolicyviolation events also catch reports the console might word differently.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Refused to load (CSP): ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return found


@pytest.mark.parametrize(("username", "path", "charts"), CHART_PAGES)
def test_charts_draw_under_the_policy(
    page: Page, live_server: LiveServer, violations: list[str], username: str, path: str, charts: list[str]
) -> None:
    log_in(page, live_server, username)
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for chart in charts:
        # ECharts draws into a canvas it creates inside the div: no canvas, no chart.
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()
    # A tooltip is HTML with style attributes: hover the first chart to make one.
    page.locator(f"#{charts[0]} canvas").first.hover()
    page.wait_for_timeout(300)
    assert violations == []


def test_select_boxes_still_submit_their_form(page: Page, live_server: LiveServer, violations: list[str]) -> None:
    log_in(page, live_server, "chengfa")
    page.goto(f"{live_server.url}/assets/census/")
    select = page.locator("select[name=enterprise]")
    value = select.locator("option").nth(1).get_attribute("value")
    assert value
    with page.expect_navigation():
        select.select_option(value)
    assert f"enterprise={value}" in urlsplit(page.url).query
    # The language switch is the same mechanism, on every page.
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert violations == []


def test_htmx_swaps_and_polls_under_the_policy(page: Page, live_server: LiveServer, violations: list[str]) -> None:
    log_in(page, live_server, "chengfa")
    page.goto(f"{live_server.url}/core/organization/")
    table = page.locator("#object-table")

    def is_htmx_search(response: Response) -> bool:
        return "q=" in response.url and response.request.headers.get("hx-request") == "true"

    with page.expect_response(is_htmx_search):
        page.locator("input[name=q]").fill("振宁")
        page.locator("input[name=q]").press("End")
    expect(table).not_to_contain_text("双鹤")
    # htmx's own indicator <style> would be refused; it is switched off in htmx-config.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert violations == []


def test_the_api_documentation_renders_under_the_policy(
    page: Page, live_server: LiveServer, violations: list[str]
) -> None:
    # Not an administrator: those are sent to the second factor first (test_second_factor.py).
    log_in(page, live_server, "guoziwei")
    page.goto(f"{live_server.url}/api/docs")
    # Swagger UI (vendored by django-ninja) draws the operations from /api/openapi.json.
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    assert violations == []
