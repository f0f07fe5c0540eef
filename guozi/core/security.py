"""Sign-in protection (GB/T 22239-2019 8.1.4.1 a/b; SECURITY.md SEC-AUTH-02/03/04).

- Lockout by username, not by IP (a whole office shares one address): after
  ``LOCKOUT_FAILURES`` consecutive failures the account refuses every sign-in for
  ``LOCKOUT_MINUTES``, counted from the login log, until the time passes or the
  security administrator unlocks it (an ``unlock`` record).
- Accounts of the ``OTP_REQUIRED_ROLES`` need a second factor (TOTP, or a single-use
  backup code) before any page (8.1.4.1 d); wrong codes count toward the same lockout.
- Passwords need three of the four character classes, may not repeat the current one or
  the ``PASSWORD_HISTORY`` before it, and expire after ``PASSWORD_MAX_AGE_DAYS``.
- A session ends ``SESSION_ABSOLUTE_HOURS`` after sign-in however active it is, and
  ``SESSION_COOKIE_AGE`` after its last request (``IdleTimeoutMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core import precompiled
from guozi.core.audit import client_of
from guozi.core.choices import SeparatedRole
from guozi.core.models import LoginRecord, PasswordHistory, User
from guozi.core.scope import grants

#: Login-log events. "login" is a password sign-in; for an account that needs a second
#: factor, a right password is only "password" and the sign-in completes with "otp".
LOGIN, PASSWORD, SECOND_FACTOR, UNLOCK = "login", "password", "otp", "unlock"
#: Failures of these count toward the lockout; a success of one of them ends the count.
_COUNTED = {LOGIN, SECOND_FACTOR}


def failures_since_reset(username: str) -> int:
    """Consecutive failed sign-ins within the lockout window, since the last success or unlock.

    Wrong passwords and wrong second-factor codes count alike. Only a completed sign-in
    (or an unlock) ends the count: a right password alone does not, nor a sign-out,
    so whoever knows the password cannot guess codes forever by signing in again.
    """
    records = LoginRecord.objects.filter(username__iexact=username, timestamp__gte=_window_start()).order_by("-id")
    return _count_failures(records.values_list("event", "success").iterator())


def _window_start() -> Any:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def _count_failures(events: Iterable[tuple[str, bool]]) -> int:
    """Consecutive failures at the head of ``events`` (newest first), as ``failures_since_reset`` counts."""
    count = 0
    for event, success in events:
        if event == UNLOCK or (success and event in _COUNTED):
            break
        if not success and event in _COUNTED:
            count += 1
            if count >= settings.LOCKOUT_FAILURES:
                break
    return count


def is_locked(username: str) -> bool:
    return failures_since_reset(username) >= settings.LOCKOUT_FAILURES


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of ``usernames`` are locked now (lower case), with one query whatever their number.

    The same count as :func:`is_locked`, over the login log of the lockout window only.
    """
    wanted = {name.lower() for name in usernames}
    events: dict[str, list[tuple[str, bool]]] = {}
    records = LoginRecord.objects.filter(timestamp__gte=_window_start()).order_by("-id")
    for username, event, success in records.values_list("username", "event", "success").iterator():
        if username.lower() in wanted:
            events.setdefault(username.lower(), []).append((event, success))
    return {name for name, found in events.items() if _count_failures(found) >= settings.LOCKOUT_FAILURES}


class LockoutBackend(ModelBackend):
    """Django's backend, refusing a locked account even with the right password.

    ``has_perm`` answers as Django's ModelBackend does (the user's own permissions and those of
    all their groups, nothing for an inactive user, all for a superuser), from the permissions
    ``core.scope.grants`` has read with the roles in one query, rather than in two more.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username and is_locked(username):
            # Recorded as a failure like any other: the login log shows the attempt.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: Any) -> User | None:
        """ModelBackend's, the same checks, with the user's organisation read in the same query:
        every page's header names it, one query a page fewer."""
        user = precompiled.user_with_organization(user_id)  # one query compiled once: every request reads it
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _from_grants(user_obj: Any, obj: Any) -> bool:
        return (
            obj is None
            and isinstance(user_obj, User)
            and user_obj.is_active
            and not user_obj.is_superuser
            and user_obj.pk is not None
        )

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if self._from_grants(user_obj, obj):
            return set(grants(user_obj).user_permissions)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if self._from_grants(user_obj, obj):
            return set(grants(user_obj).group_permissions)
        return super().get_group_permissions(user_obj, obj)


