from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guozi.core.changes import COMMAND
from guozi.core.models import ChangeRecord
from guozi.core.testing import org, user
from guozi.funds.choices import FundKind, GateKind, Stage
from guozi.funds.models import Contribution, Fund, Partner, StageEntry
from guozi.funds.selectors import fund_states
from guozi.funds.services.funds import fund_create, manager_term_create
from guozi.funds.services.partners import contribution_create, partner_create, partner_update
from guozi.funds.services.stages import gate_create, gate_update, stage_entry_create

pytestmark = pytest.mark.usefixtures("demo_world")
YI = Decimal(100_000_000)


def fund(short_name: str) -> Fund:
    return Fund.objects.get(short_name=short_name)


def enter(f: Fund, stage: Stage, day: date) -> StageEntry:
    return stage_entry_create(actor=user("gaotou"), origin=COMMAND, data={"fund": f, "stage": stage, "entered_on": day})


def new_fund(**extra: object) -> Fund:
    data = {
        "name": "测试基金",
        "short_name": "测试基金",
        "kind": FundKind.SPECIAL,
        "target_size": YI,
        "sponsor": org("市高投集团"),
        **extra,
    }
    return fund_create(actor=user("gaotou"), origin=COMMAND, data=data)


def test_moving_forward_is_recorded() -> None:
    donghu = fund("东湖高新科创基金")
    enter(donghu, Stage.SIGNING, date(2025, 10, 10))
    (state,) = fund_states(Fund.objects.filter(pk=donghu.pk), date(2025, 10, 20))
    assert state.current_stage == Stage.SIGNING
    assert state.days_in_stage == 10
    record = ChangeRecord.objects.latest("id")
    assert (record.actor_name, record.after["stage"]) == ("gaotou", Stage.SIGNING)


def test_a_stage_cannot_be_entered_twice() -> None:
    with pytest.raises(ValidationError, match="不能重复进入"):
        enter(fund("东湖高新科创基金"), Stage.NEGOTIATION, date(2025, 10, 1))


def test_stages_go_forward_only() -> None:
    f = new_fund()
    enter(f, Stage.APPROVAL, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="向前推进"):
        enter(f, Stage.PROPOSAL, date(2025, 1, 2))


def test_a_skipped_earlier_stage_cannot_be_filled_in_later() -> None:
    doubling = fund("高新区倍增基金")
    enter(doubling, Stage.NEGOTIATION, date(2025, 10, 1))
    with pytest.raises(ValidationError):
        enter(doubling, Stage.APPROVAL, date(2025, 10, 2))
    assert list(doubling.stages.values_list("stage", flat=True)) == [Stage.PROPOSAL, Stage.NEGOTIATION]


def test_dates_move_forward() -> None:
    with pytest.raises(ValidationError, match="日期不能倒退") as error:
        enter(fund("东湖高新科创基金"), Stage.SIGNING, date(2025, 8, 14))
    assert "entered_on" in error.value.message_dict
    assert not StageEntry.objects.filter(fund=fund("东湖高新科创基金"), stage=Stage.SIGNING).exists()


def test_filing_needs_registration_and_a_first_contribution() -> None:
    f = new_fund()
    enter(f, Stage.PROPOSAL, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="工商注册"):
        enter(f, Stage.FILING, date(2025, 2, 1))
    enter(f, Stage.REGISTRATION, date(2025, 3, 1))
    with pytest.raises(ValidationError):
        enter(f, Stage.FILING, date(2025, 3, 2))  # registered, but nothing paid in yet
    p = partner_create(actor=user("gaotou"), origin=COMMAND, data={"fund": f, "outside_name": "甲", "commitment": YI})
    contribution_create(
        actor=user("gaotou"), origin=COMMAND, data={"partner": p, "paid_on": date(2025, 3, 5), "amount": YI / 10}
    )
    enter(f, Stage.FILING, date(2025, 3, 6))
    assert fund_states(Fund.objects.filter(pk=f.pk), date(2025, 3, 6))[0].current_stage == Stage.FILING


def test_paid_in_cannot_exceed_the_commitment() -> None:
    guidance = Partner.objects.get(outside_name="湖北省政府引导基金")
    count = Contribution.objects.count()
    with pytest.raises(ValidationError, match="实缴不能超过认缴") as error:
        contribution_create(
            actor=user("gaotou"),
            origin=COMMAND,
            data={"partner": guidance, "paid_on": date(2025, 10, 1), "amount": 9 * YI + 1},
        )
    assert "amount" in error.value.message_dict
    assert Contribution.objects.count() == count
    # Exactly the commitment is allowed.
    contribution_create(
        actor=user("gaotou"), origin=COMMAND, data={"partner": guidance, "paid_on": date(2025, 10, 1), "amount": 9 * YI}
    )


