"""Writes to the organisation tree."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, create_object, delete_object, update_object
from guozi.core.models import Organization, User
from guozi.core.registry import app_modules
from guozi.core.services.access import ensure_in_scope
from guozi.core.subtree import Subtree


def _check_parent(actor: User, organization: Organization, action: str) -> None:
    parent = organization.parent
    if parent is None:
        # A new root is outside every subtree scope: only an "all" scope may add one.
        ensure_in_scope(actor, Organization(pk=None), action)
        return
    ensure_in_scope(actor, parent, action)
    if (
        organization.pk is not None
        and Organization.objects.filter(pk=parent.pk, id__in=Subtree(organization.pk)).exists()
    ):
        raise ValidationError({"parent": _("An organisation cannot sit below itself or its own subsidiaries.")})


def organization_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Organization:
    organization = Organization(**data)
    _check_parent(actor, organization, "add")
    return create_object(actor=actor, origin=origin, instance=organization)


def organization_update(
    *, actor: User, origin: Origin, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    """Change an organisation; a new parent moves its whole subtree, and every app's figures
    kept per subtree (an app's ``tree.organization_moved``) move with it in the same transaction."""
    ensure_in_scope(actor, organization, "change")
    if "parent" in data and data["parent"] != organization.parent:
        candidate = Organization(pk=organization.pk, parent=data["parent"])
        _check_parent(actor, candidate, "change")
    with transaction.atomic():
        old_parent_id = (
            Organization.objects.select_for_update().values_list("parent_id", flat=True).get(pk=organization.pk)
        )
        updated = update_object(actor=actor, origin=origin, instance=organization, data=data)
        if updated.parent_id != old_parent_id:
            for module in app_modules("tree"):
                module.organization_moved(
                    organization=updated, old_parent_id=old_parent_id, new_parent_id=updated.parent_id
                )
    return updated


def organization_delete(*, actor: User, origin: Origin, organization: Organization) -> None:
    ensure_in_scope(actor, organization, "delete")
    if organization.children.exists():
        raise ValidationError(_("Move or delete its subsidiaries first."))
    if organization.users.exists():
        raise ValidationError(_("Move its users to another organisation first."))
    delete_object(actor=actor, origin=origin, instance=organization)
