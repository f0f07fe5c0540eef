"""Data scope: the one mechanism that decides which rows a user may see or touch.

Every scoped model's default manager has ``restrict(user, action)``. Views (through
``ScopedObjectMixin``) and the API (through ``guozi.core.api.scoped``) call it before
any other code runs, so a row outside the user's scope behaves exactly like a row
that does not exist: it is absent from lists and answers 404 on its own.

Guarantee: ``restrict`` returns only rows that (1) one of the user's roles grants
``<app>.<action>_<model>`` on and (2) lie within the widest data scope among those
roles: all organisations, the user's organisation and its descendants, the user's
organisation, or rows the user owns. Anonymous and inactive users get nothing.

A model may name further paths in ``scope_read_also`` that open a row for reading
only: a target task is read by its partner units, but changed by its lead unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from guozi.core.choices import SCOPE_ORDER, DataScope

if TYPE_CHECKING:
    from guozi.core.models import User

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def _role_grants(user: User) -> list[tuple[str, frozenset[str]]]:
    """(scope, permission names) per role of the user, read once per user object."""
    cached: list[tuple[str, frozenset[str]]] | None = getattr(user, "_guozi_role_grants", None)
    if cached is None:
        from guozi.core.models import Role

        roles = list(Role.objects.filter(user=user).prefetch_related("permissions__content_type"))
        cached = [
            (
                role.scope,
                frozenset(f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()),
            )
            for role in roles
        ]
        user.__dict__["_guozi_role_grants"] = cached
        user.__dict__["_guozi_duties"] = frozenset(role.separated_duty for role in roles if role.separated_duty)
    return cached


def holds_duty(user: Any, duty: str) -> bool:
    """Whether the active, signed-in ``user`` holds one of the administrators' duties (三权分立).

    Read with the roles' grants (one query per user object), so a menu or a page can
    ask on every request without a query of its own. ``User.holds_duty`` asks the
    database afresh; services use that.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    _role_grants(user)
    return duty in user.__dict__["_guozi_duties"]


def scope_for(user: Any, model: type[models.Model], action: str) -> DataScope | None:
    """The widest scope in which ``user`` may perform ``action`` on ``model``, or None."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    wanted = permission_name(model, action)
    granted = {scope for scope, perms in _role_grants(user) if wanted in perms}
    for scope in SCOPE_ORDER:
        if scope in granted:
            return scope
    return None


def organization_ids(user: User, scope: DataScope) -> list[int]:
    """The organisations ``scope`` opens to ``user`` (empty without an organisation)."""
    if user.organization_id is None:
        return []
    if scope == DataScope.OWN:
        return [user.organization_id]
    cache: dict[str, list[int]] = user.__dict__.setdefault("_guozi_subtree", {})
    if "ids" not in cache:
        from guozi.core.models import Organization

        cache["ids"] = list(
            Organization.objects.descendants(user.organization_id, include_self=True).values_list("pk", flat=True)
        )
    return cache["ids"]


def scope_q(user: Any, model: type[models.Model], action: str) -> Q | None:
    """The filter that ``restrict`` applies; None means "nothing at all"."""
    q = _organisation_q(user, model, action)
    label = getattr(model, "scope_label", None)
    if q is None or label is None:
        return q
    # Security labels (8.1.4.2 g): a labelled row above the user's clearance does not exist for them.
    return q & Q(**{f"{label}__lte": user.clearance})


def _organisation_q(user: Any, model: type[models.Model], action: str) -> Q | None:
    scope = scope_for(user, model, action)
    if scope is None:
        return None
    if scope == DataScope.ALL:
        return Q()
    if scope == DataScope.SELF:
        owner = getattr(model, "scope_owner", None)
        return Q(**{owner: user.pk}) if owner else None
    ids = organization_ids(user, scope)
    path = model.scope_organization  # type: ignore[attr-defined]
    q = Q(**{f"{path}__in": ids})
    if action == "view":
        for extra in getattr(model, "scope_read_also", ()):
            # A subquery, not a join: a many-to-many path would repeat rows.
            q |= Q(pk__in=model._default_manager.filter(**{f"{extra}__in": ids}).values("pk"))
    return q


def whole_subtrees_q(user: Any, model: type[models.Model], action: str, path: str) -> Q | None:
    """The filter for rows that each stand for an organisation's whole subtree (``path`` leads to
    that organisation): a rollup of ``model``'s rows over the organisation and all below it.

    Guarantee: a row of organisation X passes only if ``restrict(user, action)`` on ``model``
    opens the rows of every organisation in X's subtree; so a rollup never shows a figure made
    of rows its reader may not see. None means "no such row at all".
    """
    if getattr(model, "scope_label", None) is not None:
        return None  # a rollup mixes rows of every label and cannot be cut by clearance
    scope = scope_for(user, model, action)
    if scope is None or scope == DataScope.SELF:
        return None  # rows of one owner never make up an organisation's whole subtree
    if scope == DataScope.ALL:
        return Q()
    ids = organization_ids(user, scope)
    q = Q(**{f"{path}__in": ids})
    if scope == DataScope.SUBTREE:
        return q  # the user's organisation with all its descendants: every subtree in it is whole
    from guozi.core.models import Organization

    # OWN: the user's organisation alone, whose subtree is whole only while it has no subsidiary.
    return q & ~Q(**{f"{path}__in": Organization.objects.filter(parent_id__in=ids).values("parent_id")})


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        q = scope_q(user, self.model, action)
        return self.none() if q is None else self.filter(q)


def owning_organization_id(instance: models.Model) -> int | None:
    """The organisation a row belongs to, following the model's ``scope_organization`` path."""
    path: str | None = getattr(type(instance), "scope_organization", None)
    if path is None:
        return None  # not an organisation's data (roles, say)
    target: Any = instance
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    last = parts[-1]
    if last == "pk":
        return target.pk
    return getattr(target, f"{last}_id", None)


def in_scope(user: Any, instance: models.Model, action: str) -> bool:
    """Whether ``instance`` (saved or not) lies in ``user``'s scope for ``action``.

    Used before a write: a new or changed row must land inside the scope too, so a
    foreign organisation id in a form or API body is refused, and so is a label
    above the user's clearance.
    """
    model = type(instance)
    label = getattr(model, "scope_label", None)
    if label is not None and getattr(instance, label) > user.clearance:
        return False
    scope = scope_for(user, model, action)
    if scope is None:
        return False
    if scope == DataScope.ALL:
        return True
    if scope == DataScope.SELF:
        owner = getattr(model, "scope_owner", None)
        if not owner:
            return False
        owner_id = instance.pk if owner == "pk" else getattr(instance, f"{owner}_id", None)
        return owner_id == user.pk
    return owning_organization_id(instance) in organization_ids(user, scope)