def test_a_commitment_cannot_drop_below_what_is_paid() -> None:
    ours = Partner.objects.get(fund__short_name="长证高新产业基金", organization__short_name="市高投集团")
    with pytest.raises(ValidationError, match="实缴不能超过认缴"):
        partner_update(actor=user("gaotou"), origin=COMMAND, partner=ours, data={"commitment": YI})


@pytest.mark.parametrize(
    ("field", "value"), [("target_size", -YI), ("target_size", Decimal(0)), ("planned_social_capital", -YI)]
)
def test_negative_sizes_are_refused(field: str, value: Decimal) -> None:
    with pytest.raises(ValidationError, match=r"大于零|不能为负数"):
        new_fund(**{field: value})
    assert not Fund.objects.filter(name="测试基金").exists()


def test_another_enterprise_cannot_touch_the_funds() -> None:
    with pytest.raises(PermissionDenied):
        stage_entry_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data={"fund": fund("东湖高新科创基金"), "stage": Stage.SIGNING, "entered_on": date(2025, 10, 1)},
        )
    with pytest.raises(PermissionDenied):
        fund_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data={
                "name": "x",
                "short_name": "x",
                "kind": FundKind.SPECIAL,
                "target_size": YI,
                "sponsor": org("市高投集团"),
            },
        )


def test_a_partner_from_guozi_must_be_visible_to_the_sponsor() -> None:
    with pytest.raises(PermissionDenied):
        partner_create(
            actor=user("gaotou"),
            origin=COMMAND,
            data={"fund": fund("东湖高新科创基金"), "organization": org("市城发集团"), "commitment": YI},
        )


def test_gates_clear_by_themselves_or_by_hand() -> None:
    changzheng, doubling = fund("长证高新产业基金"), fund("高新区倍增基金")
    states = {s.fund.short_name: s for s in fund_states(Fund.objects.all(), date(2025, 9, 30))}
    assert [g.text for g in states["高新区倍增基金"].waiting_on] == ["长证母基金完成备案"]
    # The provincial guidance fund pays: 长证's payment gate clears by itself.
    guidance = Partner.objects.get(outside_name="湖北省政府引导基金")
    contribution_create(
        actor=user("gaotou"),
        origin=COMMAND,
        data={"partner": guidance, "paid_on": date(2025, 10, 20), "amount": Decimal("1.8") * YI},
    )
    # 长证 is filed: the doubling fund's gate clears by itself.
    enter(changzheng, Stage.FILING, date(2025, 11, 3))
    states = {s.fund.short_name: s for s in fund_states(Fund.objects.all(), date(2025, 11, 30))}
    assert states["长证高新产业基金"].waiting_on == []
    assert states["高新区倍增基金"].waiting_on == []
    # ...but not on an earlier day.
    earlier = {s.fund.short_name: s for s in fund_states(Fund.objects.all(), date(2025, 11, 1))}
    assert [g.text for g in earlier["高新区倍增基金"].waiting_on] == ["长证母基金完成备案"]
    # An outside approval clears by hand, and only on or after the day it opened.
    health = fund("大健康产业基金")
    approval = health.gates.get()
    with pytest.raises(ValidationError):
        gate_update(actor=user("gaotou"), origin=COMMAND, gate=approval, data={"cleared_on": date(2025, 7, 1)})
    gate_update(actor=user("gaotou"), origin=COMMAND, gate=approval, data={"cleared_on": date(2025, 10, 9)})
    assert fund_states(Fund.objects.filter(pk=health.pk), date(2025, 10, 9))[0].waiting_on == []
    assert doubling.gates.get().kind == GateKind.FUND_FILING


def test_a_payment_gate_must_name_a_partner_of_the_same_fund() -> None:
    other = Partner.objects.get(outside_name="湖北省政府引导基金")
    with pytest.raises(ValidationError):
        gate_create(
            actor=user("gaotou"),
            origin=COMMAND,
            data={
                "fund": fund("东湖高新科创基金"),
                "kind": GateKind.PAYMENT,
                "description": "x",
                "since": date(2025, 10, 1),
                "awaited_partner": other,
            },
        )


def test_changing_the_manager_closes_the_current_term() -> None:
    health = fund("大健康产业基金")
    manager_term_create(
        actor=user("gaotou"),
        origin=COMMAND,
        data={"fund": health, "manager": "新管理人", "started_on": date(2025, 11, 1)},
    )
    terms = list(health.manager_terms.order_by("started_on").values_list("manager", "ended_on"))
    assert terms == [("恒泰投资", date(2025, 11, 1)), ("新管理人", None)]
    with pytest.raises(ValidationError):
        manager_term_create(
            actor=user("gaotou"),
            origin=COMMAND,
            data={"fund": health, "manager": "更早的", "started_on": date(2025, 10, 1)},
        )
