"""The two reads every signed-in request makes, their SQL compiled once per process.

Every signed-in request reads its session row and then its user, with the organisation the
page's header names. The ORM builds a query's SQL afresh each time it runs it: for these two,
whose SQL never changes, that cost 0.6 and 0.9 ms of CPU a request, against a few hundredths of
a millisecond to run them (docs/benchmarks.md, "The signed-in request's two reads").

Each query here is compiled by the ORM from the queryset it would have run, once per process
and database, with stand-ins for the values that vary (``core.scope`` compiles the grants, the
third read, the same way): the SQL sent is the ORM's own. The values read are converted by the
same converters the ORM applies (the backend's, e.g. SQLite's text dates, and the fields'
``from_db_value``) and become model instances through ``Model.from_db``, as a queryset's rows do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone

if TYPE_CHECKING:
    from guozi.core.models import User

#: Stand for the values that vary in a compiled query (no real row has them).
_STAND_IN_PK = -20_261_128
_STAND_IN_KEY = "stand-in-for-a-session-key"
_STAND_IN_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class Read:
    """A compiled query: its SQL and parameters, where each stand-in goes, each column's converters."""

    sql: str
    params: tuple[Any, ...]
    #: The positions among the parameters of each stand-in, in the stand-ins' order.
    slots: tuple[tuple[int, ...], ...]
    converters: tuple[tuple[tuple[Converter, ...], Any], ...]

    def rows(self, alias: str, *values: Any) -> list[tuple[Any, ...]]:
        """The rows with ``values`` in place of the stand-ins, in their order, converted.

        Each value as the database takes it (``connection.ops.adapt_…``), like the stand-in was.
        """
        params = list(self.params)
        for slots, value in zip(self.slots, values, strict=True):
            for slot in slots:
                params[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        if not self.converters:
            return found
        converted = []
        for row in found:
            cells = list(row)
            for index, (functions, expression) in enumerate(self.converters):
                for convert in functions:
                    cells[index] = convert(cells[index], expression, connection)
            converted.append(tuple(cells))
        return converted


def compiled(
    queryset: models.QuerySet[Any],
    alias: str,
    stand_ins: Sequence[Any],
    columns: Sequence[models.Field[Any, Any]] = (),
    *,
    uses: int = 1,
) -> Read:
    """``queryset`` compiled for ``alias``: a values_list of ``columns`` in order, whose values
    are converted as the ORM converts them (none given: the rows as the database driver gives
    them). ``stand_ins`` are its parameters as the database takes them, each ``uses`` times
    among them, and nothing else equal to one: a value of the query's own that happened to
    equal a stand-in would be replaced too."""
    sql, params = queryset.query.get_compiler(alias).as_sql()
    found = list(params)
    if any(found.count(stand_in) != uses for stand_in in stand_ins):  # a real check: python -O strips asserts
        raise RuntimeError(f"each stand-in must be {uses} of the query's parameters: {params!r}")
    connection = connections[alias]
    converters = []
    for field in columns:
        column = field.get_col(field.model._meta.db_table)
        functions = tuple(connection.ops.get_db_converters(column)) + tuple(column.get_db_converters(connection))
        converters.append((functions, column))
    slots = tuple(tuple(at for at, param in enumerate(found) if param == stand_in) for stand_in in stand_ins)
    return Read(sql, tuple(found), slots, tuple(converters))


@dataclass(frozen=True)
class _UserRead:
    """The user-with-organisation query, and the attribute names its columns fill, in order."""

    read: Read
    user_names: tuple[str, ...]
    organization_names: tuple[str, ...]


@functools.cache
def _user_read(alias: str, vendor: str) -> _UserRead:
    """``User.objects.select_related("organization").get(pk=…)``'s columns, as one values_list."""
    from guozi.core.models import Organization, User

    user_fields, organization_fields = list(User._meta.concrete_fields), list(Organization._meta.concrete_fields)
    user_names = [field.attname for field in user_fields]
    organization_names = [field.attname for field in organization_fields]
    queryset = (
        User._default_manager.filter(pk=_STAND_IN_PK)
        .order_by()
        .values_list(*user_names, *(f"organization__{name}" for name in organization_names))
    )
    read = compiled(queryset, alias, [_STAND_IN_PK], [*user_fields, *organization_fields])
    return _UserRead(read, tuple(user_names), tuple(organization_names))


def user_with_organization(user_id: Any) -> User | None:
    """The user of ``user_id`` (as the session holds it) with their organisation, or None.

    The same instances ``User._default_manager.select_related("organization").get(pk=user_id)``
    gives (guozi/core/tests/test_precompiled.py compares every field), in one compiled query.
    """
    from guozi.core.models import Organization, User

    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = router.db_for_read(User)
    found = _user_read(alias, connections[alias].vendor)
    rows = found.read.rows(alias, pk)
    if not rows:
        return None
    values, split = rows[0], len(found.user_names)
    user = User.from_db(alias, list(found.user_names), values[:split])
    if user.organization_id is not None:
        user.organization = Organization.from_db(alias, list(found.organization_names), values[split:])
    return user


@functools.cache
def _session_read(alias: str, vendor: str) -> Read:
    """The session store's ``Session.objects.get(session_key=…, expire_date__gt=now)``, its data column."""
    from django.contrib.sessions.models import Session

    moment = connections[alias].ops.adapt_datetimefield_value(_STAND_IN_MOMENT)
    queryset = Session.objects.filter(session_key=_STAND_IN_KEY, expire_date__gt=_STAND_IN_MOMENT)
    fields = [Session._meta.get_field("session_data")]
    return compiled(queryset.values_list("session_data"), alias, [_STAND_IN_KEY, moment], fields)


def session_data(session_key: str | None) -> str | None:
    """The encoded data of the unexpired session ``session_key``, or None."""
    from django.contrib.sessions.models import Session

    if session_key is None:
        return None
    alias = router.db_for_read(Session)  # the primary (core.routers: PRIMARY_ONLY_APPS)
    connection = connections[alias]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = _session_read(alias, connection.vendor).rows(alias, session_key, now)
    return rows[0][0] if rows else None
