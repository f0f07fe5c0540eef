"""Reads that add up: the census (清查) of an enterprise's ledger, its revitalisations (盘活), its
transfers, and its financial figures on two dates compared — computed, never stored.

Every figure comes from the rows handed in, which the caller has already scoped
(``Asset.objects.restrict(user)`` and the like): a figure shows only what its reader may
see. Cross-app readers (dashboards, the report generator) use these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import gettext as _

from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus, Package, RevitalizationMethod, Utilisation
from guozi.assets.models import (
    Asset,
    AssetCategory,
    AssetRollup,
    AssetSummary,
    AssetTransfer,
    FinancialSnapshot,
    Revitalization,
)
from guozi.core.choices import DataScope
from guozi.core.models import Organization
from guozi.core.scope import leads_into, scope_for, whole_subtrees_q
from guozi.core.subtree import Subtree

CENT = Decimal("0.01")
M = TypeVar("M", Asset, AssetSummary)
#: Rows the census adds up without grouping the ledger: the per-enterprise summary or the subtree rollup.
Summed = QuerySet[AssetSummary] | QuerySet[AssetRollup]


@dataclass(frozen=True)
class Figure:
    """So many assets (项) worth so much (元, book value)."""

    count: int = 0
    value: Decimal = Decimal(0)

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.count + other.count, self.value + other.value)


@dataclass(frozen=True)
class Census:
    total: Figure
    #: Top-level classes in their order, each with its own and its sub-classes' assets.
    by_category: list[tuple[AssetCategory, Figure]]
    by_utilisation: dict[str, Figure]
    #: The four packages 用、售、租、融 in that order (assets without one are not in a package).
    packages: list[tuple[Package, Figure]]
    #: 需办证: assets that need a title certificate, whatever its state; 已完成: those that have it.
    certificates_needed: int
    certificates_done: int

    @property
    def inefficient(self) -> Figure:
        return self.by_utilisation.get(Utilisation.INEFFICIENT, Figure())

    @property
    def idle(self) -> Figure:
        return self.by_utilisation.get(Utilisation.IDLE, Figure())

    @property
    def packaged(self) -> Figure:
        return sum((figure for _, figure in self.packages), Figure())


def _of_enterprise(rows: QuerySet[Any], path: str, enterprise: Organization, subtree: bool) -> QuerySet[Any]:
    """The rows whose ``path`` leads to ``enterprise`` (and, if ``subtree``, to its subsidiaries)."""
    return rows.filter(leads_into(rows.model, path, Subtree(enterprise.pk) if subtree else [enterprise.pk]))


def enterprise_assets(assets: QuerySet[M], enterprise: Organization, *, subtree: bool = True) -> QuerySet[M]:
    """The rows of ``assets`` (ledger or summary rows) that belong to ``enterprise`` (and, by
    default, its subsidiaries)."""
    return _of_enterprise(assets, "enterprise", enterprise, subtree)


def _grouped(assets: QuerySet[Any], column: str) -> dict[str, Figure]:
    rows = assets.order_by().values(column).annotate(n=Count("pk"), value=Sum("book_value"))
    # SQLite adds DECIMAL columns up as floats and Django returns the sum to 15 significant
    # digits: exact to the 分 below 10万亿元. Quantized, both databases answer alike (30670000000.00).
    return {row[column]: Figure(row["n"], (row["value"] or Decimal(0)).quantize(CENT)) for row in rows}


def census_rows(
    user: Any, enterprise: Organization | None = None, *, subtree: bool = True, action: str = "view"
) -> Summed:
    """The summary rows that add up to the census ``user`` may read: of ``enterprise`` (with its
    subsidiaries unless ``subtree`` is false) or, without one, of everything in the user's scope.

    A whole subtree the user may read is one organisation's rollup rows (a few hundred, however
    many enterprises lie below); the whole city is the rollup of the tree's roots. A subtree the
    user sees only in part (an "own organisation" scope above subsidiaries), or one enterprise
    alone, is its per-enterprise summary rows, in the ledger's scope. Either way the figures are
    those of ``Asset.objects.restrict(user, action)`` narrowed to the same enterprises.
    """
    summaries = AssetSummary.objects.restrict(user, action)
    if enterprise is not None and not subtree:
        return summaries.filter(enterprise=enterprise)
    whole = whole_subtrees_q(user, Asset, action, "pk")
    if enterprise is None and whole is not None:
        scope = scope_for(user, Asset, action)
        rollups = AssetRollup.objects.restrict(user, action)
        if scope == DataScope.ALL:
            return rollups.filter(organization__parent__isnull=True)  # the roots, found in the same query
        if scope == DataScope.SUBTREE and getattr(user, "organization_id", None) is not None:
            return rollups.filter(organization=user.organization_id)  # whole in a subtree scope: no check
    if enterprise is not None:
        tops = [enterprise.pk]
    elif getattr(user, "organization_id", None) is not None:
        tops = [user.organization_id]
    else:
        return summaries  # no organisation, no subtree: whatever the scope opens (nothing)
    if whole is not None and Organization.objects.filter(whole, pk__in=tops).count() == len(tops):
        return AssetRollup.objects.restrict(user, action).filter(organization__in=tops)
    return summaries if enterprise is None else enterprise_assets(summaries, enterprise)


def census(assets: QuerySet[Asset] | Summed) -> Census:
    """The census figures of ``assets``: ledger rows (five queries, each a GROUP BY over
    them) or, what dashboards hand in, summary rows (``census_rows(user, enterprise)``: one
    query over a few hundred rows). Both give the same figures to the 分 while the summary and
    its rollup hold their invariant (``guozi.assets.summaries``)."""
    categories = list(AssetCategory.objects.order_by("sort_order", "code"))
    if assets.model in (AssetSummary, AssetRollup):
        return _assembled(categories, *_summed(plain_rows(summary_groups(assets))))
    if assets.model is not Asset:  # a real check: python -O strips asserts
        raise TypeError(f"census() reads assets or asset summaries, not {assets.model.__name__}")
    by_category = _grouped(assets, "category")
    by_certificate = _grouped(assets, "certificate")
    by_package = _grouped(assets, "package")
    by_utilisation = _grouped(assets, "utilisation")
    needed = sum(by_certificate.get(status, Figure()).count for status in NEEDS_CERTIFICATE)
    done = by_certificate.get(CertificateStatus.DONE, Figure()).count
    return _assembled(categories, by_category, by_utilisation, by_package, needed, done)


def censuses(user: Any, enterprises: list[Organization], action: str = "view") -> dict[int, Census]:
    """Each enterprise's census, as ``census(census_rows(user, enterprise))`` gives it, by primary key.

    A report names up to hundreds of enterprises. Those whose whole subtree the user reads
    cost one GROUP BY of their rollup rows together; the rest (a subtree seen in part) go
    one by one through ``census_rows``, which knows how to narrow them.
    """
    whole = whole_subtrees_q(user, Asset, action, "pk")
    ids = [enterprise.pk for enterprise in enterprises]
    rolled = (
        set(Organization.objects.filter(whole, pk__in=ids).values_list("pk", flat=True)) if whole is not None else set()
    )
    found: dict[int, Census] = {}
    if rolled:
        categories = list(AssetCategory.objects.order_by("sort_order", "code"))
        rollups = AssetRollup.objects.restrict(user, action).filter(organization__in=rolled)
        marginals = _marginals(rollups)
        for pk in rolled:
            groups = marginals.get(pk) or _Marginals()
            found[pk] = _assembled(categories, *groups.by, groups.needed, groups.done)
    for enterprise in enterprises:
        if enterprise.pk not in found:
            found[enterprise.pk] = census(census_rows(user, enterprise, action=action))
    return found


@dataclass
class _Marginals:
    """One organisation's census groups: by class, by utilisation, by package; certificates."""

    by: tuple[dict[Any, Figure], dict[Any, Figure], dict[Any, Figure]] = field(default_factory=lambda: ({}, {}, {}))
    needed: int = 0
    done: int = 0


