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

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value

from guozi.core.choices import SCOPE_ORDER, DataScope
from guozi.core.precompiled import Read, compiled
from guozi.core.subtree import Subtree

if TYPE_CHECKING:
    from guozi.core.models import User

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


#: Stands for the user's id in the grants query compiled once (no real user has it).
_ANY_USER = -20_251_127


@functools.cache
def _grants_read(alias: str, vendor: str) -> Read:
    """The grants query, ``_ANY_USER`` standing for the user's id in both its halves.

    Compiled once per process and database (``core.precompiled``): building it through the ORM
    costs four times what running it does, on every request.
    """
    from django.contrib.auth.models import Group, Permission

    # The fields first, the constants last: a union's columns must line up, and Django puts
    # annotations after the fields in the SELECT whatever their place in values_list().
    through_groups = Group.objects.filter(user=_ANY_USER).values_list(
        "permissions__content_type__app_label",
        "permissions__codename",
        "pk",
        "role__code",
        "role__scope",
        "role__separated_duty",
    )
    own = (
        Permission.objects.filter(user=_ANY_USER)
        .annotate(
            group_id=Value(None, output_field=models.BigIntegerField()),
            role_code=Value(None, output_field=models.CharField()),
            role_scope=Value(None, output_field=models.CharField()),
            role_duty=Value(None, output_field=models.CharField()),
        )
        .values_list("content_type__app_label", "codename", "group_id", "role_code", "role_scope", "role_duty")
    )
    # Plain text and ids: nothing to convert, so no columns.
    return compiled(through_groups.order_by().union(own.order_by(), all=True), alias, [_ANY_USER], uses=2)


@dataclass(frozen=True)
class Grants:
    """What the user's roles and permissions allow, read in one query."""

    #: (code, scope, permission names) of each role of the user.
    roles: tuple[tuple[str, str, frozenset[str]], ...]
    #: The permissions of all the user's groups (roles or not), and the user's own: what
    #: Django's ModelBackend reads for ``has_perm`` in two queries more (core.security).
    group_permissions: frozenset[str]
    user_permissions: frozenset[str]
    #: The administrators' duties (三权分立) the user's roles carry.
    duties: frozenset[str] = frozenset()


def grants(user: User) -> Grants:
    """The user's roles with their permissions, and the user's own permissions: one query, read
    once per user object. A request loads its user once, so this is once per request.

    Guarantee: nothing is kept between requests, so a role granted, revoked or changed takes
    effect from the next request on.
    """
    # getattr and setattr, not __dict__: request.user is a lazy object whose attributes are the
    # user's, and templates reach the user itself (``perms``), not the wrapper.
    cached: Grants | None = getattr(user, "_guozi_grants", None)
    if cached is not None:
        return cached
    from django.contrib.auth.models import Permission
    from django.db import connections, router

    alias = router.db_for_read(Permission)  # the primary always (core.routers: PRIMARY_ONLY_APPS)
    found = _grants_read(alias, connections[alias].vendor).rows(alias, user.pk)
    roles: dict[int, tuple[str, str, set[str]]] = {}
    of_groups: set[str] = set()
    of_user: set[str] = set()
    duties: set[str] = set()
    for app_label, codename, group, code, scope, duty in found:
        if duty:
            duties.add(duty)
        name = None if codename is None else f"{app_label}.{codename}"
        if group is None:  # the user's own permission
            of_user.add(str(name))
            continue
        permissions = roles.setdefault(group, (code, scope, set()))[2] if code is not None else None
        if name is not None:
            of_groups.add(name)
            if permissions is not None:
                permissions.add(name)
    cached = Grants(
        roles=tuple((code, scope, frozenset(names)) for code, scope, names in roles.values()),
        group_permissions=frozenset(of_groups),
        user_permissions=frozenset(of_user),
        duties=frozenset(duties),
    )
    user._guozi_grants = cached  # type: ignore[attr-defined]
    return cached


def holds_duty(user: Any, duty: str) -> bool:
    """Whether the active, signed-in ``user`` holds one of the administrators' duties (三权分立).

    Read with the roles' grants (one query per user object), so a menu or a page can
    ask on every request without a query of its own. ``User.holds_duty`` asks the
    database afresh; services use that.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return duty in grants(user).duties


def scope_for(user: Any, model: type[models.Model], action: str) -> DataScope | None:
    """The widest scope in which ``user`` may perform ``action`` on ``model``, or None.

    Worked out once per user object, model and action: the menu asks about every model.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    answers: dict[tuple[type[models.Model], str], DataScope | None] | None = getattr(user, "_guozi_scopes", None)
    if answers is None:
        answers = user._guozi_scopes = {}
    key = (model, action)
    if key not in answers:
        wanted = permission_name(model, action)
        granted = {scope for _code, scope, permissions in grants(user).roles if wanted in permissions}
        answers[key] = next((scope for scope in SCOPE_ORDER if scope in granted), None)
    return answers[key]