def unlock(*, actor: User, username: str, ip: str | None = None) -> None:
    """The security administrator lifts a lockout; the login log records who did.

    三权分立 (8.1.5.3): anyone else is refused, whatever called this (command or page).
    """
    if not actor.holds_duty(SeparatedRole.SECADMIN):
        raise PermissionDenied(_("Only the security administrator unlocks accounts."))
    LoginRecord.objects.create(
        username=username,
        user=User.objects.filter(username__iexact=username).first(),
        event="unlock",
        success=False,
        ip=ip,
        user_agent=f"by {actor.get_username()}",
    )


def second_factor_required(user: Any) -> bool:
    """Whether the account holds one of the ``OTP_REQUIRED_ROLES``."""
    if not settings.OTP_REQUIRED_ROLES or not user.is_authenticated:
        return False
    # From the roles read once per request for the scope (core.scope.grants), not a query of its own.
    return any(code in settings.OTP_REQUIRED_ROLES for code, _scope, _permissions in grants(user).roles)


def record_second_factor(request: HttpRequest, user: User, *, success: bool) -> None:
    """The login log gets every code tried, right or wrong, like a password."""
    ip, agent = client_of(request)
    LoginRecord.objects.create(
        username=user.get_username(), user=user, event=SECOND_FACTOR, success=success, ip=ip, user_agent=agent
    )


class SecondFactorRequiredMiddleware:
    """Until an account of the ``OTP_REQUIRED_ROLES`` has given its code, it reaches nothing else.

    Guarantee: with a password-only session such an account gets the code page (or the
    enrolment page, from there) for every route but sign-out and static files; the API
    answers 401.
    """

    ALLOWED = ("/accounts/otp/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and not user.is_verified()
            and second_factor_required(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Enter your verification code first.")}, status=401)
            target = "/accounts/otp/"
            if request.method == "GET" and request.path != "/":
                target += "?" + urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(target)
        return self.get_response(request)


def password_expired(user: Any) -> bool:
    """Older than ``PASSWORD_MAX_AGE_DAYS`` (0: passwords never expire)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.is_authenticated:
        return False
    changed = user.password_changed_at or user.date_joined
    return bool(timezone.now() - changed > timedelta(days=days))


class PasswordHistoryValidator:
    """Refuses the current password and the ``PASSWORD_HISTORY`` before it (8.1.4.1 a)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        # From the database: the object in hand may already carry the new hash.
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        hashes = [current, *previous_passwords(user)]
        # hashers.check_password without a setter: validating never rewrites a stored hash.
        if any(encoded and check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("You used this password recently: choose one that is not among your last %(n)d.")
                % {"n": settings.PASSWORD_HISTORY + 1},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Not one of your last %(n)d passwords.") % {"n": settings.PASSWORD_HISTORY + 1}


def previous_passwords(user: User) -> list[str]:
    """Hashes of the current password and the ``PASSWORD_HISTORY`` before it, newest first."""
    rows = PasswordHistory.objects.filter(user_id=user.pk).order_by("-id")
    return list(rows.values_list("password", flat=True)[: settings.PASSWORD_HISTORY + 1])


def password_history_add(user: User) -> None:
    """Remember ``user``'s password, just set, and forget the ones beyond the history.

    Called by the services that set a password, inside their transaction.
    """
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).order_by("-id").values_list("pk", flat=True)
    stale = list(keep[settings.PASSWORD_HISTORY + 1 :])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


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


class IdleTimeoutMiddleware:
    """The idle timeout (GB/T 22239-2019 8.1.4.1 b) without writing the session on every request.

    Guarantee: a session ends ``SESSION_COOKIE_AGE`` (30 minutes) after the request that last
    renewed it, and requests renew it at least every ``SESSION_IDLE_REFRESH_SECONDS``: so it
    ends at most 30 minutes after the last request, and at least 30 minutes less the refresh
    interval after it. Two locks hold it: the session row's expiry (Django's session store
    never loads an expired row) and the renewal time kept in the session, checked here.

    Why: Django's ``SESSION_SAVE_EVERY_REQUEST`` made every page, even one that only reads, an
    UPDATE of its session row; on SQLite each waits for the database's one write lock.
    """

    KEY = "guozi_active_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now().timestamp()
        renewed = request.session.get(self.KEY)
        if renewed is not None and now - renewed > settings.SESSION_COOKIE_AGE and request.user.is_authenticated:
            logout(request)
        response = self.get_response(request)
        session = request.session
        if not session.is_empty() and (
            session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_IDLE_REFRESH_SECONDS
        ):
            # Marks the session modified: SessionMiddleware saves it with a new expiry and cookie.
            session[self.KEY] = now
        return response


class PasswordChangeRequiredMiddleware:
    """After an initial or an expired password, every page leads to the password change until it is done."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and (getattr(user, "must_change_password", False) or password_expired(user))
        ):
            return redirect("password_change")
        return self.get_response(request)
