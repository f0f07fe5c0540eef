"""Writes to revitalisation events (盘活), from the pages and commands."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guozi.assets.models import Asset, Revitalization
from guozi.assets.services.rules import ensure_not_in_future
from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.generic import scoped_create, scoped_delete, scoped_update


def revitalization_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Revitalization:
    """Record that an asset in the actor's scope was revitalised. Amounts are not negative
    (checked in the database too); the date is neither in the future nor before the asset
    was acquired."""
    _check_date(data.get("asset"), data.get("revitalized_on"))
    return scoped_create(actor=actor, origin=origin, model=Revitalization, data=data)


def revitalization_update(
    *, actor: User, origin: Origin, revitalization: Revitalization, data: Mapping[str, Any]
) -> Revitalization:
    """Correct an event; pointing it at an asset outside the actor's scope is refused."""
    _check_date(data.get("asset", revitalization.asset), data.get("revitalized_on", revitalization.revitalized_on))
    return scoped_update(actor=actor, origin=origin, instance=revitalization, data=data)


def _check_date(asset: Asset | None, day: date | None) -> None:
    ensure_not_in_future("revitalized_on", day)
    if asset is not None and day is not None and asset.acquired_on is not None and day < asset.acquired_on:
        raise ValidationError(
            {
                "revitalized_on": _("The asset was acquired on %(date)s: it cannot be revitalised before.")
                % {"date": f"{asset.acquired_on:%Y-%m-%d}"}
            }
        )


def revitalization_delete(*, actor: User, origin: Origin, revitalization: Revitalization) -> None:
    scoped_delete(actor=actor, origin=origin, instance=revitalization)
