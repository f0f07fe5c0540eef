"""Writes to funds and their managers."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, create_object, delete_object, update_object
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope
from guozi.funds.models import Fund, ManagerTerm


def fund_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Fund:
    fund = Fund(**data)
    ensure_in_scope(actor, fund, "add")
    return create_object(actor=actor, origin=origin, instance=fund)


def fund_update(*, actor: User, origin: Origin, fund: Fund, data: Mapping[str, Any]) -> Fund:
    ensure_in_scope(actor, fund, "change")
    if "sponsor" in data:
        ensure_in_scope(actor, Fund(sponsor=data["sponsor"]), "change")
    if data.get("parent") is not None and data["parent"].pk == fund.pk:
        raise ValidationError({"parent": _("A fund cannot be its own parent.")})
    return update_object(actor=actor, origin=origin, instance=fund, data=data)


def fund_delete(*, actor: User, origin: Origin, fund: Fund) -> None:
    ensure_in_scope(actor, fund, "delete")
    if fund.partners.filter(contributions__isnull=False).exists():
        raise ValidationError(_("A fund with paid-in contributions cannot be deleted."))
    delete_object(actor=actor, origin=origin, instance=fund)


def manager_term_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> ManagerTerm:
    """A new manager from ``started_on``: the current term, if any, ends that day."""
    term = ManagerTerm(**data)
    ensure_in_scope(actor, term, "add")
    with transaction.atomic():
        current = ManagerTerm.objects.filter(fund=term.fund, ended_on__isnull=True).order_by("-started_on").first()
        if current is not None:
            if term.started_on < current.started_on:
                raise ValidationError(
                    {
                        "started_on": _("A new manager cannot start before the current one (%(date)s).")
                        % {"date": current.started_on}
                    }
                )
            update_object(actor=actor, origin=origin, instance=current, data={"ended_on": term.started_on})
        return create_object(actor=actor, origin=origin, instance=term)
