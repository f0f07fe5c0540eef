"""Moving a fund through its set-up pipeline, and what it waits on."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, create_object, update_object
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope
from guozi.funds.choices import GateKind, Stage
from guozi.funds.models import Contribution, Fund, Gate, StageEntry


def _check_stage_rules(entry: StageEntry) -> None:
    """The pipeline's rules, each refused with a message that names it."""
    fund: Fund = entry.fund
    entered = list(StageEntry.objects.filter(fund=fund).order_by("stage"))
    if any(e.stage == entry.stage for e in entered):
        raise ValidationError(
            {
                "stage": _("A stage cannot be entered twice: %(fund)s already entered %(stage)s.")
                % {"fund": fund.short_name, "stage": entry.get_stage_display()}
            }
        )
    if entered:
        last = entered[-1]
        if entry.stage < last.stage:
            raise ValidationError(
                {
                    "stage": _("Stages go forward only: %(fund)s is already at %(current)s.")
                    % {"fund": fund.short_name, "current": last.get_stage_display()}
                }
            )
        if entry.entered_on < last.entered_on:
            raise ValidationError(
                {
                    "entered_on": _("Dates move forward: %(stage)s was entered on %(date)s.")
                    % {"stage": last.get_stage_display(), "date": last.entered_on}
                }
            )
    if entry.stage >= Stage.FILING:
        registered = any(e.stage == Stage.REGISTRATION for e in entered)
        paid = Contribution.objects.filter(partner__fund=fund, paid_on__lte=entry.entered_on).exists()
        if not (registered and paid):
            raise ValidationError({"stage": _("Filing needs business registration and a first contribution first.")})


def stage_entry_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> StageEntry:
    """Enter the fund into a stage on a date."""
    entry = StageEntry(**data)
    ensure_in_scope(actor, entry, "add")
    with transaction.atomic():
        # One writer per fund at a time, so two people cannot enter stages out of order.
        Fund.objects.select_for_update().filter(pk=entry.fund_id).first()
        # Field checks first; the pipeline rules then name what is wrong (the unique
        # constraint would only say "entered twice", without the field).
        entry.full_clean(validate_unique=False, validate_constraints=False)
        _check_stage_rules(entry)
        return create_object(actor=actor, origin=origin, instance=entry)


def gate_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Gate:
    gate = Gate(**data)
    ensure_in_scope(actor, gate, "add")
    if gate.awaited_partner is not None and gate.awaited_partner.fund_id != gate.fund_id:
        raise ValidationError({"awaited_partner": _("The awaited partner must be a partner of this fund.")})
    if gate.awaited_fund is not None:
        if gate.awaited_fund.pk == gate.fund_id:
            raise ValidationError({"awaited_fund": _("A fund cannot wait on itself.")})
        if not Fund.objects.restrict(actor, "view").filter(pk=gate.awaited_fund.pk).exists():
            raise PermissionDenied(_("You may not refer to that fund."))
    return create_object(actor=actor, origin=origin, instance=gate)


def gate_update(*, actor: User, origin: Origin, gate: Gate, data: Mapping[str, Any]) -> Gate:
    """Change a gate, typically to clear an outside approval on the day it came."""
    ensure_in_scope(actor, gate, "change")
    cleared_on = data.get("cleared_on", gate.cleared_on)
    if cleared_on is not None:
        if data.get("kind", gate.kind) != GateKind.APPROVAL:
            raise ValidationError(
                {"cleared_on": _("Only an outside approval is cleared by hand; the others clear themselves.")}
            )
        if cleared_on < data.get("since", gate.since):
            raise ValidationError({"cleared_on": _("A gate cannot clear before it opened.")})
    return update_object(actor=actor, origin=origin, instance=gate, data=data)