def _marginals(rollups: QuerySet[AssetRollup]) -> dict[int, _Marginals]:
    """The census groups of each organisation of ``rollups``, added up by the database: one
    GROUP BY organisation and class, one by utilisation, one by package.

    Not the class × utilisation × package groups added up here as :func:`census` does: for the
    200 enterprises of a report that was 21,000 rows to fetch and add up in Python (44 ms for
    the query alone at a million assets on PostgreSQL), against 3,800 rows (22 ms for all three).
    """
    found: dict[int, _Marginals] = {}
    for position, dimension in enumerate(("category", "utilisation", "package")):
        groups = rollups.order_by().values_list("organization", dimension).annotate(**_CENSUS_SUMS)
        for organization, key, n, fen, needed, done in plain_rows(groups):
            entry = found.setdefault(organization, _Marginals())
            entry.by[position][key] = _figure(n, fen)
            if position == 0:  # each row once: the certificates over the classes
                entry.needed += needed
                entry.done += done
    return found


def _figure(n: int, fen: int) -> Figure:
    """``n`` assets worth ``fen`` 分 in all, as a census figure in 元."""
    return Figure(n, (Decimal(fen) / 100).quantize(CENT))


def _assembled(
    categories: list[AssetCategory],
    by_category: Mapping[Any, Figure],
    by_utilisation: dict[str, Figure],
    by_package: Mapping[Any, Figure],
    needed: int,
    done: int,
) -> Census:
    """The census from its groups: classes added up to their top-level class, in order."""
    parents = {category.pk: category.parent_id for category in categories}

    def top(pk: int) -> int:
        while parents.get(pk) is not None:
            pk = parents[pk]  # type: ignore[assignment]
        return pk

    by_top: dict[int, Figure] = {}
    for category_id, figure in by_category.items():
        key = top(int(category_id))
        by_top[key] = by_top.get(key, Figure()) + figure
    return Census(
        total=sum(by_utilisation.values(), Figure()),
        by_category=[(c, by_top[c.pk]) for c in categories if c.parent_id is None and c.pk in by_top],
        by_utilisation=by_utilisation,
        packages=[(package, by_package.get(package, Figure())) for package in Package],
        certificates_needed=needed,
        certificates_done=done,
    )


