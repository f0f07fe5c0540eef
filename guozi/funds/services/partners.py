"""Writes to fund partners and their paid-in contributions."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, create_object, update_object
from guozi.core.models import Organization, User
from guozi.core.money import format_money
from guozi.core.services.access import ensure_in_scope
from guozi.funds.models import Contribution, Partner


def partner_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Partner:
    partner = Partner(**data)
    ensure_in_scope(actor, partner, "add")
    _check_organization_visible(actor, partner)
    return create_object(actor=actor, origin=origin, instance=partner)


def _check_organization_visible(actor: User, partner: Partner) -> None:
    """A partner from Guozi must be an organisation the actor can see; others go by name."""
    if (
        partner.organization_id
        and not Organization.objects.restrict(actor, "view").filter(pk=partner.organization_id).exists()
    ):
        raise PermissionDenied(_("You may not refer to that organisation; enter it as an outside institution."))


def partner_update(*, actor: User, origin: Origin, partner: Partner, data: Mapping[str, Any]) -> Partner:
    ensure_in_scope(actor, partner, "change")
    if "fund" in data and data["fund"] != partner.fund:
        raise ValidationError({"fund": _("A partner cannot move to another fund.")})
    if "organization" in data:
        _check_organization_visible(actor, Partner(organization=data["organization"]))
    commitment = data.get("commitment", partner.commitment)
    paid = partner.paid_in()
    if commitment < paid:
        raise ValidationError(
            {
                "commitment": _("Paid-in cannot exceed the commitment: %(paid)s is already paid in.")
                % {"paid": format_money(paid, "万元")}
            }
        )
    return update_object(actor=actor, origin=origin, instance=partner, data=data)


def contribution_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Contribution:
    """Record a paid-in contribution; the partner's paid-in total may not pass its commitment."""
    contribution = Contribution(**data)
    ensure_in_scope(actor, contribution, "add")
    with transaction.atomic():
        # Lock the partner so two payments recorded at once cannot both pass the check.
        partner = Partner.objects.select_for_update().get(pk=contribution.partner_id)
        paid = partner.paid_in()
        if paid + Decimal(contribution.amount or 0) > partner.commitment:
            raise ValidationError(
                {
                    "amount": _(
                        "Paid-in cannot exceed the commitment: %(name)s committed %(commitment)s, "
                        "%(paid)s is already paid in."
                    )
                    % {
                        "name": partner.name,
                        "commitment": format_money(partner.commitment, "万元"),
                        "paid": format_money(paid, "万元"),
                    }
                }
            )
        return create_object(actor=actor, origin=origin, instance=contribution)
