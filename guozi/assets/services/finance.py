"""Writes to financial snapshots (财务快报)."""

from collections.abc import Mapping
from typing import Any

from guozi.assets.models import FinancialSnapshot
from guozi.assets.services.rules import ensure_not_in_future
from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.generic import scoped_create, scoped_delete, scoped_update


def financial_snapshot_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> FinancialSnapshot:
    """One set of figures per enterprise and date (unique in the database); balances, revenue
    and the rate are not negative, the rate at most 100%; the date is not in the future."""
    ensure_not_in_future("as_of", data.get("as_of"))
    return scoped_create(actor=actor, origin=origin, model=FinancialSnapshot, data=data)


def financial_snapshot_update(
    *, actor: User, origin: Origin, financialsnapshot: FinancialSnapshot, data: Mapping[str, Any]
) -> FinancialSnapshot:
    ensure_not_in_future("as_of", data.get("as_of"))
    return scoped_update(actor=actor, origin=origin, instance=financialsnapshot, data=data)


def financial_snapshot_delete(*, actor: User, origin: Origin, financialsnapshot: FinancialSnapshot) -> None:
    scoped_delete(actor=actor, origin=origin, instance=financialsnapshot)
