"""Writes to enterprise profiles: the SASAC classifies, the enterprise keeps its own facts."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from guozi.core.changes import Origin
from guozi.core.choices import OrganizationKind
from guozi.core.models import Organization, User
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.enterprises.models import EnterpriseProfile
from guozi.enterprises.models.profiles import CLASSIFICATION_FIELDS

CLASSIFY = "enterprises.classify_enterpriseprofile"


def require_enterprise(organization: Organization | None, field: str) -> None:
    """Registry data belongs to enterprises, not to government offices or departments."""
    if organization is not None and organization.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError({field: _("%(name)s is not an enterprise.") % {"name": organization}})


def enterprise_profile_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> EnterpriseProfile:
    if not actor.has_perm(CLASSIFY):
        raise PermissionDenied(_("Only the SASAC enters an enterprise into the registry."))
    require_enterprise(data.get("organization"), "organization")
    require_enterprise(data.get("merged_into"), "merged_into")
    return scoped_create(actor=actor, origin=origin, model=EnterpriseProfile, data=data)


def enterprise_profile_update(
    *, actor: User, origin: Origin, enterpriseprofile: EnterpriseProfile, data: Mapping[str, Any]
) -> EnterpriseProfile:
    """Guarantee: level, ownership, status and merged-into change only by an actor holding
    ``classify_enterpriseprofile`` (the SASAC); an enterprise corrects its credit code,
    industry and note. A profile stays with its organisation."""
    profile = enterpriseprofile
    if "organization" in data and data["organization"] != profile.organization:
        raise ValidationError({"organization": _("A profile stays with its enterprise.")})
    changed = [name for name in CLASSIFICATION_FIELDS if name in data and data[name] != getattr(profile, name)]
    if changed and not actor.has_perm(CLASSIFY):
        raise PermissionDenied(_("Only the SASAC changes an enterprise's level, ownership or status."))
    require_enterprise(data.get("merged_into"), "merged_into")
    return scoped_update(actor=actor, origin=origin, instance=profile, data=data)
