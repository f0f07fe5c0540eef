"""Sign-in protection (GB/T 22239-2019 8.1.4.1 a/b; SECURITY.md SEC-AUTH-02/03/04).

- Lockout by username, not by IP (a whole office shares one address): after
  ``LOCKOUT_FAILURES`` consecutive failures the account refuses every sign-in for
  ``LOCKOUT_MINUTES``, counted from the login log, until the time passes or the
  security administrator unlocks it (an ``unlock`` record).
- Passwords need three of the four character classes.
- A session ends ``SESSION_ABSOLUTE_HOURS`` after sign-in however active it is; the
  idle timeout is the sliding cookie age in settings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core.models import LoginRecord, User


def failures_since_reset(username: str) -> int:
    """Consecutive failed sign-ins within the lockout window, since the last success or unlock."""
    window_start = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    records = LoginRecord.objects.filter(username__iexact=username, timestamp__gte=window_start).order_by("-id")
    count = 0
    for event, success in records.values_list("event", "success")[: settings.LOCKOUT_FAILURES + 1]:
        if success or event == "unlock":
            break
        if event == "login":
            count += 1
    return count


def is_locked(username: str) -> bool:
    return failures_since_reset(username) >= settings.LOCKOUT_FAILURES


class LockoutBackend(ModelBackend):
    """Django's backend, refusing a locked account even with the right password."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username and is_locked(username):
            # Recorded as a failure like any other: the login log shows the attempt.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def unlock(*, actor: User, username: str, ip: str | None = None) -> None:
    """The security administrator lifts a lockout; the login log records who did."""
    LoginRecord.objects.create(
        username=username,
        user=User.objects.filter(username__iexact=username).first(),
        event="unlock",
        success=False,
        ip=ip,
        user_agent=f"by {actor.get_username()}",
    )


class CharacterClassValidator:
    """At least three of: upper-case letters, lower-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            # Symbols, and letters without case (汉字): a Chinese passphrase counts here.
            any(not (c.isascii() and c.isalnum()) for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("The password needs at least %(n)d of: upper-case letters, lower-case letters, digits, symbols.")
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)d of: upper-case letters, lower-case letters, digits, symbols.") % {
            "n": self.min_classes
        }


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session a fixed time after sign-in, however active it has been."""

    KEY = "guozi_signed_in_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an initial password, every page leads to the password change until it is done."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
        ):
            return redirect("password_change")
        return self.get_response(request)
