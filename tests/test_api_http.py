"""The API over real HTTP: a live server on 127.0.0.1, a session login, JSON in and out."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from guozi.core.choices import ChangeSource
from guozi.core.models import ChangeRecord, Organization

pytestmark = pytest.mark.usefixtures("live_demo")


class Session:
    """A browser-like HTTP client: cookies, CSRF token, JSON."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self, username: str, password: str = "Guozi@2025") -> None:
        self.opener.open(self.base + "/accounts/login/")
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()})
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=form.encode(), headers={"Referer": self.base + "/accounts/login/"}
        )
        self.opener.open(request)
        assert any(c.name == "sessionid" for c in self.jar), "login failed"

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """Status and JSON body; the answer's headers are kept in ``self.headers``."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Referer": self.base + "/", **(headers or {})}
        if any(c.name == "csrftoken" for c in self.jar):
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request) as response:
                self.headers = response.headers
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            self.headers = error.headers
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode()


@pytest.fixture
def chengfa(live_server: Any) -> Session:
    session = Session(live_server.url)
    session.login("chengfa")
    return session


def test_anonymous_api_calls_get_401(live_server: Any) -> None:
    status, _ = Session(live_server.url).call("GET", "/api/organizations")
    assert status == 401


def test_enterprise_lists_its_own_tree_only(chengfa: Session) -> None:
    status, body = chengfa.call("GET", "/api/organizations")
    assert status == 200
    assert {item["short_name"] for item in body["items"]} == {"市城发集团", "振宁押运", "双鹤驾校", "城发绿能"}


def test_foreign_objects_answer_404_to_every_method(chengfa: Session) -> None:
    gaotou = Organization.objects.get(short_name="市高投集团")
    for method, body in [("GET", None), ("PATCH", {"region": "x"}), ("DELETE", None)]:
        status, _ = chengfa.call(method, f"/api/organizations/{gaotou.pk}", body)
        assert status == 404, method
    assert Organization.objects.get(pk=gaotou.pk).region == "咸宁高新区"


def test_a_foreign_parent_in_the_body_is_refused(chengfa: Session) -> None:
    gaotou = Organization.objects.get(short_name="市高投集团")
    status, body = chengfa.call(
        "POST", "/api/organizations", {"name": "越权子公司", "kind": "enterprise", "parent_id": gaotou.pk}
    )
    assert status == 422
    assert "parent_id" in body["detail"]
    assert not Organization.objects.filter(name="越权子公司").exists()


def test_an_edit_through_the_api_is_recorded_as_such(chengfa: Session) -> None:
    own = Organization.objects.get(short_name="城发绿能")
    status, body = chengfa.call("PATCH", f"/api/organizations/{own.pk}", {"region": "咸安区", "version": own.version})
    assert status == 200
    assert body["region"] == "咸安区"
    record = ChangeRecord.objects.latest("id")
    assert (record.actor_name, record.source, record.ip) == ("chengfa", ChangeSource.API, "127.0.0.1")
    assert (record.before["region"], record.after["region"]) == ("咸宁市", "咸安区")


def test_invalid_values_get_422_and_write_nothing(chengfa: Session) -> None:
    own = Organization.objects.get(short_name="城发绿能")
    status, _ = chengfa.call("PATCH", f"/api/organizations/{own.pk}", {"kind": "bank"})
    assert status == 422
    status, body = chengfa.call("PATCH", f"/api/organizations/{own.pk}", {"name": ""}, {"If-Match": f'"{own.version}"'})
    assert status == 422
    assert "name" in body["detail"]
    assert Organization.objects.get(pk=own.pk).name == own.name


def test_openapi_document_lists_the_routes(chengfa: Session) -> None:
    status, body = chengfa.call("GET", "/api/openapi.json")
    assert status == 200
    assert "/api/organizations/{pk}" in body["paths"]


def test_two_clients_editing_one_record_the_second_gets_412_and_nothing_is_lost(live_server: Any) -> None:
    """REL-LOCK-01 over real HTTP: ETag on read, If-Match on write (RFC 9110 §13.1.1, RFC 6585 §3)."""
    own = Organization.objects.get(short_name="城发绿能")
    start = own.version
    url = f"/api/organizations/{own.pk}"
    first, second = Session(live_server.url), Session(live_server.url)
    first.login("chengfa")
    second.login("chengfa")
    first.call("GET", url)
    second.call("GET", url)
    etag = first.headers["ETag"]
    assert etag == second.headers["ETag"] == f'"{own.version}"'
    status, _ = first.call("PATCH", url, {"region": "咸安区"}, {"If-Match": etag})
    assert (status, first.headers["ETag"]) == (200, f'"{own.version + 1}"')
    status, body = second.call("PATCH", url, {"short_name": "绿能公司"}, {"If-Match": etag})
    assert status == 412
    # A write that does not say which version it overwrites is refused too.
    status, _ = second.call("PATCH", url, {"short_name": "绿能公司"})
    assert status == 428
    own.refresh_from_db()
    assert (own.region, own.short_name, own.version) == ("咸安区", "城发绿能", start + 1)
    updates = ChangeRecord.objects.filter(content_type__model="organization", object_id=str(own.pk), action="update")
    assert updates.count() == 1
    # Reading again gives the new tag, and with it the second client's edit goes through.
    second.call("GET", url)
    status, body = second.call("PATCH", url, {"short_name": "绿能公司"}, {"If-Match": second.headers["ETag"]})
    assert (status, body["region"], body["short_name"]) == (200, "咸安区", "绿能公司")
