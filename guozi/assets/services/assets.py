"""Writes to single ledger rows, from the asset pages and the API (files go through ``imports``)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.assets import summaries
from guozi.assets.models import Asset
from guozi.core.changes import Origin, create_object, update_object
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope
from guozi.core.services.generic import scoped_delete


def asset_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Asset:
    asset = Asset(**data)
    ensure_in_scope(actor, asset, "add")
    with transaction.atomic():
        asset = create_object(actor=actor, origin=origin, instance=asset)
        summaries.apply([(None, summaries.row_of(asset))])
    return asset


def asset_update(*, actor: User, origin: Origin, asset: Asset, data: Mapping[str, Any]) -> Asset:
    """Correct a ledger row. Its enterprise and code stay: a move between enterprises is a transfer."""
    ensure_in_scope(actor, asset, "change")
    for key, current in (("enterprise", asset.enterprise), ("code", asset.code)):
        if key in data and data[key] != current:
            raise ValidationError({key: _("An asset keeps its enterprise and code; a move is a transfer.")})
    with transaction.atomic():
        before = summaries.stored(asset.pk)
        asset = update_object(actor=actor, origin=origin, instance=asset, data=data)
        summaries.apply([(before, summaries.stored(asset.pk))])
    return asset


def asset_delete(*, actor: User, origin: Origin, asset: Asset) -> None:
    """Remove a row entered by mistake; its history stays in the change log."""
    with transaction.atomic():
        before = summaries.stored(asset.pk)
        scoped_delete(actor=actor, origin=origin, instance=asset)
        summaries.apply([(before, None)])
