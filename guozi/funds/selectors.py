"""Reads of funds with what is computed from their records: stage, waiting gates, money.

Everything here takes an ``as_of`` date, so a page or a report shows the funds as
they stood on that day (the reference report is as of 2025-09-30).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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
    """The funds as they stood on ``as_of`` (today by default), in a fixed number of queries."""
    as_of = as_of or timezone.localdate()
    funds = funds.select_related("sponsor", "parent").prefetch_related(
        Prefetch("stages", queryset=StageEntry.objects.filter(entered_on__lte=as_of).order_by("stage")),
        Prefetch("gates", queryset=Gate.objects.order_by("since", "pk")),
        Prefetch(
            "partners",
            queryset=Partner.objects.select_related("organization").prefetch_related(
                Prefetch("contributions", queryset=Contribution.objects.filter(paid_on__lte=as_of))
            ),
        ),
    )
    # Gates may wait on funds or partners the list does not hold: read those facts directly.
    filed = dict(StageEntry.objects.filter(stage=Stage.FILING).values_list("fund_id", "entered_on"))
    first_paid: dict[int, date] = {}
    for partner_id, paid_on in Contribution.objects.order_by("paid_on").values_list("partner_id", "paid_on"):
        first_paid.setdefault(partner_id, paid_on)
    states = []
    for fund in funds:
        partners = [
            PartnerState(p, p.commitment, sum((c.amount for c in p.contributions.all()), Decimal(0)))
            for p in fund.partners.all()
        ]
        gates = [GateState(g, _gate_open(g, as_of, filed, first_paid)) for g in fund.gates.all()]
        states.append(FundState(fund, as_of, list(fund.stages.all()), gates, partners))
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
