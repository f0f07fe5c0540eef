"""Reads that add the registry up into the figures the SASAC reports, computed, never stored.

Every function takes rows the caller has already scoped (``Model.objects.restrict(user)``),
so a figure counts only what its reader may see. Other apps (the report generator,
dashboards) read the registry through these functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from guozi.core.models import Organization, User
from guozi.core.subtree import Subtree
from guozi.enterprises.choices import COUNT_UNITS, CreditGrade, EnterpriseStatus, GovernanceKind, Ownership
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring

# --- governance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GovernanceFigure:
    """The records of one kind added up: "向两家市属国企委派6名专职外部董事" is count 6, organizations 2."""

    kind: GovernanceKind
    count: int = 0
    records: int = 0
    #: The organisations the records are about (an enterprise each, or the SASAC for an aggregate).
    organizations: int = 0
    #: (what was done, count) of each record, oldest first: "11家未脱钩改制、30家改制未脱钩".
    parts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return COUNT_UNITS.get(self.kind, "")


def governance_figures(records: QuerySet[GovernanceRecord], *, as_of: date | None = None) -> list[GovernanceFigure]:
    """Every kind in its order, with the records done by ``as_of`` (all when None); one query."""
    if as_of is not None:
        records = records.filter(done_on__lte=as_of)
    rows = records.order_by("done_on", "pk").values_list("kind", "organization_id", "title", "count")
    parts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    organizations: dict[str, set[int]] = defaultdict(set)
    for kind, organization_id, title, count in rows:
        parts[kind].append((title, count or 0))
        organizations[kind].add(organization_id)
    return [
        GovernanceFigure(
            kind=kind,
            count=sum(n for _, n in parts[kind]),
            records=len(parts[kind]),
            organizations=len(organizations[kind]),
            parts=parts[kind],
        )
        for kind in GovernanceKind
    ]


# --- credit ratings -----------------------------------------------------------------------------

_RANK = {grade: rank for rank, grade in enumerate(CreditGrade.values)}


def latest_ratings(ratings: QuerySet[CreditRating], *, as_of: date | None = None) -> list[CreditRating]:
    """Each enterprise's latest rating by ``as_of`` (of two on one day, the better), best grade first."""
    if as_of is not None:
        ratings = ratings.filter(rated_on__lte=as_of)
    latest: dict[int, CreditRating] = {}
    for rating in ratings.select_related("organization").order_by("rated_on", "pk"):
        current = latest.get(rating.organization_id)
        if current is None or rating.rated_on > current.rated_on or _RANK[rating.grade] < _RANK[current.grade]:
            latest[rating.organization_id] = rating
    return sorted(latest.values(), key=lambda r: (_RANK[r.grade], r.organization.sort_order, r.organization.name))


def by_grade(ratings: list[CreditRating]) -> dict[str, list[CreditRating]]:
    """Ratings grouped by grade, best grade first: "两家市属国企分别取得AAA" is ``len(...["AAA"]) == 2``."""
    grouped: dict[str, list[CreditRating]] = {}
    for rating in sorted(ratings, key=lambda r: _RANK[r.grade]):
        grouped.setdefault(rating.grade, []).append(rating)
    return grouped


# --- headcount ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A figure's first and latest value: "由279个压缩至251个" is before 279, after 251."""

    before: int | None = None
    after: int | None = None
    since: date | None = None
    until: date | None = None

    @property
    def difference(self) -> int | None:
        """after − before, when there are two dates to compare."""
        if self.before is None or self.after is None or self.since == self.until:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class HeadcountChange:
    organization: Organization
    staff_quota: Change
    management_posts: Change


def _change(points: list[tuple[date, int]]) -> Change:
    if not points:
        return Change()
    (since, before), (until, after) = points[0], points[-1]
    return Change(before=before, after=after, since=since, until=until)


def headcount_changes(snapshots: QuerySet[Headcount], *, as_of: date | None = None) -> list[HeadcountChange]:
    """Per enterprise, each figure's first and latest value by ``as_of``; one query."""
    if as_of is not None:
        snapshots = snapshots.filter(as_of__lte=as_of)
    return _changes(snapshots.select_related("organization").order_by("as_of", "pk"))


def _changes(snapshots: Iterable[Headcount]) -> list[HeadcountChange]:
    """The changes of snapshots given oldest first."""
    series: dict[int, tuple[Organization, list[tuple[date, int]], list[tuple[date, int]]]] = {}
    for snapshot in snapshots:
        _, quota, posts = series.setdefault(snapshot.organization_id, (snapshot.organization, [], []))
        if snapshot.staff_quota is not None:
            quota.append((snapshot.as_of, snapshot.staff_quota))
        if snapshot.management_posts is not None:
            posts.append((snapshot.as_of, snapshot.management_posts))
    return [
        HeadcountChange(organization, _change(quota), _change(posts))
        for organization, quota, posts in sorted(series.values(), key=lambda s: (s[0].sort_order, s[0].name))
    ]


