from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from guozi.core.models import LoginRecord
from guozi.core.security import AbsoluteSessionLifetimeMiddleware, is_locked

pytestmark = pytest.mark.usefixtures("demo_world")


def sign_in(client: Client, username: str, password: str) -> bool:
    client.post("/accounts/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account_even_with_the_right_password() -> None:
    client = Client()
    for _ in range(4):
        assert not sign_in(client, "chengfa", "wrong")
    assert not is_locked("chengfa")
    assert not sign_in(client, "ChengFa", "wrong")  # usernames count regardless of case
    assert is_locked("chengfa")
    assert not sign_in(client, "chengfa", "Guozi@2025")
    # The same office IP does not lock anyone else out.
    assert sign_in(Client(), "gaotou", "Guozi@2025")


def test_the_lock_lifts_after_thirty_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "chengfa", "wrong")
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert not is_locked("chengfa")
    assert sign_in(Client(), "chengfa", "Guozi@2025")


def test_only_the_security_administrator_unlocks() -> None:
    for _ in range(5):
        sign_in(Client(), "chengfa", "wrong")
    with pytest.raises(CommandError):
        call_command("unlock", "chengfa", "--actor", "sysadmin")
    call_command("unlock", "chengfa", "--actor", "secadmin")
    assert not is_locked("chengfa")
    assert LoginRecord.objects.filter(username="chengfa", event="unlock").exists()
    assert sign_in(Client(), "chengfa", "Guozi@2025")


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Guozi@2025", True),
        ("guozi2025x", False),
        ("GUOZI-2025", True),
        ("abcdefgh", False),
        ("国资委监管平台2025a", True),
    ],
)
def test_passwords_need_three_character_classes(password: str, ok: bool) -> None:
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_a_session_ends_twelve_hours_after_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    assert client.get("/").status_code == 200
    session = client.session
    session[AbsoluteSessionLifetimeMiddleware.KEY] = timezone.now().timestamp() - 12 * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
