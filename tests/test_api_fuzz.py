"""Every API operation, fuzzed from the OpenAPI document, as each kind of user (SEC-API-01, SEC-INP-01).

schemathesis generates requests (valid and invalid paths, queries and bodies) from the
document Ninja publishes at /api/openapi.json and sends them in-process to the WSGI
application with a real session cookie and CSRF token. Every answer must not be a server
error, and an answer the document describes must match its schema. Writes stay inside
the test's transaction and are rolled back.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from guozi.api import api
from guozi.core.testing import user

pytestmark = [pytest.mark.api_fuzz, pytest.mark.usefixtures("demo_world")]

#: The supervision office, an enterprise, the SASAC, the system administrator.
ROLES = ["ducha", "chengfa", "guoziwei", "sysadmin"]
#: Examples per operation and role: 55 operations × 4 roles × 12 = 2640 requests, about a
#: minute on two busy cores. Raise locally (GUOZI_FUZZ_EXAMPLES) for a deeper run.
EXAMPLES = int(os.environ.get("GUOZI_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def in_process_wsgi() -> Any:
    """Django's WSGI handler in this thread, inside the test's transaction.

    The handler closes "old" connections at the start and end of a request; inside the
    test's transaction that would close the connection under it, so (like Django's test
    client) the hook is off while the fuzzer runs.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def session_for(username: str) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a signed-in browser: session cookie, CSRF cookie and header."""
    client = Client()
    client.force_login(user(username))
    token = secrets.token_urlsafe(24)[:32].ljust(32, "x")
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.CSRF_COOKIE_NAME] = token
    return cookies, {"X-CSRFToken": token, "Referer": "http://localhost/"}


def fuzz_operation(operation: Any, cookies: dict[str, str], headers: dict[str, str], count: Callable[[], None]) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: CI failures reproduce locally
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        count()
        response = case.call(cookies=cookies, headers=headers)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
        )

    run()


@pytest.mark.parametrize("username", ROLES)
def test_every_operation_answers_without_a_server_error(
    username: str, in_process_wsgi: Any, record_property: Callable[[str, object], None]
) -> None:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = in_process_wsgi
    cookies, headers = session_for(username)
    cases = 0

    def count() -> None:
        nonlocal cases
        cases += 1

    operations = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operation.app = in_process_wsgi
        operations += 1
        try:
            fuzz_operation(operation, cookies, headers, count)
        except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported, not the first only
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:2000]}")
    record_property("api_fuzz_operations", operations)
    record_property("api_fuzz_cases", cases)
    print(f"api fuzz as {username}: {operations} operations, {cases} cases, {len(failures)} failing")  # noqa: T201
    assert operations >= 50, "the OpenAPI document lost operations"
    assert failures == [], "\n\n".join(failures)


# --- what the fuzzer found, pinned ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/organizations?page=2432902008176640001", None),  # OFFSET beyond 64 bits
        ("get", "/api/financial-snapshots?year=-499598", None),  # no such date
        ("get", "/api/revitalizations?year=10000", None),
        ("get", "/api/asset-transfers?year=0", None),
        ("patch", "/api/organizations/{mine}", {"short_name": None}),  # NULL into a NOT NULL column
    ],
)
def test_inputs_the_fuzzer_found_are_refused_as_422_not_500(method: str, path: str, body: object) -> None:
    from guozi.core.testing import client_for, org

    client = client_for("guoziwei")
    url = path.format(mine=org("市城发集团").pk)
    # If-Match: * so that the write reaches validation (without it, 428 comes first).
    send = getattr(client, method)
    response = send(url, body, content_type="application/json", HTTP_IF_MATCH="*") if body else client.get(url)
    assert response.status_code == 422, response.content


@pytest.mark.parametrize("body", [{"region": "a\x00b"}, {"name": ["x", {"y": "\x00"}]}, {"\x00": 1}])
def test_a_nul_character_in_a_body_is_refused_before_it_reaches_postgresql(body: object) -> None:
    """PostgreSQL text cannot hold NUL: on the PostgreSQL run these were 500s."""
    from guozi.core.testing import client_for, org

    url = f"/api/organizations/{org('市城发集团').pk}"
    response = client_for("guoziwei").patch(url, body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_an_id_beyond_64_bits_is_not_found() -> None:
    from guozi.core.testing import client_for

    assert client_for("guoziwei").get(f"/api/organizations/{2**70}").status_code == 404


def test_no_two_response_schemas_share_a_name() -> None:
    """Ninja names a schema's OpenAPI component after its class: two ``ChangeOut`` classes made the
    document describe financial-comparison's figures with the enterprises' schema (found by the fuzzer)."""
    from ninja import Schema

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in [direct, *subclasses(direct)]]

    ours: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        if cls.__module__.startswith("guozi.") and cls.__name__ != "Input":
            ours.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: modules for name, modules in ours.items() if len(modules) > 1} == {}
