"""Browser-side hardening on every kind of response: CSP, nosniff, framing, referrer, no caching (SEC-WEB-01)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from guozi.core.testing import client_for, org

pytestmark = pytest.mark.usefixtures("demo_world")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_hardened(response: object, *, cached: bool = False) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    # No inline or evaluated script, from anywhere but Guozi's own origin.
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    if not cached:
        # 8.1.4.10 b: nothing with business data stays in a browser or proxy cache.
        assert "no-store" in headers["Cache-Control"]


#: (who, path, status): a page, a dashboard, a list, a detail, an export, the API, 404s. ``{mine}``
#: is chengfa's own organisation.
SAMPLE_ROUTES = [
    ("", "login", 200),
    ("", "/no/such/page/", 404),
    ("chengfa", "home", 200),
    ("ducha", "supervision:dashboard", 200),
    ("chengfa", "core:organization_list", 200),
    ("chengfa", "/core/organization/{mine}/", 200),
    ("chengfa", "core:organization_export", 200),
    ("chengfa", "/api/organizations", 200),
    ("chengfa", "/api/organizations/{mine}", 200),
    ("chengfa", "/api/organizations/999999", 404),
    ("chengfa", "/no/such/page/", 404),
    ("", "/api/organizations", 401),
]


@pytest.mark.parametrize(("who", "route", "status"), SAMPLE_ROUTES)
def test_every_kind_of_response_carries_the_hardening_headers(who: str, route: str, status: int) -> None:
    path = route.format(mine=org("市城发集团").pk) if route.startswith("/") else reverse(route)
    client = client_for(who) if who else Client()
    response = client.get(path)
    assert response.status_code == status, path
    assert_hardened(response)


def test_an_htmx_fragment_and_a_form_post_are_hardened_too() -> None:
    client = client_for("chengfa")
    fragment = client.get(reverse("core:organization_list"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert_hardened(fragment)
    login = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert_hardened(login)


def test_static_files_carry_the_policy_but_keep_their_caching() -> None:
    response = Client().get(settings.STATIC_URL + "core/guozi.js")
    assert response.status_code == 200
    assert_hardened(response, cached=True)
    assert "no-store" not in response.headers.get("Cache-Control", "")


class InlineScriptFinder(HTMLParser):
    """Script the policy would block: inline <script>, on* handler attributes, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith(("on", "hx-on")) or (value or "").strip().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value!r}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("", "login"),
        ("chengfa", "home"),
        ("ducha", "supervision:dashboard"),
        ("guoziwei", "funds:charts"),
        ("guoziwei", "funds:pipeline"),
        ("chengfa", "assets:census"),
        ("chengfa", "assets:revitalization_overview"),
        ("chengfa", "assets:finance"),
        ("chengfa", "assets:import"),
        ("chengfa", "core:organization_list"),
    ],
)
def test_pages_hold_no_script_the_policy_would_block(who: str, url_name: str) -> None:
    """Under the CSP an inline script would silently not run: the page would break in the browser."""
    client = client_for(who) if who else Client()
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    finder = InlineScriptFinder()
    finder.feed(response.content.decode())
    assert finder.found == []
