from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from guozi.core.scope import in_scope


def ensure_in_scope(actor: Any, instance: models.Model, action: str) -> None:
    """Refuse a write that would touch or create a row outside ``actor``'s scope.

    Views and the API only hand services rows they could read, so this is the
    second line: it also stops commands, imports and foreign ids in a request body.
    """
    if not in_scope(actor, instance, action):
        raise PermissionDenied(_("You may not change this record."))
