"""The demo's five funds give the figures of the reference report's section 一 (as of 2025-09-30)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guozi.core.changes import COMMAND
from guozi.core.money import format_money
from guozi.core.testing import user
from guozi.funds.choices import FundKind, Stage
from guozi.funds.models import Fund, Partner
from guozi.funds.selectors import fund_states, fund_totals, pipeline
from guozi.funds.services.partners import contribution_create
from guozi.funds.services.stages import stage_entry_create

pytestmark = pytest.mark.usefixtures("demo_world")
AS_OF = date(2025, 9, 30)


def states_by_name() -> dict[str, object]:
    return {s.fund.name: s for s in fund_states(Fund.objects.all(), AS_OF)}


def test_five_funds_of_44_yi_in_all() -> None:
    totals = fund_totals(fund_states(Fund.objects.all(), AS_OF))
    # "推进总规模44亿元的5支基金设立工作"
    assert (totals.count, format_money(totals.total_size)) == (5, "44亿元")


@pytest.mark.parametrize(
    ("name", "size", "kind", "stage", "waiting"),
    [
        ("咸宁长证高新产业投资基金", "30亿元", FundKind.REGIONAL, Stage.FIRST_PAYMENT, ["省引导基金办理出资手续"]),
        ("咸宁大健康产业投资基金", "5亿元", FundKind.SPECIAL, Stage.APPROVAL, ["文旅母基金审核管理人尽调资料"]),
        (
            "湖北香城长江科创投资基金",
            "2亿元",
            FundKind.OFFSHORE,
            Stage.NEGOTIATION,
            ["长产集团基金管委会审议基金管理人变更", "各方确认合伙协议修改意见"],
        ),
        ("咸宁东湖高新科创产业发展基金", "5亿元", FundKind.VENTURE, Stage.NEGOTIATION, []),
        ("高新区产业发展倍增基金", "2亿元", FundKind.SPECIAL, Stage.PROPOSAL, ["长证母基金完成备案"]),
    ],
)
def test_each_fund_as_the_report_states_it(name: str, size: str, kind: str, stage: Stage, waiting: list[str]) -> None:
    state = states_by_name()[name]
    assert format_money(state.fund.target_size) == size  # type: ignore[attr-defined]
    assert state.fund.kind == kind  # type: ignore[attr-defined]
    assert state.current_stage == stage  # type: ignore[attr-defined]
    assert [g.text for g in state.waiting_on] == waiting  # type: ignore[attr-defined]
    assert state.fund.target_task.number == 35  # type: ignore[attr-defined]


def test_changzheng_is_registered_with_two_partners_paid_and_one_paying() -> None:
    state = states_by_name()["咸宁长证高新产业投资基金"]
    stages = [e.stage for e in state.stages]  # type: ignore[attr-defined]
    assert Stage.REGISTRATION in stages
    paid = {p.partner.name for p in state.partners if p.paid_in > 0}  # type: ignore[attr-defined]
    unpaid = {p.partner.name for p in state.partners if p.paid_in == 0}  # type: ignore[attr-defined]
    assert unpaid == {"湖北省政府引导基金"}
    assert {"长江资本", "市高投集团", "市城发集团"} == paid
    # "总规模达30亿元，预计撬动社会资本150亿元"
    assert state.fund.leverage == Decimal("5.00")  # type: ignore[attr-defined]
    assert format_money(state.fund.planned_social_capital) == "150亿元"  # type: ignore[attr-defined]


def test_sub_fund_waits_on_its_parent() -> None:
    doubling = Fund.objects.get(short_name="高新区倍增基金")
    assert doubling.parent is not None
    assert doubling.parent.short_name == "长证高新产业基金"


def test_pipeline_columns_and_days_in_stage() -> None:
    states = fund_states(Fund.objects.all(), AS_OF)
    columns = {stage: [s.fund.short_name for s in group] for stage, group in pipeline(states)}
    assert columns[Stage.NEGOTIATION] == ["东湖高新科创基金", "香城长江科创基金"]
    assert columns[None] == []
    assert len(columns) == len(Stage) + 1
    donghu = next(s for s in states if s.fund.short_name == "东湖高新科创基金")
    assert donghu.days_in_stage == (AS_OF - date(2025, 8, 15)).days == 46


def test_an_earlier_day_shows_an_earlier_stage() -> None:
    states = {s.fund.short_name: s for s in fund_states(Fund.objects.all(), date(2025, 5, 1))}
    assert states["长证高新产业基金"].current_stage == Stage.SIGNING
    assert states["长证高新产业基金"].paid_in == 0
    assert states["高新区倍增基金"].current is None


def test_totals_by_kind_and_money() -> None:
    totals = fund_totals(fund_states(Fund.objects.all(), AS_OF))
    by_kind = {label: format_money(size) for label, size, _ in totals.by_kind}
    assert by_kind == {"区域分母基金": "30亿元", "专项基金": "7亿元", "创投基金": "5亿元", "离岸基金": "2亿元"}
    assert format_money(totals.committed) == "44亿元"
    assert format_money(totals.paid_in) == "4.2亿元"


def test_one_fund_or_all_in_the_same_seven_queries() -> None:
    """Stages, gates, partners, payments and the awaited facts are read for all funds at once."""
    counts = []
    one, none = Fund.objects.filter(short_name="高新区倍增基金"), Fund.objects.filter(name="无此基金")
    for funds in (one, Fund.objects.all(), none):
        with CaptureQueriesContext(connection) as queries:
            fund_states(funds, AS_OF)
        counts.append(len(queries))
    assert counts == [7, 7, 1]


def test_the_states_rows_know_their_fund() -> None:
    """A stage's name, a gate's and a partner's fund, read from the states, take no query."""
    (state,) = fund_states(Fund.objects.filter(short_name="长证高新产业基金"), AS_OF)
    with CaptureQueriesContext(connection) as queries:
        names = [str(entry) for entry in state.stages]
        funds = {g.gate.fund.short_name for g in state.gates} | {p.partner.fund.short_name for p in state.partners}
    assert names[0].startswith("长证高新产业基金 ")
    assert funds == {"长证高新产业基金"}
    assert len(queries) == 0


