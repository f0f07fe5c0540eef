"""Writes to user accounts and their roles."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, record_change, snapshot, update_object
from guozi.core.choices import ChangeAction
from guozi.core.models import Role, User
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
) -> User:
    """Create an account. ``actor=None`` only for the very first account, which records itself."""
    roles = list(roles)
    _check_separated_duties(roles)
    user = User(**data)
    if actor is not None:
        ensure_in_scope(actor, user, "add")
    elif User.objects.exists():
        raise PermissionDenied("Only the first account may be created without an acting user.")
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        user.save(force_insert=True)
        user.groups.set(roles)
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
