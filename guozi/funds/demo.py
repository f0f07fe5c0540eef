"""The five funds of the reference report's section 一 (目标任务35), as of 2025-09-30.

What the report states is reproduced exactly: names, kinds, sizes (44亿元 in all),
the stage each fund has reached and what each waits on, 长证's 150亿元 of social
capital. What it does not state is a demo assumption, marked as such below: the
partners' shares of each fund, the paid-in amounts and the dates of earlier stages.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User
from guozi.funds.choices import FundKind, GateKind, PartnerRole, Stage
from guozi.funds.models import Fund, Partner
from guozi.funds.services.funds import fund_create, manager_term_create
from guozi.funds.services.partners import contribution_create, partner_create
from guozi.funds.services.stages import gate_create, stage_entry_create
from guozi.supervision.models import TargetTask

YI = Decimal(100_000_000)
AS_OF = date(2025, 9, 30)


def _org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def load() -> None:
    actor = User.objects.get(username="gaotou")
    task = TargetTask.objects.get(plan__name="2025年市政府工作报告", number=35)
    gaotou = _org("市高投集团")

    def fund(**data: Any) -> Fund:
        return fund_create(actor=actor, origin=COMMAND, data={"sponsor": gaotou, "target_task": task, **data})

    def stages(f: Fund, *entries: tuple[Stage, date, str]) -> None:
        for stage, day, note in entries:
            stage_entry_create(
                actor=actor, origin=COMMAND, data={"fund": f, "stage": stage, "entered_on": day, "note": note}
            )

    def partner(f: Fund, commitment_yi: str, role: str = PartnerRole.LP, **who: Any) -> Partner:
        data = {"fund": f, "role": role, "commitment": Decimal(commitment_yi) * YI, **who}
        return partner_create(actor=actor, origin=COMMAND, data=data)

    def paid(p: Partner, day: date, amount_yi: str, note: str = "") -> None:
        contribution_create(
            actor=actor,
            origin=COMMAND,
            data={"partner": p, "paid_on": day, "amount": Decimal(amount_yi) * YI, "note": note},
        )

    def gate(f: Fund, kind: str, description: str, since: date, **awaited: Any) -> None:
        gate_create(
            actor=actor,
            origin=COMMAND,
            data={"fund": f, "kind": kind, "description": description, "since": since, **awaited},
        )

    # 1. 30亿元, registered; 咸宁方 and 长江资本 paid in, the provincial guidance fund still paying.
    changzheng = fund(
        name="咸宁长证高新产业投资基金",
        short_name="长证高新产业基金",
        kind=FundKind.REGIONAL,
        target_size=30 * YI,
        planned_social_capital=150 * YI,
        focus_industries="装备制造、新型建材、电子信息、生物医药、绿色能源、新材料（“5+4”产业）",
        note="联合长江证券设立，作为咸宁区域分母基金，为我市“5+4”产业提供股权投资服务。",
    )
    manager_term_create(
        actor=actor,
        origin=COMMAND,
        data={"fund": changzheng, "manager": "长江证券资本投资有限公司（长江资本）", "started_on": date(2025, 3, 1)},
    )
    # Demo assumption: the shares of 30亿元 and the 20% first call.
    guidance = partner(changzheng, "9", outside_name="湖北省政府引导基金")
    changjiang = partner(changzheng, "6", PartnerRole.GP, outside_name="长江资本")
    ours_gaotou = partner(changzheng, "9", organization=gaotou)
    # 市城发集团 lies outside 市高投集团's scope, so the sponsor names it as an institution.
    ours_chengfa = partner(changzheng, "6", outside_name="市城发集团")
    stages(
        changzheng,
        (Stage.PROPOSAL, date(2024, 11, 15), ""),
        (Stage.APPROVAL, date(2025, 1, 10), ""),
        (Stage.NEGOTIATION, date(2025, 2, 20), ""),
        (Stage.SIGNING, date(2025, 4, 18), ""),
        (Stage.REGISTRATION, date(2025, 6, 12), "基金完成工商注册"),
    )
    for p, amount in ((ours_gaotou, "1.8"), (ours_chengfa, "1.2"), (changjiang, "1.2")):
        paid(p, date(2025, 8, 28), amount, "首期出资")
    stages(changzheng, (Stage.FIRST_PAYMENT, date(2025, 8, 28), "咸宁方和长江资本已完成出资"))
    gate(changzheng, GateKind.PAYMENT, "省引导基金办理出资手续", date(2025, 8, 28), awaited_partner=guidance)

    # 2. 5亿元 with 省文旅集团; the manager reorganised, its due-diligence file with the 文旅 parent fund.
    health = fund(
        name="咸宁大健康产业投资基金",
        short_name="大健康产业基金",
        kind=FundKind.SPECIAL,
        target_size=5 * YI,
        focus_industries="大健康产业",
        note="联合省文旅集团设立，专项服务我市大健康产业发展。",
    )
    manager_term_create(
        actor=actor,
        origin=COMMAND,
        data={"fund": health, "manager": "恒泰投资", "started_on": date(2025, 1, 15), "note": "内部组织架构已调整完毕"},
    )
    partner(health, "2", outside_name="省文旅集团（文旅母基金）")  # demo assumption: shares
    partner(health, "2.95", organization=gaotou)
    partner(health, "0.05", PartnerRole.GP, outside_name="恒泰投资")
    stages(
        health,
        (Stage.PROPOSAL, date(2024, 12, 10), ""),
        (Stage.APPROVAL, date(2025, 7, 15), "向文旅母基金报送管理人尽调资料"),
    )
    gate(health, GateKind.APPROVAL, "文旅母基金审核管理人尽调资料", date(2025, 7, 15))

    # 3. 2亿元 offshore fund with 长产集团: manager change before its fund committee, agreement comments returned.
    offshore = fund(
        name="湖北香城长江科创投资基金",
        short_name="香城长江科创基金",
        kind=FundKind.OFFSHORE,
        target_size=2 * YI,
        focus_industries="离岸产业项目投资孵化",
        note="联合长产集团设立的离岸基金。",
    )
    partner(offshore, "1", outside_name="长产集团")  # demo assumption: shares
    partner(offshore, "1", organization=gaotou)
    stages(
        offshore,
        (Stage.PROPOSAL, date(2025, 1, 20), ""),
        (Stage.APPROVAL, date(2025, 4, 10), ""),
        (Stage.NEGOTIATION, date(2025, 7, 5), "长产集团已反馈合伙协议修改意见"),
    )
    gate(offshore, GateKind.APPROVAL, "长产集团基金管委会审议基金管理人变更", date(2025, 7, 5))
    gate(offshore, GateKind.APPROVAL, "各方确认合伙协议修改意见", date(2025, 9, 1))

    # 4. 5亿元 with 东湖高新: both boards approved, partners negotiating the agreement.
    donghu = fund(
        name="咸宁东湖高新科创产业发展基金",
        short_name="东湖高新科创基金",
        kind=FundKind.VENTURE,
        target_size=5 * YI,
        focus_industries="科技创新企业",
        note="联合东湖高新设立，为科技创新企业提供金融服务。",
    )
    partner(donghu, "2.5", outside_name="东湖高新集团")  # demo assumption: shares
    partner(donghu, "2.5", organization=gaotou)
    stages(
        donghu,
        (Stage.PROPOSAL, date(2025, 3, 1), ""),
        (Stage.APPROVAL, date(2025, 6, 20), "东湖高新集团、咸宁高投集团董事会已审议通过"),
        (Stage.NEGOTIATION, date(2025, 8, 15), "各出资人正在对协议进行商定"),
    )

    # 5. 2亿元 with 高新区: starts once the 长证 parent fund is filed.
    doubling = fund(
        name="高新区产业发展倍增基金",
        short_name="高新区倍增基金",
        kind=FundKind.SPECIAL,
        target_size=2 * YI,
        parent=changzheng,
        focus_industries="高新区重点产业",
        note="联合高新区设立，专项服务于高新区重点产业发展。",
    )
    partner(doubling, "1", outside_name="咸宁高新区管委会")  # demo assumption: shares
    partner(doubling, "1", organization=gaotou)
    stages(doubling, (Stage.PROPOSAL, date(2025, 5, 10), ""))
    gate(doubling, GateKind.FUND_FILING, "长证母基金完成备案", date(2025, 5, 10), awaited_fund=changzheng)
