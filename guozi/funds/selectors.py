"""Reads of funds with what is computed from their records: stage, waiting gates, money.

Everything here takes an ``as_of`` date, so a page or a report shows the funds as
they stood on that day (the reference report is as of 2025-09-30).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.db.models import Min, QuerySet, Sum
from django.utils import timezone

from guozi.core.grouping import under
from guozi.core.money import CENT
from guozi.funds.choices import FundKind, GateKind, Stage
from guozi.funds.models import Contribution, Fund, Gate, Partner, StageEntry


@dataclass(frozen=True)
class PartnerState:
    partner: Partner
    commitment: Decimal
    paid_in: Decimal

    @property
    def paid_ratio(self) -> Decimal | None:
        return self.paid_in / self.commitment if self.commitment else None


@dataclass(frozen=True)
class GateState:
    gate: Gate
    open: bool

    @property
    def text(self) -> str:
        return self.gate.description


@dataclass
class FundState:
    fund: Fund
    as_of: date
    stages: list[StageEntry]
    gates: list[GateState]
    partners: list[PartnerState] = field(default_factory=list)

    @property
    def current(self) -> StageEntry | None:
        return self.stages[-1] if self.stages else None

    @property
    def current_stage(self) -> Stage | None:
        return Stage(self.current.stage) if self.current else None

    @property
    def days_in_stage(self) -> int | None:
        return (self.as_of - self.current.entered_on).days if self.current else None

    @property
    def next_stage(self) -> Stage | None:
        later = [s for s in Stage if self.current_stage is None or s > self.current_stage]
        return later[0] if later else None

    @property
    def waiting_on(self) -> list[GateState]:
        return [g for g in self.gates if g.open]

    @property
    def committed(self) -> Decimal:
        return sum((p.commitment for p in self.partners), Decimal(0))

    @property
    def paid_in(self) -> Decimal:
        return sum((p.paid_in for p in self.partners), Decimal(0))

    @property
    def paid_ratio(self) -> Decimal | None:
        return self.paid_in / self.committed if self.committed else None


def _gate_open(gate: Gate, as_of: date, filed: dict[int, date], first_paid: dict[int, date]) -> bool:
    if gate.since > as_of:
        return False  # not yet waiting on that day
    if gate.kind == GateKind.FUND_FILING:
        filed_on = filed.get(gate.awaited_fund_id or 0)
        return filed_on is None or filed_on > as_of
    if gate.kind == GateKind.PAYMENT:
        paid_on = first_paid.get(gate.awaited_partner_id or 0)
        return paid_on is None or paid_on > as_of
    return gate.cleared_on is None or gate.cleared_on > as_of


def fund_states(funds: QuerySet[Fund], as_of: date | None = None) -> list[FundState]:
    """The funds as they stood on ``as_of`` (today by default): seven queries however many there
    are, one when there are none.

    Stages, gates and partners are read by the listed funds' ids and grouped here, not
    prefetched; payments are summed by the database, per partner, not read one by one: with the
    prefetches' managers and the payments' instances gone, the fund pipeline's CPU fell by a
    quarter (docs/benchmarks.md, eighteenth session). By ids, not by the funds' query as a
    subquery: a reader scoped to a subtree would walk it again in each of the six reads (7–16 ms
    a walk at 10,000 organisations, core/subtree.py), and a page lists tens of funds, not thousands.
    """
    as_of = as_of or timezone.localdate()
    listed = list(funds)
    if not listed:
        return []  # nothing more to read: a task without funds, a user who sees none
    keys = [fund.pk for fund in listed]
    by_fund = attrgetter("fund_id")
    stages = under(keys, StageEntry.objects.filter(fund__in=keys, entered_on__lte=as_of).order_by("stage"), by_fund)
    gates = under(keys, Gate.objects.filter(fund__in=keys).order_by("since", "pk"), by_fund)
    partners = under(keys, Partner.objects.filter(fund__in=keys).select_related("organization"), by_fund)
    # SQLite adds DECIMAL columns up as floats, exact to the 分 below 10万亿元: quantized, both
    # databases answer alike (as assets.selectors' census figures do).
    paid = {
        partner: total.quantize(CENT)
        for partner, total in Contribution.objects.filter(partner__fund__in=keys, paid_on__lte=as_of)
        .order_by()
        .values("partner")
        .annotate(total=Sum("amount"))
        .values_list("partner", "total")
    }
    # Gates may wait on funds or partners the list does not hold: read those facts directly,
    # for the awaited ones alone (the whole table was read on every page before).
    awaited = Gate.objects.filter(fund__in=keys)
    filings = StageEntry.objects.filter(stage=Stage.FILING, fund__in=awaited.values("awaited_fund"))
    filed = dict(filings.order_by().values_list("fund_id", "entered_on"))
    first_paid = dict(
        Contribution.objects.filter(partner__in=awaited.values("awaited_partner"))
        .order_by()
        .values("partner")
        .annotate(first=Min("paid_on"))
        .values_list("partner", "first")
    )
    states = []
    for fund in listed:
        # As a prefetch does: a stage's name, a gate's or a partner's fund then needs no query.
        owned: list[StageEntry | Gate | Partner] = [*stages[fund.pk], *gates[fund.pk], *partners[fund.pk]]
        for row in owned:
            row.fund = fund
        shares = [PartnerState(p, p.commitment, paid.get(p.pk, Decimal(0))) for p in partners[fund.pk]]
        waiting = [GateState(g, _gate_open(g, as_of, filed, first_paid)) for g in gates[fund.pk]]
        states.append(FundState(fund, as_of, stages[fund.pk], waiting, shares))
    return states


@dataclass(frozen=True)
class FundTotals:
    count: int
    total_size: Decimal
    committed: Decimal
    paid_in: Decimal
    by_kind: list[tuple[str, Decimal, int]]  # (kind label, size, count)


def fund_totals(states: Iterable[FundState]) -> FundTotals:
    states = list(states)
    by_kind = []
    for kind in FundKind:
        of_kind = [s for s in states if s.fund.kind == kind]
        if of_kind:
            by_kind.append((str(kind.label), sum((s.fund.target_size for s in of_kind), Decimal(0)), len(of_kind)))
    return FundTotals(
        count=len(states),
        total_size=sum((s.fund.target_size for s in states), Decimal(0)),
        committed=sum((s.committed for s in states), Decimal(0)),
        paid_in=sum((s.paid_in for s in states), Decimal(0)),
        by_kind=by_kind,
    )


def pipeline(states: Iterable[FundState]) -> list[tuple[Stage | None, list[FundState]]]:
    """Funds grouped by their current stage, every stage listed (None: not started)."""
    states = list(states)
    columns: list[tuple[Stage | None, list[FundState]]] = [(None, [s for s in states if s.current is None])]
    columns += [(stage, [s for s in states if s.current_stage == stage]) for stage in Stage]
    return columns
