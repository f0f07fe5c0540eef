"""Writes to governance records, credit ratings and headcount snapshots (the SASAC's to keep)."""

from collections.abc import Mapping
from typing import Any

from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.generic import scoped_create, scoped_delete, scoped_update
from guozi.enterprises.models import CreditRating, GovernanceRecord, Headcount
from guozi.enterprises.services.profiles import require_enterprise


def governance_record_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> GovernanceRecord:
    return scoped_create(actor=actor, origin=origin, model=GovernanceRecord, data=data)


def governance_record_update(
    *, actor: User, origin: Origin, governancerecord: GovernanceRecord, data: Mapping[str, Any]
) -> GovernanceRecord:
    return scoped_update(actor=actor, origin=origin, instance=governancerecord, data=data)


def governance_record_delete(*, actor: User, origin: Origin, governancerecord: GovernanceRecord) -> None:
    scoped_delete(actor=actor, origin=origin, instance=governancerecord)


def credit_rating_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> CreditRating:
    require_enterprise(data.get("organization"), "organization")
    return scoped_create(actor=actor, origin=origin, model=CreditRating, data=data)


def credit_rating_update(
    *, actor: User, origin: Origin, creditrating: CreditRating, data: Mapping[str, Any]
) -> CreditRating:
    require_enterprise(data.get("organization"), "organization")
    return scoped_update(actor=actor, origin=origin, instance=creditrating, data=data)


def credit_rating_delete(*, actor: User, origin: Origin, creditrating: CreditRating) -> None:
    scoped_delete(actor=actor, origin=origin, instance=creditrating)


def headcount_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Headcount:
    require_enterprise(data.get("organization"), "organization")
    return scoped_create(actor=actor, origin=origin, model=Headcount, data=data)


def headcount_update(*, actor: User, origin: Origin, headcount: Headcount, data: Mapping[str, Any]) -> Headcount:
    require_enterprise(data.get("organization"), "organization")
    return scoped_update(actor=actor, origin=origin, instance=headcount, data=data)


def headcount_delete(*, actor: User, origin: Origin, headcount: Headcount) -> None:
    scoped_delete(actor=actor, origin=origin, instance=headcount)
