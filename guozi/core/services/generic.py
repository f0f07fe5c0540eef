"""The plain create, update and delete every scoped model needs, written once.

An entity's service adds its own rules around these; a model with no rules of its
own uses them as they are.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from guozi.core.changes import Origin, create_object, delete_object, split_many_to_many, update_object
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope

M = TypeVar("M", bound=models.Model)


def scoped_create(*, actor: User, origin: Origin, model: type[M], data: Mapping[str, Any]) -> M:
    """Create a row that must land inside the actor's scope."""
    plain, many = split_many_to_many(model, data)
    instance = model(**plain)
    ensure_in_scope(actor, instance, "add")
    return create_object(actor=actor, origin=origin, instance=instance, many=many)


def scoped_update(*, actor: User, origin: Origin, instance: M, data: Mapping[str, Any]) -> M:
    """Change a row in the actor's scope; a change that would move it out is rolled back."""
    ensure_in_scope(actor, instance, "change")
    with transaction.atomic():
        updated = update_object(actor=actor, origin=origin, instance=instance, data=data)
        ensure_in_scope(actor, updated, "change")
    return updated


def scoped_delete(*, actor: User, origin: Origin, instance: models.Model) -> None:
    """Delete a row in the actor's scope; its history stays in the change log."""
    ensure_in_scope(actor, instance, "delete")
    delete_object(actor=actor, origin=origin, instance=instance)
