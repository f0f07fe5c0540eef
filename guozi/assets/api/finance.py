"""Financial snapshots under /api/: the list, one snapshot, and an enterprise's two dates compared."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from guozi.assets.models import FinancialSnapshot
from guozi.assets.selectors import compare
from guozi.core.api.base import Pages, Year, get_related, get_scoped, isolation, scoped
from guozi.core.models import Organization
from guozi.core.scope import scope_for

router = Router(tags=["assets"])
MODEL = "assets.FinancialSnapshot"


class FinancialSnapshotOut(Schema):
    """Amounts in 元 (revenue and profit from 1 January to ``as_of``); the rate in per cent."""

    id: int
    enterprise_id: int
    enterprise: str
    as_of: date
    total_assets: Decimal
    total_liabilities: Decimal
    financing_cost_rate: Decimal
    revenue: Decimal | None
    profit: Decimal | None
    note: str

    @staticmethod
    def resolve_enterprise(snapshot: FinancialSnapshot) -> str:
        return snapshot.enterprise.name


@router.get("/financial-snapshots", response=list[FinancialSnapshotOut], openapi_extra=isolation(MODEL, "list"))
@paginate(Pages, page_size=50, max_page_size=1000)
def financial_snapshot_list(request: HttpRequest, enterprise_id: int | None = None, year: Year = None) -> Any:
    snapshots: QuerySet[FinancialSnapshot] = scoped(request, FinancialSnapshot).select_related("enterprise")
    if enterprise_id is not None:
        snapshots = snapshots.filter(enterprise=get_related(request, Organization, enterprise_id, "enterprise_id"))
    if year is not None:
        snapshots = snapshots.filter(as_of__year=year)
    return snapshots


@router.get("/financial-snapshots/{int:pk}", response=FinancialSnapshotOut, openapi_extra=isolation(MODEL, "object"))
def financial_snapshot_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, FinancialSnapshot, pk)


class FigureChangeOut(Schema):
    """One figure on both dates; ``change`` is after − before, in 元 for amounts and in
    percentage points (个百分点) for rates (``is_rate``)."""

    key: str
    label: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    is_rate: bool


class ComparisonOut(Schema):
    """The figures in force on each date: those of the date, or else the latest before it."""

    enterprise_id: int
    before_as_of: date | None
    after_as_of: date | None
    figures: list[FigureChangeOut]


@router.get(
    "/organizations/{int:pk}/financial-comparison",
    response=ComparisonOut,
    openapi_extra=isolation("core.Organization", "object"),
)
def financial_comparison(request: HttpRequest, pk: int, before: date | None = None, after: date | None = None) -> Any:
    """``before=2024-06-30&after=2025-09-30``; by default the enterprise's earliest and latest figures."""
    enterprise = get_scoped(request, Organization, pk)
    if scope_for(request.user, FinancialSnapshot, "view") is None:
        raise HttpError(404, "Not found")  # no figures to show: like an organisation it cannot see
    snapshots = scoped(request, FinancialSnapshot)
    dates = snapshots.filter(enterprise=enterprise).order_by("as_of").values_list("as_of", flat=True)
    first, last = dates.first(), dates.last()
    comparison = compare(enterprise, before or first or date.min, after or last or date.min, snapshots=snapshots)
    return {
        "enterprise_id": enterprise.pk,
        "before_as_of": getattr(comparison.before, "as_of", None),
        "after_as_of": getattr(comparison.after, "as_of", None),
        "figures": [
            {
                "key": row.key,
                "label": row.label,
                "before": row.before,
                "after": row.after,
                "change": row.change,
                "is_rate": row.is_rate,
            }
            for row in comparison.rows
        ],
    }
