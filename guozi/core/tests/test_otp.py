"""The second factor (GB/T 22239-2019 8.1.4.1 d): TOTP after the password for the administrators."""

import re
import runpy
from binascii import unhexlify
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

import guozi.settings
from guozi.core.changes import COMMAND, snapshot
from guozi.core.models import ChangeRecord, LoginRecord
from guozi.core.security import SecondFactorRequiredMiddleware, is_locked
from guozi.core.services.second_factor import backup_code_digest, second_factor_reset
from guozi.core.testing import client_for, user
from guozi.core.views.second_factor import pending_key

pytestmark = pytest.mark.usefixtures("demo_world")

PASSWORD = "Guozi@2025"
SETTINGS = str(Path(guozi.settings.__file__))


def sign_in(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or a step later: a code is good once)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def bind(username: str) -> tuple[TOTPDevice, list[str]]:
    """Enrol through the pages, as the person does; returns the device and the backup codes."""
    client = sign_in(username)
    client.get("/accounts/otp/enrol/")
    key = pending_key(client.session, user(username))
    assert key is not None
    response = client.post("/accounts/otp/enrol/", {"token": f"{totp(unhexlify(key)):06d}"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    return TOTPDevice.objects.get(user=user(username)), codes


def paths() -> list[str]:
    """Every page and API route without an object id (those behind one answer the same way)."""
    found = []
    for pattern in _walk(get_resolver().url_patterns):
        if "<" not in pattern and not pattern.startswith(SecondFactorRequiredMiddleware.ALLOWED):
            found.append(pattern)
    assert len(found) > 20
    return found


def _walk(patterns: list[Any], prefix: str = "/") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_an_administrator_without_the_code_reaches_no_page(username: str) -> None:
    bind(username)
    client = sign_in(username)
    for path in paths():
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/otp/"), path
    # POSTs too: nothing is written with half a sign-in.
    assert client.post("/core/organization/add/", {"name": "x"}).status_code == 302


def test_without_a_device_the_administrator_is_sent_to_enrol() -> None:
    client = sign_in("auditor")
    assert client.get("/core/changerecord/")["Location"].startswith("/accounts/otp/")
    assert client.get("/accounts/otp/")["Location"] == "/accounts/otp/enrol/"


def test_enrolment_end_to_end() -> None:
    client = sign_in("secadmin")
    page = client.get("/accounts/otp/enrol/").content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    key = pending_key(client.session, user("secadmin"))
    assert key is not None
    wrong = client.post("/accounts/otp/enrol/", {"token": "000000" if totp(unhexlify(key)) else "111111"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=user("secadmin")).exists()
    done = client.post("/accounts/otp/enrol/", {"token": f"{totp(unhexlify(key)):06d}"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert 'href="/"' in done.content.decode()  # "continue" leads home
    assert done["Cache-Control"].startswith("max-age=0")  # never_cache: codes not kept by the browser
    assert client.get("/").status_code == 200  # signed in with both factors
    assert TOTPDevice.objects.get(user=user("secadmin")).confirmed
    # The change log says a device was bound, and holds neither the key nor a code.
    record = ChangeRecord.objects.filter(object_id=str(user("secadmin").pk)).latest("id")
    assert record.after["second_factor"] == "（已绑定动态口令）"
    assert key not in str(record.before) + str(record.after)
    assert not any(c in str(record.after) for c in codes)
    # A second enrolment (a password thief replacing the device) is refused.
    again = sign_in("secadmin")
    assert again.get("/accounts/otp/enrol/")["Location"] == "/accounts/otp/"


def test_the_right_code_lets_the_administrator_in_once() -> None:
    device, _ = bind("sysadmin")
    client = sign_in("sysadmin")
    assert client.get("/core/user/")["Location"] == "/accounts/otp/?next=/core/user/"
    right = code(device, steps_ahead=1)  # the enrolment used the current step
    response = client.post("/accounts/otp/?next=/core/user/", {"token": right, "next": "/core/user/"})
    assert response["Location"] == "/core/user/"
    assert client.get("/core/user/").status_code == 200
    assert client.get("/api/me").status_code == 200
    # The same code again, in another session: refused (replay, RFC 6238 §5.2).
    other = sign_in("sysadmin")
    assert other.post("/accounts/otp/", {"token": right}).status_code == 200
    assert other.get("/").status_code == 302
    events = list(LoginRecord.objects.filter(username="sysadmin").values_list("event", "success"))
    assert ("otp", True) in events
    assert ("otp", False) in events


def test_wrong_codes_count_toward_the_lockout() -> None:
    bind("auditor")
    client = sign_in("auditor")
    for _ in range(2):
        client.post("/accounts/otp/", {"token": "12345x"})
    # Signing in again with the right password does not clear the count.
    client = sign_in("auditor")
    for _ in range(2):
        client.post("/accounts/otp/", {"token": "000000"})
    assert not is_locked("auditor")
    response = client.post("/accounts/otp/", {"token": "999999"})
    assert is_locked("auditor")
    # The fifth failure ends the session; the password is refused too: one lock for both factors.
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    locked = Client()
    locked.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    assert "_auth_user_id" not in locked.session


def test_a_locked_account_cannot_finish_a_sign_in_begun_before() -> None:
    device, _ = bind("auditor")
    client = sign_in("auditor")
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "auditor", "password": "wrong"})
    response = client.post("/accounts/otp/", {"token": code(device, steps_ahead=1)})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_and_wrong_codes_add_up() -> None:
    bind("secadmin")
    for _ in range(3):
        Client().post("/accounts/login/", {"username": "secadmin", "password": "wrong"})
    client = sign_in("secadmin")
    client.post("/accounts/otp/", {"token": "000001"})
    assert not is_locked("secadmin")
    client.post("/accounts/otp/", {"token": "000002"})
    assert is_locked("secadmin")


def test_a_backup_code_works_once() -> None:
    _, codes = bind("sysadmin")
    client = sign_in("sysadmin")
    assert client.post("/accounts/otp/", {"token": codes[0].upper()})["Location"] == "/"
    assert client.get("/core/user/").status_code == 200
    again = sign_in("sysadmin")
    assert again.post("/accounts/otp/", {"token": codes[0]}).status_code == 200  # refused: used up
    assert again.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=user("sysadmin")).count() == 9


def test_everyday_accounts_are_not_asked_for_a_code() -> None:
    for username in ["ducha", "guoziwei", "chengfa", "lingdao"]:
        client = sign_in(username)
        assert client.get("/").status_code == 200, username
        assert client.get("/accounts/otp/")["Location"] == "/", username
        assert client.get("/accounts/otp/enrol/")["Location"] == "/", username
    assert set(LoginRecord.objects.filter(username="chengfa").values_list("event", flat=True)) == {"login"}


def test_only_the_security_administrator_resets_a_device() -> None:
    bind("auditor")
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=user("sysadmin"), origin=COMMAND, user=user("auditor"))
    with pytest.raises(CommandError):
        call_command("otp_reset", "auditor", "--actor", "sysadmin")
    call_command("otp_reset", "auditor", "--actor", "secadmin")
    assert not TOTPDevice.objects.filter(user=user("auditor")).exists()
    assert not StaticToken.objects.filter(device__user=user("auditor")).exists()
    record = ChangeRecord.objects.filter(object_id=str(user("auditor").pk)).latest("id")
    assert (record.actor_name, record.after) == ("secadmin", {"second_factor": "（未绑定）"})
    # At the next sign-in the auditor binds a new device.
    assert sign_in("auditor").get("/accounts/otp/")["Location"] == "/accounts/otp/enrol/"


def test_device_secrets_never_reach_a_snapshot() -> None:
    device, _ = bind("secadmin")
    token = StaticToken.objects.filter(device__user=user("secadmin")).first()
    assert "key" not in snapshot(device)
    assert "token" not in snapshot(token)  # type: ignore[arg-type]


def test_client_for_gives_the_second_factor_for_tests() -> None:
    assert client_for("auditor").get("/core/changerecord/").status_code == 200


@override_settings(OTP_REQUIRED_ROLES=[])
def test_level_two_asks_no_administrator_for_a_code() -> None:
    assert sign_in("sysadmin").get("/core/user/").status_code == 200


def test_security_level_two_relaxes_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ["SECURITY_LEVEL", "OTP_REQUIRED_ROLES", "PASSWORD_MAX_AGE_DAYS", "PASSWORD_HISTORY"]:
        monkeypatch.delenv(name, raising=False)
    level3 = runpy.run_path(SETTINGS)
    assert level3["OTP_REQUIRED_ROLES"] == ["sysadmin", "secadmin", "auditor"]
    assert (level3["PASSWORD_MAX_AGE_DAYS"], level3["PASSWORD_HISTORY"]) == (90, 5)
    monkeypatch.setenv("SECURITY_LEVEL", "2")
    level2 = runpy.run_path(SETTINGS)
    assert (level2["OTP_REQUIRED_ROLES"], level2["PASSWORD_MAX_AGE_DAYS"]) == ([], 0)
    monkeypatch.setenv("OTP_REQUIRED_ROLES", "secadmin")  # each control's variable wins over the level
    assert runpy.run_path(SETTINGS)["OTP_REQUIRED_ROLES"] == ["secadmin"]
    monkeypatch.setenv("SECURITY_LEVEL", "4")
    with pytest.raises(Exception, match="SECURITY_LEVEL"):
        runpy.run_path(SETTINGS)


def test_backup_codes_are_kept_as_salted_digests_only() -> None:
    _, codes = bind("sysadmin")
    stored = set(StaticToken.objects.filter(device__user=user("sysadmin")).values_list("token", flat=True))
    assert len(codes) == len(stored) == 10
    assert not stored & set(codes)  # no code in the database
    assert stored == {backup_code_digest(user("sysadmin").pk, c) for c in codes}
    # Salted by the account: the same code is another digest on another account.
    assert backup_code_digest(user("secadmin").pk, codes[0]) != backup_code_digest(user("sysadmin").pk, codes[0])


def test_the_migration_hashes_codes_kept_in_plain() -> None:
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    bind("sysadmin")
    token = StaticToken.objects.filter(device__user=user("sysadmin")).first()
    assert token is not None
    StaticToken.objects.filter(pk=token.pk).update(token="abcd2345")  # as kept before this release
    migration = importlib.import_module("guozi.core.migrations.0014_hash_backup_codes")
    migration.hash_codes(apps, SimpleNamespace(connection=connection))
    assert StaticToken.objects.get(pk=token.pk).token == backup_code_digest(user("sysadmin").pk, "abcd2345")
    assert sign_in("sysadmin").post("/accounts/otp/", {"token": "ABCD 2345"})["Location"] == "/"
