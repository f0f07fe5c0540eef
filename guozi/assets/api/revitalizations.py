"""Revitalisation events (盘活) under /api/: events (filterable), one event, and an enterprise's totals."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from guozi.assets.choices import RevitalizationMethod
from guozi.assets.models import Revitalization
from guozi.assets.selectors import in_period, revitalization_groups, revitalizations_of, year_bounds
from guozi.core.api.base import Pages, Year, get_related, get_scoped, isolation, scoped
from guozi.core.models import Organization
from guozi.core.scope import scope_for

router = Router(tags=["assets"])
MODEL = "assets.Revitalization"


class RevitalizationOut(Schema):
    """Amounts in 元: ``value`` the value of the asset revitalised, ``cash`` what it realised."""

    id: int
    asset_id: int
    asset_code: str
    asset_name: str
    enterprise_id: int
    method: RevitalizationMethod
    revitalized_on: date
    value: Decimal
    cash: Decimal
    counterparty: str
    note: str

    @staticmethod
    def resolve_asset_code(event: Revitalization) -> str:
        return event.asset.code

    @staticmethod
    def resolve_asset_name(event: Revitalization) -> str:
        return event.asset.name

    @staticmethod
    def resolve_enterprise_id(event: Revitalization) -> int:
        return event.asset.enterprise_id


def _period(events: QuerySet[Revitalization], year: int | None, start: date | None, end: date | None) -> Any:
    if year is not None:
        events = in_period(events, *year_bounds(year))
    return in_period(events, start, end)


@router.get("/revitalizations", response=list[RevitalizationOut], openapi_extra=isolation(MODEL, "list"))
@paginate(Pages, page_size=50, max_page_size=1000)
def revitalization_list(
    request: HttpRequest,
    enterprise_id: int | None = None,
    method: RevitalizationMethod | None = None,
    year: Year = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Any:
    """The events the user may see, newest first. An enterprise includes its subsidiaries; the
    period is a calendar ``year`` and/or ``date_from``–``date_to``, both included."""
    events: QuerySet[Revitalization] = scoped(request, Revitalization).select_related("asset")
    if enterprise_id is not None:
        events = revitalizations_of(events, get_related(request, Organization, enterprise_id, "enterprise_id"))
    if method is not None:
        events = events.filter(method=method)
    return _period(events, year, date_from, date_to)


@router.get("/revitalizations/{int:pk}", response=RevitalizationOut, openapi_extra=isolation(MODEL, "object"))
def revitalization_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, Revitalization, pk)


class RevitalisedOut(Schema):
    count: int
    value: Decimal
    cash: Decimal


class MethodOut(RevitalisedOut):
    method: RevitalizationMethod
    label: str


class MonthOut(RevitalisedOut):
    month: str


class RevitalizationSummaryOut(Schema):
    """What an enterprise (with its subsidiaries) revitalised in the period: count, value and
    cash realised in 元, by method and by month; computed from the events the user may see."""

    enterprise_id: int
    date_from: date | None
    date_to: date | None
    total: RevitalisedOut
    by_method: list[MethodOut]
    by_month: list[MonthOut]


@router.get(
    "/organizations/{int:pk}/revitalization-summary",
    response=RevitalizationSummaryOut,
    openapi_extra=isolation("core.Organization", "object"),
)
def revitalization_summary(
    request: HttpRequest,
    pk: int,
    year: Year = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Any:
    """``year=2025``: 盘活闲置资产28项，价值20.39亿元，变现金额28.48亿元 for 市城发集团."""
    enterprise = get_scoped(request, Organization, pk)
    if scope_for(request.user, Revitalization, "view") is None:
        raise HttpError(404, "Not found")  # no events to show: like an organisation it cannot see
    if year is not None:
        first, last = year_bounds(year)
        date_from, date_to = max(filter(None, [first, date_from])), min(filter(None, [last, date_to]))
    events = in_period(revitalizations_of(scoped(request, Revitalization), enterprise), date_from, date_to)
    # One GROUP BY month and method: the total, the methods and the months are its sums.
    groups = revitalization_groups(events)

    def figure(f: Any) -> dict[str, Any]:
        return {"count": f.count, "value": f.value, "cash": f.cash}

    return {
        "enterprise_id": enterprise.pk,
        "date_from": date_from,
        "date_to": date_to,
        "total": figure(groups.total()),
        "by_method": [{"method": m, "label": str(m.label), **figure(f)} for m, f in groups.by_method()],
        "by_month": [{"month": f"{m:%Y-%m}", **figure(f)} for m, f in groups.by_month()],
    }
