"""Which database a query goes to: a read replica for pages marked as read-only, the primary otherwise.

With ``DATABASE_REPLICA_URL`` set, Guozi has a second database alias, ``replica``: a copy of
the primary kept by the database's own replication (PostgreSQL streaming replication), which
Guozi only reads. Dashboards and exports read many rows and write none; marked with
:func:`replica_reads` (or ``replica_reads = True`` on a generic page, see
``core.views.generic.ScopedView``) they read their data from the replica and leave the
primary's cores to the writes. Without a replica nothing changes: every query goes to
``default``. See docs/scaling.md.

Guarantee: a write never goes to the replica, whatever the mark; and neither does a read made
inside a transaction on the primary (a service reads what it is about to write there, so it
sees its own rows and its locks). Who the user is, what their roles grant and which
organisations their scope covers are read from the primary even in a marked page, so a revoked
role or a moved enterprise takes effect at once however far the replica lags; only the rows
shown come from the replica, and may be as old as its lag.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models

REPLICA = "replica"
#: Apps and models read from the primary even in a marked page: identity, permissions and the
#: organisation tree, from which ``restrict`` computes the scope (docs/data-scope.md).
PRIMARY_ONLY_APPS = frozenset({"auth", "contenttypes", "sessions", "otp_totp", "otp_static"})
PRIMARY_ONLY_MODELS = frozenset({"core.user", "core.role", "core.organization", "core.passwordhistory"})

# A context variable, not a thread-local: each request (thread or asyncio task) has its own.
_marked: ContextVar[bool] = ContextVar("guozi_replica_reads", default=False)

View = TypeVar("View", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside the block, reads outside a transaction may go to the replica (when there is one).

    Only for code that shows data and writes nothing it has just read: a lagging replica may
    answer with rows a few moments old.
    """
    token = _marked.set(True)
    try:
        yield
    finally:
        _marked.reset(token)


def reads_replica(view: View) -> View:
    """A function view whose reads may go to the replica (see :func:`replica_reads`)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``) for the primary and its read replica."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if not _marked.get() or not replica_configured():
            return None
        opts = model._meta
        if opts.app_label in PRIMARY_ONLY_APPS or opts.label_lower in PRIMARY_ONLY_MODELS:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # read your own writes: the replica has not seen them yet
        return REPLICA

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        # The same rows in two places: an object read from the replica may point to one from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica copies the primary's schema through replication; never migrate it directly.
        return False if db == REPLICA else None
