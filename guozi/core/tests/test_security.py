import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guozi.core.models import ChangeRecord as ChangeRecordModel
from guozi.core.models import LoginRecord
from guozi.core.security import AbsoluteSessionLifetimeMiddleware, IdleTimeoutMiddleware, is_locked

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


def _clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Set the time every session check reads (``timezone.now``) to so many seconds from now."""
    start = timezone.now()

    def at(seconds: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=seconds))

    return at


def _session_writes(client: Client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum(query["sql"].startswith("UPDATE") and "django_session" in query["sql"] for query in queries)


def test_an_idle_session_ends_thirty_minutes_after_its_last_request(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _clock(monkeypatch)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    at(25 * 60)
    assert client.get("/").status_code == 200
    at(54 * 60)  # 29 minutes after the last request, 54 after signing in: the requests renewed it
    assert client.get("/").status_code == 200
    at(84 * 60 + 1)  # 30 minutes and a second after the last request
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not _signed_in(client)


def test_the_session_is_renewed_once_a_minute_not_written_by_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _clock(monkeypatch)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    client.get("/")  # the first page after signing in records the sign-in time (AbsoluteSessionLifetimeMiddleware)
    at(10)
    assert _session_writes(client, "/") == (200, 0)
    at(50)
    assert _session_writes(client, "/core/organization/") == (200, 0)
    at(61)
    assert _session_writes(client, "/") == (200, 1)
    at(90)
    assert _session_writes(client, "/") == (200, 0)


def test_a_request_that_did_not_renew_the_session_still_ends_it_within_thirty_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = _clock(monkeypatch)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    client.get("/")
    at(50)
    assert _session_writes(client, "/") == (200, 0)
    at(50 + 30 * 60 + 1)  # 30 minutes and a second after the last request, which wrote nothing
    assert client.get("/").status_code == 302
    assert not _signed_in(client)


def test_the_renewal_time_in_the_session_ends_it_even_if_its_row_lives_on(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = timezone.now().timestamp() - 30 * 60 - 1
    session.save()  # a fresh expiry on the row: only the renewal time says the session is idle
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_an_initial_password_must_be_changed_at_the_first_sign_in() -> None:
    from guozi.core.changes import COMMAND
    from guozi.core.services.users import user_create
    from guozi.core.testing import org, user

    user_create(
        actor=user("sysadmin"),
        origin=COMMAND,
        data={"username": "newclerk", "organization": org("国资委")},
        password="Initial-Pass-2025",
    )
    client = Client()
    assert sign_in(client, "newclerk", "Initial-Pass-2025")
    response = client.get("/core/organization/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")
    changed = client.post(
        "/accounts/password/",
        {"old_password": "Initial-Pass-2025", "new_password1": "My-Own-Pass-2026", "new_password2": "My-Own-Pass-2026"},
    )
    assert changed.status_code == 302
    assert not user("newclerk").must_change_password
    assert client.get("/").status_code == 200  # still signed in, free to go on
    record = ChangeRecordModel.objects.filter(object_id=str(user("newclerk").pk)).latest("id")
    assert record.after == {"password": "（新密码）"}  # that it changed, never the value


def test_demo_accounts_are_not_forced_to_change() -> None:
    from guozi.core.testing import user

    assert not user("chengfa").must_change_password


def test_unused_accounts_are_disabled_and_their_sessions_end() -> None:
    from django.core.management import call_command

    from guozi.core.testing import user

    client = Client()
    assert sign_in(client, "lingdao", "Guozi@2025")
    lingdao = user("lingdao")
    lingdao.last_login = timezone.now() - timedelta(days=91)
    lingdao.save(update_fields=["last_login"])
    call_command("disable_inactive", "--actor", "sysadmin")
    assert not user("lingdao").is_active
    assert user("chengfa").is_active  # signs in in other tests; date_joined is today
    assert client.get("/").status_code == 302  # the session ended


def _change(client: Client, old: str, new: str) -> int:
    response = client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})
    return response.status_code


def test_a_recent_password_cannot_be_chosen_again() -> None:
    from guozi.core.models import PasswordHistory
    from guozi.core.testing import user

    client = Client()
    assert sign_in(client, "chengfa", "Guozi@2025")
    assert _change(client, "Guozi@2025", "Guozi@2025") == 200  # the current one: refused
    passwords = ["Guozi@2025", *(f"Chengfa-Pass-{n}" for n in range(1, 7))]
    for old, new in itertools.pairwise(passwords):
        assert _change(client, old, new) == 302, new
    # Current: Chengfa-Pass-6; the five before it are refused, the sixth before it is free again.
    for recent in passwords[1:6]:
        assert _change(client, "Chengfa-Pass-6", recent) == 200, recent
    assert PasswordHistory.objects.filter(user=user("chengfa")).count() == 6
    assert _change(client, "Chengfa-Pass-6", "Guozi@2025") == 302


def test_the_history_holds_hashes_only() -> None:
    from guozi.core.models import PasswordHistory
    from guozi.core.testing import user

    entry = PasswordHistory.objects.filter(user=user("chengfa")).latest("id")
    assert entry.password == user("chengfa").password
    assert "Guozi@2025" not in entry.password


def test_an_expired_password_must_be_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    from guozi.core.testing import user

    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    later = timezone.now() + timedelta(days=91)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    for path in ["/", "/core/organization/", "/supervision/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/"), path
    # Chinese whatever the browser asks (ChineseFirstMiddleware): the page says why, with the age.
    assert "您的密码已使用超过 90 天" in client.get("/accounts/password/").content.decode()
    assert _change(client, "Guozi@2025", "Guoziwei-New-2026") == 302
    assert user("guoziwei").password_changed_at == later
    assert client.get("/").status_code == 200


def test_a_password_younger_than_the_maximum_age_is_not_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    later = timezone.now() + timedelta(days=89)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    assert client.get("/").status_code == 200


def test_level_two_lets_passwords_age(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0
    later = timezone.now() + timedelta(days=900)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    client = Client()
    assert sign_in(client, "guoziwei", "Guozi@2025")
    assert client.get("/").status_code == 200


def test_no_account_can_be_a_superuser() -> None:
    """三权分立: neither createsuperuser nor a raw write makes an all-powerful account."""
    from django.db import IntegrityError, transaction

    from guozi.core.models import User

    with pytest.raises(ValueError, match="no superuser"):
        User.objects.create_superuser("root", "root@example.com", "Xq7!pLm2#zK")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(username="sysadmin").update(is_superuser=True)
    assert not User.objects.filter(is_superuser=True).exists()


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    """The test settings use a fast hasher; the production settings must put Argon2 first."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    import guozi.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("Xq7!pLm2#zK", Argon2PasswordHasher().salt()).startswith("argon2$argon2id$")
