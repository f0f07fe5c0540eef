"""The ledger's search-as-you-type enterprise picker in a real browser: typing shows the scoped
matches, choosing one filters the list (core.forms.LookupSelect, core/guozi.js)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guozi.assets.models import Asset
from guozi.core.models import Organization, User

from .test_login import log_in

pytestmark = pytest.mark.usefixtures("live_demo")


def test_typing_a_name_shows_matches_and_choosing_one_filters_the_ledger(page: Page, live_server: LiveServer) -> None:
    gaotou = Organization.objects.get(short_name="市高投集团")
    log_in(page, live_server, "guoziwei")
    page.goto(f"{live_server.url}/assets/asset/")
    select = page.locator("select[name=enterprise]")
    expect(select.locator("option")).to_have_count(1)  # only 全部: no list of every enterprise

    page.locator("[data-lookup-input]").first.fill("高投")
    matches = page.locator("[data-lookup-results] [data-lookup-id]")
    expect(matches.filter(has_text=gaotou.name)).to_have_count(1)
    expected = Organization.objects.filter(Q(name__contains="高投") | Q(short_name__contains="高投"), kind="enterprise")
    assert sorted(matches.all_text_contents()) == sorted(o.name for o in expected)
    matches.filter(has_text=gaotou.name).click()

    # htmx swaps the table and pushes the filters into the address.
    expect(page).to_have_url(re.compile(rf"/assets/asset/\?.*enterprise={gaotou.pk}"))
    assert parse_qs(urlsplit(page.url).query)["enterprise"] == [str(gaotou.pk)]
    expect(select).to_have_value(str(gaotou.pk))
    expect(page.locator("[data-lookup-results]")).not_to_be_visible()
    below = Organization.objects.descendants(gaotou, include_self=True)  # type: ignore[attr-defined]
    count = Asset.objects.filter(enterprise__in=below).count()
    expect(page.get_by_test_id("record-count")).to_have_text(f"共 {count} 条")


def test_the_picker_offers_nothing_outside_the_users_tree(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "chengfa")
    page.goto(f"{live_server.url}/assets/asset/")
    page.locator("[data-lookup-input]").first.fill("高投")
    results = page.locator("[data-lookup-results]")
    expect(results).to_be_visible()
    expect(results.locator("[data-lookup-id]")).to_have_count(0)
    page.locator("[data-lookup-input]").first.fill("城发")
    expect(results.locator("[data-lookup-id]").first).to_be_visible()
    chengfa = User.objects.get(username="chengfa")
    visible = set(Organization.objects.restrict(chengfa, "view").values_list("name", flat=True))  # type: ignore[attr-defined]
    assert set(results.locator("[data-lookup-id]").all_text_contents()) <= visible


def test_the_census_picker_chooses_an_enterprise_by_typing(page: Page, live_server: LiveServer) -> None:
    """The asset dashboards use the same picker (assets/views/pickers.py): choosing a match
    reloads the census of that enterprise."""
    gaotou = Organization.objects.get(short_name="市高投集团")
    log_in(page, live_server, "guoziwei")
    page.goto(f"{live_server.url}/assets/census/")
    select = page.locator("select[name=enterprise]")
    expect(select.locator("option")).to_have_count(1)  # "everything I may see" alone
    page.locator("[data-lookup-input]").first.fill("高投")
    page.locator("[data-lookup-results] [data-lookup-id]").filter(has_text=gaotou.name).click()
    expect(page).to_have_url(re.compile(rf"/assets/census/\?.*enterprise={gaotou.pk}"))
    expect(page.locator("h1")).to_contain_text(gaotou.short_name)
    expect(select).to_have_value(str(gaotou.pk))
