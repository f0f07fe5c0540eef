"""The asset ledger under /api/: rows (filterable), one row, and an enterprise's census; with it
(``router``'s sub-routers) revitalisations, transfers and financial snapshots."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from guozi.assets.api import finance, revitalizations, transfers
from guozi.assets.choices import CertificateStatus, Package, Utilisation
from guozi.assets.models import Asset, AssetCategory
from guozi.assets.selectors import census, census_rows, enterprise_assets
from guozi.core.api.base import Pages, get_related, get_scoped, isolation, scoped
from guozi.core.models import Organization
from guozi.core.routers import replica_reads
from guozi.core.scope import scope_for

router = Router(tags=["assets"])
ASSET = "assets.Asset"
for _module in (revitalizations, transfers, finance):
    router.add_router("", _module.router)


class AssetOut(Schema):
    """Amounts in 元, area in ㎡; ``package`` is empty for an asset in no package."""

    id: int
    enterprise_id: int
    enterprise: str
    code: str
    name: str
    category_id: int
    category: str
    location: str
    area: Decimal | None
    quantity: int
    original_value: Decimal | None
    book_value: Decimal
    acquired_on: date | None
    certificate: CertificateStatus
    utilisation: Utilisation
    package: Package | None
    note: str
    import_batch_id: int | None

    @staticmethod
    def resolve_enterprise(asset: Asset) -> str:
        return asset.enterprise.name

    @staticmethod
    def resolve_category(asset: Asset) -> str:
        return asset.category.name

    @staticmethod
    def resolve_package(asset: Asset) -> str | None:
        return asset.package or None


@router.get("/assets", response=list[AssetOut], openapi_extra=isolation(ASSET, "list"))
@paginate(Pages, page_size=50, max_page_size=1000)
def asset_list(
    request: HttpRequest,
    enterprise_id: int | None = None,
    category_id: int | None = None,
    package: Package | None = None,
    utilisation: Utilisation | None = None,
) -> Any:
    """The ledger rows the user may see. An enterprise includes its subsidiaries, a class its sub-classes."""
    assets: QuerySet[Asset] = scoped(request, Asset).select_related("enterprise", "category")
    if enterprise_id is not None:
        assets = enterprise_assets(assets, get_related(request, Organization, enterprise_id, "enterprise_id"))
    if category_id is not None:
        category = get_related(request, AssetCategory, category_id, "category_id")
        assets = assets.filter(category__in=AssetCategory.objects.descendants(category, include_self=True).values("pk"))
    if package is not None:
        assets = assets.filter(package=package)
    if utilisation is not None:
        assets = assets.filter(utilisation=utilisation)
    # A queryset, not a list: the paginator reads one page of rows, not the whole ledger, in
    # the unique (enterprise, code) index's order, so ``?after=`` pages are index seeks.
    return assets.order_by("enterprise_id", "code")


@router.get("/assets/{int:pk}", response=AssetOut, openapi_extra=isolation(ASSET, "object"))
def asset_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, Asset, pk)


class FigureOut(Schema):
    count: int
    value: Decimal


class CategoryFigureOut(FigureOut):
    category_id: int
    code: str
    name: str


class PackageFigureOut(FigureOut):
    package: Package
    label: str


class CensusOut(Schema):
    """The census of an enterprise's ledger (book values in 元), computed from the rows the user may see."""

    enterprise_id: int
    subtree: bool
    total: FigureOut
    by_category: list[CategoryFigureOut]
    inefficient: FigureOut
    idle: FigureOut
    packages: list[PackageFigureOut]
    certificates_needed: int
    certificates_done: int


@router.get(
    "/organizations/{int:pk}/asset-census",
    response=CensusOut,
    openapi_extra=isolation("core.Organization", "object"),
)
def asset_census(request: HttpRequest, pk: int, subtree: bool = True) -> Any:
    """``subtree=false`` leaves out the enterprise's subsidiaries."""
    enterprise = get_scoped(request, Organization, pk)
    if scope_for(request.user, Asset, "view") is None:
        raise HttpError(404, "Not found")  # no ledger to show: like an organisation it cannot see
    # From the summary or its subtree rollup (in the ledger's scope), not by grouping the ledger;
    # from the read replica when there is one (a dashboard's figures, core.routers).
    with replica_reads():
        result = census(census_rows(request.user, enterprise, subtree=subtree))

    def figure(f: Any) -> dict[str, Any]:
        return {"count": f.count, "value": f.value}

    return {
        "enterprise_id": enterprise.pk,
        "subtree": subtree,
        "total": figure(result.total),
        "by_category": [
            {"category_id": c.pk, "code": c.code, "name": c.name, **figure(f)} for c, f in result.by_category
        ],
        "inefficient": figure(result.inefficient),
        "idle": figure(result.idle),
        "packages": [{"package": p, "label": str(p.label), **figure(f)} for p, f in result.packages],
        "certificates_needed": result.certificates_needed,
        "certificates_done": result.certificates_done,
    }