def test_paid_in_adds_every_payment_to_the_cent_up_to_the_day() -> None:
    guidance = Partner.objects.get(outside_name="湖北省政府引导基金")
    for day, amount in [(date(2025, 10, 1), "0.01"), (date(2025, 10, 2), "12345678.99"), (date(2025, 10, 3), "0.10")]:
        contribution_create(
            actor=user("gaotou"), origin=COMMAND, data={"partner": guidance, "paid_on": day, "amount": Decimal(amount)}
        )

    def paid(day: date) -> Decimal:
        (state,) = fund_states(Fund.objects.filter(pk=guidance.fund_id), day)
        (share,) = (p for p in state.partners if p.partner.pk == guidance.pk)
        return share.paid_in

    assert [paid(date(2025, 10, day)) for day in (1, 2, 3)] == [
        Decimal("0.01"),
        Decimal("12345679.00"),
        Decimal("12345679.10"),
    ]


def test_a_gate_on_a_fund_not_listed_clears_when_that_fund_is_filed() -> None:
    """The doubling fund waits on 长证's filing: listed alone, it still sees the filing."""
    doubling = Fund.objects.filter(short_name="高新区倍增基金")
    (before,) = fund_states(doubling, date(2025, 11, 30))
    assert [g.text for g in before.waiting_on] == ["长证母基金完成备案"]
    stage_entry_create(
        actor=user("gaotou"),
        origin=COMMAND,
        data={
            "fund": Fund.objects.get(short_name="长证高新产业基金"),
            "stage": Stage.FILING,
            "entered_on": date(2025, 11, 3),
        },
    )
    (after,) = fund_states(doubling, date(2025, 11, 30))
    assert after.waiting_on == []
    (earlier,) = fund_states(doubling, date(2025, 11, 2))
    assert [g.text for g in earlier.waiting_on] == ["长证母基金完成备案"]