# --- one enterprise's record --------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseRecord:
    """Everything the registry holds on one enterprise, as far as its reader may see."""

    governance: list[GovernanceRecord]
    #: Newest first.
    ratings: list[CreditRating]
    #: Oldest first.
    snapshots: list[Headcount]
    headcount: HeadcountChange | None
    #: Those it resulted from and the one it was merged in.
    restructurings: list[Restructuring]
    #: The enterprises merged into it.
    merged_in: list[EnterpriseProfile]


def enterprise_record(user: User, organization: Organization) -> EnterpriseRecord:
    """One enterprise's record, each part read through ``user``'s scope for its model."""
    snapshots = list(Headcount.objects.restrict(user).filter(organization=organization).select_related("organization"))
    restructurings = (
        Restructuring.objects.restrict(user)
        .filter(Q(result=organization) | Q(merged=organization))
        .distinct()
        .select_related("result")
        .prefetch_related("merged")
    )
    return EnterpriseRecord(
        governance=list(GovernanceRecord.objects.restrict(user).filter(organization=organization)),
        ratings=list(CreditRating.objects.restrict(user).filter(organization=organization).order_by("-rated_on", "pk")),
        snapshots=snapshots,
        headcount=next(iter(_changes(snapshots)), None),
        restructurings=list(restructurings),
        merged_in=list(
            EnterpriseProfile.objects.restrict(user).filter(merged_into=organization).select_related("organization")
        ),
    )


# --- county consolidation -----------------------------------------------------------------------


@dataclass(frozen=True)
class CountyConsolidation:
    """One county's SOEs before and after its restructurings ("咸安…2家")."""

    region: str
    #: Enterprises merged away by the county's restructurings.
    merged: int
    #: County-owned enterprises in operation.
    after: int
    restructurings: int

    @property
    def before(self) -> int:
        return self.merged + self.after


@dataclass(frozen=True)
class Consolidation:
    """County SOEs before and after, by county in the order of the organisation tree: "由64户整合为10户"."""

    counties: list[CountyConsolidation]

    @property
    def before(self) -> int:
        return sum(c.before for c in self.counties)

    @property
    def after(self) -> int:
        return sum(c.after for c in self.counties)

    @property
    def merged(self) -> int:
        return sum(c.merged for c in self.counties)

    @property
    def restructurings(self) -> int:
        return sum(c.restructurings for c in self.counties)


def consolidation(
    profiles: QuerySet[EnterpriseProfile],
    restructurings: QuerySet[Restructuring],
    *,
    within: Organization | None = None,
) -> Consolidation:
    """County-owned enterprises before and after consolidation, by county, in four queries.

    after = the county's county-owned enterprises in operation; before = after + the enterprises
    the county's restructurings merged away (a restructuring is the county's when its result is
    a county-owned enterprise of that region). ``within`` limits both to an organisation's subtree.
    """
    if within is not None:
        below = Subtree(within.pk)
        profiles = profiles.filter(organization__in=below)
        restructurings = restructurings.filter(result__in=below)
    region = "organization__region"
    active = profiles.filter(ownership=Ownership.COUNTY, status=EnterpriseStatus.ACTIVE)
    after = {row[region]: row["n"] for row in active.order_by().values(region).annotate(n=Count("pk"))}
    county = restructurings.filter(result__enterprise_profile__ownership=Ownership.COUNTY)
    done = {
        row["result__region"]: row["n"]
        for row in county.order_by().values("result__region").annotate(n=Count("pk", distinct=True))
    }
    links = Restructuring.merged.through.objects.filter(restructuring__in=county.values("pk"))
    merged = {
        row["restructuring__result__region"]: row["n"]
        for row in links.order_by()
        .values("restructuring__result__region")
        .annotate(n=Count("organization", distinct=True))
    }
    regions = set(after) | set(done)
    return Consolidation(
        [
            CountyConsolidation(region=r, merged=merged.get(r, 0), after=after.get(r, 0), restructurings=done.get(r, 0))
            for r in _in_tree_order(regions)
        ]
    )


def _in_tree_order(regions: set[str]) -> list[str]:
    """Regions in the order their first enterprise takes in the organisation tree (the report's order)."""
    if not regions:
        return []
    ordered: list[str] = []
    enterprises = Organization.objects.filter(region__in=regions).with_tree_fields()
    for region in enterprises.values_list("region", flat=True):
        if region not in ordered:
            ordered.append(region)
    return ordered + sorted(regions - set(ordered))
