"""Writes to user accounts and their roles."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, record_change, snapshot, update_object
from guozi.core.choices import ChangeAction
from guozi.core.models import Role, User
from guozi.core.security import password_history_add
from guozi.core.services.access import ensure_in_scope


def _check_separated_duties(roles: Iterable[Role]) -> None:
    """No account may combine system, security and audit administration (三权分立)."""
    duties = {role.separated_duty for role in roles if role.separated_duty}
    if len(duties) > 1:
        raise ValidationError({"roles": _("System, security and audit administration cannot be combined.")})


def _role_codes(user: User) -> list[str]:
    return sorted(user.roles.values_list("code", flat=True))


def user_create(
    *,
    actor: User | None,
    origin: Origin,
    data: Mapping[str, Any],
    password: str,
    roles: Iterable[Role] = (),
    initial_password: bool = True,
) -> User:
    """Create an account. ``actor=None`` only for the very first account, which records itself.

    The password an administrator sets is an initial one: the person must change it at
    their first sign-in (GB/T 22239-2019 8.1.4.2 b). Only the demo passes ``initial_password=False``.
    """
    roles = list(roles)
    _check_separated_duties(roles)
    user = User(**data)
    if actor is not None:
        ensure_in_scope(actor, user, "add")
    elif User.objects.exists():
        raise PermissionDenied("Only the first account may be created without an acting user.")
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = initial_password
    user.password_changed_at = timezone.now()
    with transaction.atomic():
        user.full_clean()
        user.save(force_insert=True)
        user.groups.set(roles)
        password_history_add(user)
        record_change(
            actor=actor or user,
            origin=origin,
            action=ChangeAction.CREATE,
            instance=user,
            before=None,
            after={**snapshot(user), "roles": _role_codes(user)},
        )
    return user


def user_update(*, actor: User, origin: Origin, user: User, data: Mapping[str, Any]) -> User:
    ensure_in_scope(actor, user, "change")
    with transaction.atomic():
        updated = update_object(actor=actor, origin=origin, instance=user, data=data)
        # Moving a user into a foreign organisation is refused, and rolled back.
        ensure_in_scope(actor, updated, "change")
    return updated


def user_set_roles(*, actor: User, origin: Origin, user: User, roles: Iterable[Role]) -> None:
    roles = list(roles)
    ensure_in_scope(actor, user, "change")
    _check_separated_duties(roles)
    with transaction.atomic():
        before = {"roles": _role_codes(user)}
        user.groups.set(roles)
        after = {"roles": _role_codes(user)}
        if before != after:
            record_change(
                actor=actor, origin=origin, action=ChangeAction.UPDATE, instance=user, before=before, after=after
            )


def user_password_change(*, actor: User, origin: Origin, user: User, password: str) -> User:
    """A person sets their own password; the change log records that it changed, never the value.

    The new password may not be a recent one (``PasswordHistoryValidator``); it enters the
    history and restarts the ``PASSWORD_MAX_AGE_DAYS`` clock in the same transaction.
    """
    if actor.pk != user.pk:
        raise PermissionDenied(_("Only the account's owner changes its password here."))
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        password_history_add(user)
        record_change(
            actor=actor,
            origin=origin,
            action=ChangeAction.UPDATE,
            instance=user,
            # Placeholders, never the password: the change log must not hold it (8.1.4.10 a).
            before={"password": "（旧密码）"},  # nosec B105 # a placeholder label
            after={"password": "（新密码）"},  # nosec B105 # a placeholder label
        )
    return user


def users_disable_inactive(*, actor: User, origin: Origin, days: int, today: datetime) -> list[User]:
    """Disable accounts unused for ``days`` (never used: counted from when they were created), ending their sessions.

    GB/T 22239-2019 8.1.4.2 c: 及时删除或停用多余、过期账户.
    """
    cutoff = today - timedelta(days=days)
    stale = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    disabled = []
    for user in stale:
        disabled.append(user_update(actor=actor, origin=origin, user=user, data={"is_active": False}))
        end_sessions(user)
    return disabled


def end_sessions(user: User) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gte=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