def summary_groups(summaries: Summed, *by: str) -> QuerySet[Any, tuple[Any, ...]]:
    """The one query the census makes of summary rows (its plan is in docs/assets.md); ``by``
    groups further (``censuses`` groups rollup rows by organisation too, in front).

    The sums are cast to bigint: PostgreSQL's SUM of a bigint is a numeric, which the driver
    would hand over as a Decimal; so both databases give plain integers (see ``plain_rows``).
    """
    return summaries.order_by().values_list(*by, "category", "utilisation", "package").annotate(**_CENSUS_SUMS)


#: What a census adds up of summary or rollup rows, cast to bigint (see ``summary_groups``).
_CENSUS_SUMS = {
    "n": Cast(Sum("asset_count"), BigIntegerField()),
    "fen": Cast(Sum("book_value_fen"), BigIntegerField()),
    "needed": Cast(Sum("certificates_needed"), BigIntegerField()),
    "done": Cast(Sum("certificates_done"), BigIntegerField()),
}


def plain_rows(query: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``summary_groups`` as the database driver gives them: ids, choice codes and
    integers, which need none of Django's per-value converters. A report reads the rollups of
    200 enterprises, 14,000 grouped rows, and the converters took 40 % of that read."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a scope that opens nothing: Django answers without asking the database
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _summed(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[dict[Any, Figure], dict[str, Figure], dict[str, Figure], int, int]:
    """By class, by utilisation, by package, certificates needed and done, from the groups
    of ``summary_groups`` (class × utilisation × package: a few hundred at most), added up
    further here: the sums are whole 分 in integers, exact on both databases.
    """
    by_category: dict[Any, list[int]] = {}
    by_utilisation: dict[str, list[int]] = {}
    by_package: dict[str, list[int]] = {}
    needed = done = 0
    for category, utilisation, package, n, fen, row_needed, row_done in rows:
        for found, key in ((by_category, category), (by_utilisation, utilisation), (by_package, package)):
            totals = found.setdefault(key, [0, 0])
            totals[0] += n
            totals[1] += fen
        needed += row_needed
        done += row_done

    def figures(found: dict[Any, list[int]]) -> dict[Any, Figure]:
        return {key: _figure(n, fen) for key, (n, fen) in found.items()}

    return figures(by_category), figures(by_utilisation), figures(by_package), needed, done


# --- revitalisation (盘活) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Revitalised:
    """So many revitalisations (项) of assets worth so much, realising so much cash (元)."""

    count: int = 0
    value: Decimal = Decimal(0)
    cash: Decimal = Decimal(0)

    def __add__(self, other: Revitalised) -> Revitalised:
        return Revitalised(self.count + other.count, self.value + other.value, self.cash + other.cash)


def _sum(value: Decimal | None) -> Decimal:
    # See ``_grouped``: quantized, SQLite's float sums and PostgreSQL's exact ones agree.
    return (value or Decimal(0)).quantize(CENT)


def revitalizations_of(
    events: QuerySet[Revitalization], enterprise: Organization, *, subtree: bool = True
) -> QuerySet[Revitalization]:
    """The events of ``events`` on assets of ``enterprise`` (and, by default, its subsidiaries)."""
    return _of_enterprise(events, "asset__enterprise", enterprise, subtree)


def in_period(
    events: QuerySet[Revitalization], start: date | None = None, end: date | None = None
) -> QuerySet[Revitalization]:
    """The events dated from ``start`` to ``end``, both included; either may be open."""
    if start is not None:
        events = events.filter(revitalized_on__gte=start)
    if end is not None:
        events = events.filter(revitalized_on__lte=end)
    return events


#: The aggregates every revitalisation total is made of.
_TOTALS = {"n": Count("pk"), "value": Sum("value"), "cash": Sum("cash")}


def _revitalised(row: Mapping[str, Any]) -> Revitalised:
    return Revitalised(row["n"], _sum(row["value"]), _sum(row["cash"]))


def revitalization_totals(events: QuerySet[Revitalization]) -> Revitalised:
    """Count, value and cash realised of ``events``, in one query."""
    return _revitalised(events.order_by().aggregate(**_TOTALS))


def revitalized(
    enterprise: Organization,
    start: date | None = None,
    end: date | None = None,
    *,
    events: QuerySet[Revitalization] | None = None,
    subtree: bool = True,
) -> Revitalised:
    """What ``enterprise`` (with its subsidiaries) revitalised from ``start`` to ``end``:
    "盘活闲置资产28项，价值20.39亿元，变现金额28.48亿元". ``events``: the rows the reader
    may see (``Revitalization.objects.restrict(user)``); all of them by default."""
    events = Revitalization.objects.all() if events is None else events
    return revitalization_totals(in_period(revitalizations_of(events, enterprise, subtree=subtree), start, end))


def revitalization_by_method(events: QuerySet[Revitalization]) -> list[tuple[RevitalizationMethod, Revitalised]]:
    """The totals per method, in the order of the methods; methods without events left out."""
    rows = events.order_by().values("method").annotate(**_TOTALS)
    found = {row["method"]: _revitalised(row) for row in rows}
    return [(method, found[method]) for method in RevitalizationMethod if method in found]


def revitalization_by_enterprise(events: QuerySet[Revitalization]) -> dict[int, Revitalised]:
    """The totals per enterprise that holds the assets (subsidiaries on their own), by its id.

    Each event looks its asset's enterprise up by the asset's primary key, rather than joining
    the ledger: joined, SQLite grouped by walking the ledger's enterprise index and probing the
    events from there whenever the events had no statistics (47 ms at a million rows for no event).
    """
    holder = Asset.objects.filter(pk=OuterRef("asset_id")).order_by().values("enterprise_id")
    rows = events.order_by().annotate(holder=Subquery(holder)).values("holder").annotate(**_TOTALS)
    return {row["holder"]: _revitalised(row) for row in rows}


def revitalization_by_month(events: QuerySet[Revitalization]) -> list[tuple[date, Revitalised]]:
    """The totals per calendar month (its first day), oldest first; months without events left out."""
    rows = (
        events.order_by()
        .annotate(month=TruncMonth("revitalized_on"))
        .values("month")
        .annotate(**_TOTALS)
        .order_by("month")
    )
    return [(row["month"], _revitalised(row)) for row in rows]


@dataclass(frozen=True)
class RevitalisationGroups:
    """Events' totals by calendar month and method, from one GROUP BY: the overview's months,
    years, methods of a year and its total are sums of these few cells (at most twelve a year
    per method), where three queries walked the reader's scope three times."""

    #: (first day of the month, method) → the totals of its events.
    cells: dict[tuple[date, str], Revitalised]

    def by_month(self) -> list[tuple[date, Revitalised]]:
        """As :func:`revitalization_by_month` gives them: oldest first, empty months left out."""
        months: dict[date, Revitalised] = {}
        for (month, _method), figure in self.cells.items():
            months[month] = months.get(month, Revitalised()) + figure
        return sorted(months.items(), key=lambda item: item[0])

    def years(self) -> list[int]:
        return sorted({month.year for month, _method in self.cells})

    def by_method(self, year: int | None = None) -> list[tuple[RevitalizationMethod, Revitalised]]:
        """As :func:`revitalization_by_method` gives them for the events of ``year`` (or all)."""
        found: dict[str, Revitalised] = {}
        for (month, method), figure in self.cells.items():
            if year is None or month.year == year:
                found[method] = found.get(method, Revitalised()) + figure
        return [(method, found[method]) for method in RevitalizationMethod if method in found]

    def total(self, year: int | None = None) -> Revitalised:
        """As :func:`revitalization_totals` gives it for the events of ``year`` (or all); no
        events: 0 of 0.00 元, to the fen like a sum."""
        figures = (figure for (month, _method), figure in self.cells.items() if year is None or month.year == year)
        return sum(figures, Revitalised(0, _sum(None), _sum(None)))


def revitalization_groups(events: QuerySet[Revitalization]) -> RevitalisationGroups:
    """The totals of ``events`` by calendar month and method, in one query."""
    rows = events.order_by().annotate(month=TruncMonth("revitalized_on")).values("month", "method").annotate(**_TOTALS)
    return RevitalisationGroups({(row["month"], row["method"]): _revitalised(row) for row in rows})


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- transfers and injections (划转、注入) -----------------------------------------------------


def transfers_involving(transfers: QuerySet[AssetTransfer], organization: Organization) -> QuerySet[AssetTransfer]:
    """The transfers ``organization`` gave, received or was moved by."""
    # A subquery, not a join: the many-to-many path would repeat rows.
    moved = AssetTransfer.objects.filter(organizations=organization).values("pk")
    return transfers.filter(Q(from_organization=organization) | Q(to_organization=organization) | Q(pk__in=moved))


def transfer_totals(transfers: QuerySet[AssetTransfer]) -> tuple[int, Decimal]:
    """How many transfers and their stated value (元; a transfer that states none counts 0)."""
    row = transfers.order_by().aggregate(n=Count("pk"), value=Sum("value"))
    return row["n"], _sum(row["value"])


# --- financial snapshots (财务快报) --------------------------------------------------------------

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Change:
    """One figure on two dates. ``change`` is after − before: 元 for amounts, percentage
    points (个百分点) for rates."""

    key: str
    label: str
    before: Decimal | None
    after: Decimal | None
    is_rate: bool = False

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    enterprise: Organization
    before: FinancialSnapshot | None
    after: FinancialSnapshot | None
    rows: list[Change]

    def figure(self, key: str) -> Change:
        """The row of ``key`` ("total_assets", "financing_cost_rate" ...)."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


def debt_ratio(snapshot: FinancialSnapshot | None) -> Decimal | None:
    """资产负债率: liabilities ÷ assets, in per cent to two decimals."""
    if snapshot is None or not snapshot.total_assets:
        return None
    return (snapshot.total_liabilities * HUNDRED / snapshot.total_assets).quantize(CENT, rounding=ROUND_HALF_UP)


def snapshot_as_of(
    snapshots: QuerySet[FinancialSnapshot], enterprise: Organization, day: date
) -> FinancialSnapshot | None:
    """The enterprise's figures on ``day``, or else the latest before it."""
    return snapshots.filter(enterprise=enterprise, as_of__lte=day).order_by("-as_of").first()


def compare(
    enterprise: Organization,
    before: date,
    after: date,
    *,
    snapshots: QuerySet[FinancialSnapshot] | None = None,
) -> Comparison:
    """The enterprise's figures on ``before`` and ``after`` side by side, with the change:
    "资产由2024年6月的429.28亿元增加至468亿元，增加38.72亿元；融资成本率由5.05%降低至4.92%，
    减少0.13个百分点". A date without figures of its own takes the latest figures before it.
    ``snapshots``: the rows the reader may see; all of them by default."""
    snapshots = FinancialSnapshot.objects.all() if snapshots is None else snapshots
    first = snapshot_as_of(snapshots, enterprise, before)
    last = snapshot_as_of(snapshots, enterprise, after)

    def row(key: str, label: str, *, is_rate: bool = False) -> Change:
        return Change(key, label, getattr(first, key, None), getattr(last, key, None), is_rate)

    return Comparison(
        enterprise,
        first,
        last,
        [
            row("total_assets", _("total assets")),
            row("total_liabilities", _("total liabilities")),
            Change("debt_ratio", _("debt ratio"), debt_ratio(first), debt_ratio(last), is_rate=True),
            row("financing_cost_rate", _("financing cost rate"), is_rate=True),
            row("revenue", _("revenue")),
            row("profit", _("total profit")),
        ],
    )
