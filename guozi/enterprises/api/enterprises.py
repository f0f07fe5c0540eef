"""The enterprise registry under /api/: profiles (list and whole record), restructurings, and
the county consolidation figures. Read-only: the registry is kept on its pages."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from guozi.core.api.base import Pages, actor, get_scoped, isolation, scoped
from guozi.core.models import Organization
from guozi.core.scope import scope_for
from guozi.enterprises.choices import EnterpriseStatus, GovernanceKind, Level, Ownership
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring
from guozi.enterprises.selectors import Change, EnterpriseRecord, consolidation, enterprise_record

router = Router(tags=["enterprises"])
PROFILE = "enterprises.EnterpriseProfile"
RESTRUCTURING = "enterprises.Restructuring"


class ProfileOut(Schema):
    """``id`` is the profile's; ``organization_id`` the enterprise's in ``/api/organizations``."""

    id: int
    organization_id: int
    name: str
    short_name: str
    credit_code: str
    level: Level
    ownership: Ownership
    region: str
    industry: str
    status: EnterpriseStatus
    merged_into_id: int | None
    merged_into: str | None

    @staticmethod
    def resolve_name(profile: EnterpriseProfile) -> str:
        return profile.organization.name

    @staticmethod
    def resolve_short_name(profile: EnterpriseProfile) -> str:
        return profile.organization.short_name

    @staticmethod
    def resolve_region(profile: EnterpriseProfile) -> str:
        return profile.organization.region

    @staticmethod
    def resolve_merged_into(profile: EnterpriseProfile) -> str | None:
        return profile.merged_into.name if profile.merged_into else None


class GovernanceOut(Schema):
    id: int
    kind: GovernanceKind
    title: str
    done_on: date
    count: int | None
    note: str


class RatingOut(Schema):
    id: int
    agency: str
    grade: str
    rated_on: date


class SnapshotOut(Schema):
    id: int
    as_of: date
    staff_quota: int | None
    management_posts: int | None
    note: str


class ChangeOut(Schema):
    """A figure's first and latest value; ``difference`` is after − before (null with one date)."""

    before: int | None
    after: int | None
    since: date | None
    until: date | None
    difference: int | None


class HeadcountChangeOut(Schema):
    staff_quota: ChangeOut
    management_posts: ChangeOut


class RestructuringOut(Schema):
    id: int
    done_on: date
    document_number: str
    region: str
    result_id: int
    result: str
    merged: list[int]
    merged_names: list[str]
    note: str

    @staticmethod
    def resolve_result(restructuring: Restructuring) -> str:
        return restructuring.result.name

    @staticmethod
    def resolve_merged(restructuring: Restructuring) -> list[int]:
        return [o.pk for o in restructuring.merged.all()]

    @staticmethod
    def resolve_merged_names(restructuring: Restructuring) -> list[str]:
        return [o.name for o in restructuring.merged.all()]


class ProfileDetailOut(ProfileOut):
    """The whole record, each part read through the caller's own scope."""

    governance: list[GovernanceOut]
    ratings: list[RatingOut]
    headcount: list[SnapshotOut]
    headcount_change: HeadcountChangeOut | None
    restructurings: list[RestructuringOut]

    @staticmethod
    def resolve_governance(profile: EnterpriseProfile) -> list[GovernanceRecord]:
        return _record(profile).governance

    @staticmethod
    def resolve_ratings(profile: EnterpriseProfile) -> list[CreditRating]:
        return _record(profile).ratings

    @staticmethod
    def resolve_headcount(profile: EnterpriseProfile) -> list[Headcount]:
        return _record(profile).snapshots

    @staticmethod
    def resolve_headcount_change(profile: EnterpriseProfile) -> dict[str, Any] | None:
        change = _record(profile).headcount
        if change is None:
            return None
        return {"staff_quota": _change(change.staff_quota), "management_posts": _change(change.management_posts)}

    @staticmethod
    def resolve_restructurings(profile: EnterpriseProfile) -> list[Restructuring]:
        return _record(profile).restructurings


def _record(profile: EnterpriseProfile) -> EnterpriseRecord:
    """The record ``enterprise_detail`` read for the profile, once for every part."""
    record: EnterpriseRecord = profile.__dict__["registry_record"]
    return record


def _restructurings(request: HttpRequest) -> QuerySet[Restructuring]:
    return scoped(request, Restructuring).select_related("result").prefetch_related("merged")


def _change(change: Change) -> dict[str, Any]:
    return {
        "before": change.before,
        "after": change.after,
        "since": change.since,
        "until": change.until,
        "difference": change.difference,
    }


@router.get("/enterprises", response=list[ProfileOut], openapi_extra=isolation(PROFILE, "list"))
@paginate(Pages, page_size=50)
def enterprise_list(
    request: HttpRequest,
    level: Level | None = None,
    ownership: Ownership | None = None,
    region: str | None = None,
    status: EnterpriseStatus | None = None,
) -> Any:
    """The registry as far as the caller may see, filtered by level, city/county, region and status."""
    profiles: QuerySet[EnterpriseProfile] = scoped(request, EnterpriseProfile).select_related(
        "organization", "merged_into"
    )
    filters = {"level": level, "ownership": ownership, "organization__region": region, "status": status}
    return profiles.filter(**{key: value for key, value in filters.items() if value is not None})


@router.get("/enterprises/{int:pk}", response=ProfileDetailOut, openapi_extra=isolation(PROFILE, "object"))
def enterprise_detail(request: HttpRequest, pk: int) -> Any:
    profile: EnterpriseProfile = get_scoped(request, EnterpriseProfile, pk)
    profile.__dict__["registry_record"] = enterprise_record(actor(request), profile.organization)
    return profile


@router.get("/restructurings", response=list[RestructuringOut], openapi_extra=isolation(RESTRUCTURING, "list"))
@paginate(Pages, page_size=50)
def restructuring_list(request: HttpRequest, region: str | None = None) -> Any:
    restructurings = _restructurings(request)
    return restructurings if region is None else restructurings.filter(result__region=region)


class CountyOut(Schema):
    region: str
    before: int
    merged: int
    after: int
    restructurings: int


class ConsolidationOut(Schema):
    """County-owned SOEs before and after, by county: after = in operation; before = after + merged away."""

    organization_id: int
    before: int
    merged: int
    after: int
    counties: list[CountyOut]


@router.get(
    "/organizations/{int:pk}/county-consolidation",
    response=ConsolidationOut,
    openapi_extra=isolation("core.Organization", "object"),
)
def county_consolidation(request: HttpRequest, pk: int) -> Any:
    """The consolidation of the county SOEs within an organisation's subtree (the city government's: all)."""
    organization = get_scoped(request, Organization, pk)
    if scope_for(request.user, EnterpriseProfile, "view") is None:
        raise HttpError(404, "Not found")  # no registry to show: like an organisation it cannot see
    result = consolidation(scoped(request, EnterpriseProfile), scoped(request, Restructuring), within=organization)
    return {
        "organization_id": organization.pk,
        "before": result.before,
        "merged": result.merged,
        "after": result.after,
        "counties": [
            {
                "region": c.region,
                "before": c.before,
                "merged": c.merged,
                "after": c.after,
                "restructurings": c.restructurings,
            }
            for c in result.counties
        ],
    }
