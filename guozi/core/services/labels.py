"""Security labels and clearances (安全标记, GB/T 22239-2019 8.1.4.2 g): set by the security administrator only.

A labelled record (``core.models.base.Labelled``) is read only by users whose
clearance is at least its label; ``restrict()`` applies it everywhere. Setting
either is the security administrator's duty (8.1.5.3), recorded in the change log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, update_object
from guozi.core.choices import SecurityLabel, SeparatedRole
from guozi.core.models import User
from guozi.core.models.base import Labelled


def _check_security_administrator(actor: User) -> None:
    if not actor.holds_duty(SeparatedRole.SECADMIN):
        raise PermissionDenied(_("Only the security administrator sets security labels and clearances."))


def label_set(*, actor: User, origin: Origin, instance: models.Model, label: SecurityLabel) -> models.Model:
    """Give ``instance`` the security label ``label``."""
    _check_security_administrator(actor)
    if not isinstance(instance, Labelled):
        raise ValidationError(_("%(model)s carries no security label.") % {"model": instance._meta.verbose_name})
    if instance.label_frozen():
        raise ValidationError(_("A published record is frozen: its security label cannot change."))
    return update_object(actor=actor, origin=origin, instance=instance, data={"security_label": int(label)})


def clearance_set(*, actor: User, origin: Origin, user: User, clearance: SecurityLabel) -> User:
    """Let ``user`` read records labelled up to ``clearance``."""
    _check_security_administrator(actor)
    if user.pk == actor.pk:
        # Else the one security administrator could open every sensitive record to themselves.
        raise PermissionDenied(_("Nobody sets their own clearance: another security administrator does."))
    return update_object(actor=actor, origin=origin, instance=user, data={"clearance": int(clearance)})