def organization_ids(user: User, scope: DataScope) -> list[int]:
    """The organisations ``scope`` opens to ``user`` (empty without an organisation), read once
    per user object: a write checks its rows against them (``in_scope``)."""
    if user.organization_id is None:
        return []
    if scope == DataScope.OWN:
        return [user.organization_id]
    cache: dict[str, list[int]] = user.__dict__.setdefault("_guozi_subtree", {})
    if "ids" not in cache:
        from guozi.core.models import Organization

        cache["ids"] = list(
            Organization.objects.filter(pk__in=Subtree(user.organization_id)).values_list("pk", flat=True)
        )
    return cache["ids"]


def _organizations(user: User, scope: DataScope) -> Subtree | list[int]:
    """What a query filters the organisations of ``scope`` with: for a subtree, the subquery that
    walks it in the database (``core.subtree``), not its ids, which cost Python time per id in
    every query (0.07 s a query at 10,000 enterprises)."""
    if scope == DataScope.SUBTREE and user.organization_id is not None:
        return Subtree(user.organization_id)
    return organization_ids(user, scope)


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
    ids = _organizations(user, scope)
    q = leads_into(model, model.scope_organization, ids)  # type: ignore[attr-defined]
    if action == "view":
        for extra in getattr(model, "scope_read_also", ()):
            # A subquery, not a join: a many-to-many path would repeat rows.
            q |= Q(pk__in=model._default_manager.filter(**{f"{extra}__in": ids}).values("pk"))
    return q


def scope_is_subtree_of(user: Any, model: type[models.Model], action: str, organization_id: int) -> bool:
    """Whether ``restrict(user, action)`` on ``model`` already opens exactly the subtree of
    ``organization_id``: then a page filtering its rows to that subtree again filters nothing,
    and each such filter walks the tree once more (two walks of 10,000 enterprises per query
    made the revitalisation overview 148 ms)."""
    return (
        scope_for(user, model, action) == DataScope.SUBTREE
        and getattr(user, "organization_id", None) == organization_id
        and getattr(model, "scope_label", None) is None
        and not (action == "view" and bool(getattr(model, "scope_read_also", None)))
    )


def leads_into(model: type[models.Model], path: str, ids: Subtree | list[int]) -> Q:
    """Rows of ``model`` whose ``path`` ends at one of the organisations ``ids``: the scope's
    filter, and the selectors' "of this enterprise and its subsidiaries".

    On SQLite a path through a foreign key (``asset__enterprise``) asks the row it points to
    with EXISTS, not a join. Joined, SQLite may start from the far table, and did for the
    revitalisation overview while the events table had no statistics (empty, or never
    analysed): it read a group's ledger by enterprise to probe the events, 0.62 s at a million
    rows for no event at all; with EXISTS it reads the events and looks each one's asset up by
    its primary key (9 ms). PostgreSQL keeps the join: it turns EXISTS into a semi-join and
    hashed the whole ledger for 2,000 events (4.1 s against 77 ms for the page).
    """
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first) if rest else None
    if field is None or not field.many_to_one or _vendor(model) != "sqlite":
        return Q(**{f"{path}__in": ids})
    related: Any = field.related_model
    parents = related._base_manager.filter(leads_into(related, rest, ids), pk=OuterRef(first))
    return Q(Exists(parents))


def _vendor(model: type[models.Model]) -> str:
    from django.db import connections, router

    return str(connections[router.db_for_read(model)].vendor)


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
    ids = _organizations(user, scope)
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
    return owning_organization_id(instance) in _organization_id_set(user, scope)


def _organization_id_set(user: User, scope: DataScope) -> frozenset[int]:
    """:func:`organization_ids` as a set, kept with it: an import asks about each of 10,000
    enterprises, and a list's ``in`` made that 10,000 × 10,000 comparisons (a minute)."""
    cache: dict[Any, frozenset[int]] = user.__dict__.setdefault("_guozi_subtree_sets", {})
    if scope not in cache:
        cache[scope] = frozenset(organization_ids(user, scope))
    return cache[scope]
