"""Transfers (划转) and injections (注入): recorded and carried out in one transaction.

A transfer moves what it lists to the receiving enterprise: ledger rows change their
enterprise and keep their code and history (each move is a change record of the
asset), companies are re-parented through ``organization_update`` (a change record of
the organisation). What already sits with the receiving enterprise stays where it
is: the record then documents a move made earlier, such as the reference report's
companies moved in April 2025, or the ledger rows an injection brought in.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.assets import summaries
from guozi.assets.choices import TransferKind
from guozi.assets.models import Asset, AssetTransfer
from guozi.assets.services.rules import ensure_not_in_future
from guozi.core.changes import Origin, create_object, split_many_to_many, update_object
from guozi.core.choices import OrganizationKind
from guozi.core.models import Organization, User
from guozi.core.services.access import ensure_in_scope
from guozi.core.services.generic import scoped_update
from guozi.core.services.organizations import organization_update
from guozi.core.subtree import Subtree

#: What a transfer moved, fixed once it has been carried out.
CARRIED_OUT = ("kind", "from_organization", "to_organization", "assets", "organizations")


def asset_transfer_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> AssetTransfer:
    """Record a transfer and carry it out.

    Guarantee: either the record, every move of a listed asset or company and their
    change records are all written, or nothing is. The actor's scope must take in both
    the receiving and the giving side. Refused, with nothing written: a date in the
    future; a kind that does not fit its sides (an injection comes from a government
    office or department, an asset transfer from an enterprise, everything goes into an
    enterprise); an asset outside the giving side's ledger; an asset whose code the
    receiving enterprise already uses (the code is the row's key there); a company that
    does not sit directly under the giving side.
    """
    plain, many = split_many_to_many(AssetTransfer, data)
    transfer = AssetTransfer(**plain)
    transfer.full_clean()  # field errors first: the checks below read both sides
    ensure_not_in_future("transferred_on", transfer.transferred_on)
    ensure_in_scope(actor, transfer, "add")
    ensure_in_scope(actor, AssetTransfer(to_organization=transfer.from_organization), "add")
    assets = list(many.get("assets") or [])
    companies = list(many.get("organizations") or [])
    _check_kind(transfer, assets, companies)
    with transaction.atomic():
        moving_assets = _assets_to_move(transfer, assets)
        moving_companies = _companies_to_move(transfer, companies)
        transfer = create_object(actor=actor, origin=origin, instance=transfer, many=many)
        moved_from = [summaries.row_of(asset) for asset in moving_assets]  # read afresh, locked
        for asset in moving_assets:
            update_object(actor=actor, origin=origin, instance=asset, data={"enterprise": transfer.to_organization})
        summaries.apply(zip(moved_from, map(summaries.row_of, moving_assets), strict=True))
        for company in moving_companies:
            organization_update(
                actor=actor, origin=origin, organization=company, data={"parent": transfer.to_organization}
            )
    return transfer


def asset_transfer_update(
    *, actor: User, origin: Origin, assettransfer: AssetTransfer, data: Mapping[str, Any]
) -> AssetTransfer:
    """Correct what describes a transfer: subject, date, value, document number, note.

    What it moved, from whom and to whom stays: moving things back is a new transfer.
    """
    for key in CARRIED_OUT:
        if key in data and _differs(assettransfer, key, data[key]):
            raise ValidationError(
                _("A transfer that has been carried out keeps what it moved; record a new transfer to move it back.")
            )
    ensure_not_in_future("transferred_on", data.get("transferred_on"))
    return scoped_update(actor=actor, origin=origin, instance=assettransfer, data=data)


def _differs(transfer: AssetTransfer, key: str, value: Any) -> bool:
    if key in {"assets", "organizations"}:
        return {o.pk for o in value} != set(getattr(transfer, key).values_list("pk", flat=True))
    return bool(value != getattr(transfer, key))


def _check_kind(transfer: AssetTransfer, assets: Sequence[Asset], companies: Sequence[Organization]) -> None:
    giving, receiving = transfer.from_organization, transfer.to_organization
    if receiving.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError({"to_organization": _("A transfer goes into an enterprise.")})
    if transfer.kind == TransferKind.INJECTION and giving.kind == OrganizationKind.ENTERPRISE:
        raise ValidationError({"from_organization": _("An injection comes from a government office or department.")})
    if transfer.kind == TransferKind.ASSETS:
        if giving.kind != OrganizationKind.ENTERPRISE:
            raise ValidationError(
                {"from_organization": _("Assets of the government put into an enterprise are an injection.")}
            )
        if not assets:
            raise ValidationError({"assets": _("List the assets moved.")})
    if transfer.kind == TransferKind.ENTERPRISE:
        if not companies:
            raise ValidationError({"organizations": _("List the companies moved.")})
        if assets:
            raise ValidationError({"assets": _("A company's ledger moves with it: list no assets.")})
    elif companies:
        raise ValidationError({"organizations": _("Only an enterprise transfer moves companies.")})


def _assets_to_move(transfer: AssetTransfer, assets: Sequence[Asset]) -> list[Asset]:
    """The listed rows not yet in the receiving ledger, read afresh; refuses foreign rows and code clashes."""
    receiving = transfer.to_organization
    rows = list(Asset.objects.select_for_update().filter(pk__in=[a.pk for a in assets]).exclude(enterprise=receiving))
    giving = set(
        Organization.objects.filter(pk__in=Subtree(transfer.from_organization_id)).values_list("pk", flat=True)
    )
    outside = sorted(a.code for a in rows if a.enterprise_id not in giving)
    if outside:
        raise ValidationError(
            {
                "assets": _("Not in the ledger of %(giving)s or its subsidiaries: %(codes)s.")
                % {"giving": transfer.from_organization, "codes": "、".join(outside)}
            }
        )
    codes = [a.code for a in rows]
    clashes = set(Asset.objects.filter(enterprise=receiving, code__in=codes).values_list("code", flat=True))
    clashes |= {code for code in codes if codes.count(code) > 1}
    if clashes:
        raise ValidationError(
            {
                "assets": _(
                    "%(receiving)s already has assets with the codes %(codes)s: give the assets new codes first."
                )
                % {"receiving": receiving, "codes": "、".join(sorted(clashes))}
            }
        )
    return rows


def _companies_to_move(transfer: AssetTransfer, companies: Sequence[Organization]) -> list[Organization]:
    """The listed companies not yet under the receiving enterprise; each must sit directly under the giving side."""
    giving, receiving = transfer.from_organization, transfer.to_organization
    above_receiving = set(Organization.objects.ancestors(receiving, include_self=True).values_list("pk", flat=True))
    moving = []
    for company in Organization.objects.select_for_update().filter(pk__in=[c.pk for c in companies]):
        if company.kind != OrganizationKind.ENTERPRISE or company.pk in above_receiving or company.pk == giving.pk:
            raise ValidationError(
                {
                    "organizations": _("%(name)s cannot be moved under %(receiving)s.")
                    % {"name": company, "receiving": receiving}
                }
            )
        if company.parent_id == receiving.pk:
            continue  # moved before this record was made
        if company.parent_id != giving.pk:
            raise ValidationError(
                {"organizations": _("%(name)s does not sit under %(giving)s.") % {"name": company, "giving": giving}}
            )
        moving.append(company)
    return moving
