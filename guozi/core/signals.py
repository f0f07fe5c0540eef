"""Hooks into Django's own signals: login records and the SQLite append-only guard.

No business logic lives here: these only observe authentication and connections.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest

from guozi.core import appendonly
from guozi.core.audit import client_of
from guozi.core.models import LoginRecord, User
from guozi.core.security import LOGIN, PASSWORD, second_factor_required


@receiver(user_logged_in)
def _record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    ip, agent = client_of(request)
    # A right password is half a sign-in for an account that needs a second factor:
    # it must not end the count of failures toward the lockout (security.failures_since_reset).
    event = PASSWORD if second_factor_required(user) else LOGIN
    LoginRecord.objects.create(
        username=user.get_username(), user=user, event=event, success=True, ip=ip, user_agent=agent
    )


@receiver(user_logged_out)
def _record_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    ip, agent = client_of(request)
    LoginRecord.objects.create(
        username=user.get_username(), user=user, event="logout", success=True, ip=ip, user_agent=agent
    )


@receiver(user_login_failed)
def _record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    ip, agent = client_of(request)
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username__iexact=username).first()
    LoginRecord.objects.create(username=username, user=user, event="login", success=False, ip=ip, user_agent=agent)


@receiver(connection_created)
def _register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        appendonly.register_sqlite_function(connection.connection)
