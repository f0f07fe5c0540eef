"""Transfers and injections (划转、注入) under /api/: the list (filterable) and one transfer."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from guozi.assets.choices import TransferKind
from guozi.assets.models import AssetTransfer
from guozi.assets.selectors import transfers_involving
from guozi.core.api.base import Pages, Year, get_related, get_scoped, isolation, scoped
from guozi.core.models import Organization

router = Router(tags=["assets"])
MODEL = "assets.AssetTransfer"


class AssetTransferOut(Schema):
    """``value`` in 元 as the document states it (null: it states none); ``asset_ids`` the ledger
    rows moved (or, an injection, brought in); ``organization_ids`` the companies moved."""

    id: int
    kind: TransferKind
    title: str
    from_organization_id: int
    from_organization: str
    to_organization_id: int
    to_organization: str
    transferred_on: date
    value: Decimal | None
    document_number: str
    asset_ids: list[int]
    organization_ids: list[int]
    note: str

    @staticmethod
    def resolve_from_organization(transfer: AssetTransfer) -> str:
        return transfer.from_organization.name

    @staticmethod
    def resolve_to_organization(transfer: AssetTransfer) -> str:
        return transfer.to_organization.name

    @staticmethod
    def resolve_asset_ids(transfer: AssetTransfer) -> list[int]:
        return sorted(asset.pk for asset in transfer.assets.all())

    @staticmethod
    def resolve_organization_ids(transfer: AssetTransfer) -> list[int]:
        return sorted(organization.pk for organization in transfer.organizations.all())


def _with_related(transfers: QuerySet[AssetTransfer]) -> QuerySet[AssetTransfer]:
    return transfers.select_related("from_organization", "to_organization").prefetch_related("assets", "organizations")


@router.get("/asset-transfers", response=list[AssetTransferOut], openapi_extra=isolation(MODEL, "list"))
@paginate(Pages, page_size=50, max_page_size=1000)
def asset_transfer_list(
    request: HttpRequest,
    kind: TransferKind | None = None,
    organization_id: int | None = None,
    year: Year = None,
) -> Any:
    """The transfers the user may see, newest first; an organisation matches those it gave,
    received or was moved by."""
    transfers = _with_related(scoped(request, AssetTransfer))
    if kind is not None:
        transfers = transfers.filter(kind=kind)
    if organization_id is not None:
        organization = get_related(request, Organization, organization_id, "organization_id")
        transfers = transfers_involving(transfers, organization)
    if year is not None:
        transfers = transfers.filter(transferred_on__year=year)
    return transfers


@router.get("/asset-transfers/{int:pk}", response=AssetTransferOut, openapi_extra=isolation(MODEL, "object"))
def asset_transfer_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, AssetTransfer, pk)
