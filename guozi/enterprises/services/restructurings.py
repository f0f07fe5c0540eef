"""Restructurings: recording one marks the enterprises it merged as merged into the result."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, update_object
from guozi.core.models import Organization, User
from guozi.core.services.access import ensure_in_scope
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.enterprises.choices import EnterpriseStatus
from guozi.enterprises.models import EnterpriseProfile, Restructuring

#: What a recorded restructuring keeps: who merged into whom.
FIXED = {"result", "merged"}


def _names(organizations: Iterable[Organization]) -> str:
    return "、".join(o.short_name or o.name for o in organizations)


def _active_profiles(organizations: list[Organization], field: str) -> dict[int, EnterpriseProfile]:
    profiles = {p.organization_id: p for p in EnterpriseProfile.objects.filter(organization__in=organizations)}
    missing = [o for o in organizations if o.pk not in profiles]
    if missing:
        raise ValidationError({field: _("Not in the enterprise registry: %(names)s.") % {"names": _names(missing)}})
    gone = [o for o in organizations if profiles[o.pk].status != EnterpriseStatus.ACTIVE]
    if gone:
        raise ValidationError(
            {field: _("No longer in operation (merged away or deregistered): %(names)s.") % {"names": _names(gone)}}
        )
    return profiles


def restructuring_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Restructuring:
    """Record a restructuring and mark each merged enterprise "merged away" into the result.

    Refused, with nothing written: no enterprise merged; the result among the merged; an
    enterprise outside the registry or no longer in operation; a merged enterprise of another
    region than the result; a merged profile the actor may not change.
    """
    result: Organization | None = data.get("result")
    merged = list(data.get("merged") or [])
    if result is None:
        raise ValidationError({"result": _("Name the resulting enterprise.")})
    if not merged:
        raise ValidationError({"merged": _("Name the enterprises merged.")})
    if result in merged:
        raise ValidationError({"merged": _("The resulting enterprise cannot be among those merged into it.")})
    _active_profiles([result], "result")
    profiles = _active_profiles(merged, "merged")
    elsewhere = [o for o in merged if o.region != result.region]
    if elsewhere:
        raise ValidationError(
            {
                "merged": _("Merged enterprises lie in the result's region (%(region)s): %(names)s do not.")
                % {"region": result.region or "—", "names": _names(elsewhere)}
            }
        )
    for profile in profiles.values():
        ensure_in_scope(actor, profile, "change")
    with transaction.atomic():
        restructuring = scoped_create(actor=actor, origin=origin, model=Restructuring, data=data)
        for profile in profiles.values():
            update_object(
                actor=actor,
                origin=origin,
                instance=profile,
                data={"status": EnterpriseStatus.MERGED, "merged_into": result},
            )
    return restructuring


def restructuring_update(
    *, actor: User, origin: Origin, restructuring: Restructuring, data: Mapping[str, Any]
) -> Restructuring:
    """Correct the date, document number or note; who merged into whom stays as recorded."""
    if ("result" in data and data["result"] != restructuring.result) or (
        "merged" in data and set(data["merged"]) != set(restructuring.merged.all())
    ):
        raise ValidationError(_("Who merged into whom stays as recorded."))
    rest = {key: value for key, value in data.items() if key not in FIXED}
    return scoped_update(actor=actor, origin=origin, instance=restructuring, data=rest)
