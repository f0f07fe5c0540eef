"""The supervision side of the reference report: 2025年市政府工作报告, tasks 35, 48 and 70.

Task 48 carries the 国企改革深化提升行动: 61 reform items of which 57 are done by
2025-09-30 (so the computed rate reads 93.44%, "超过93%"), 138 quantified
indicators, and 20 difficult problems of which 15 are closed. Task 70 carries the
milestone timeline. Rounds Q1–Q3 2025 are opened by the office; each report is
written and submitted by 市政府国资委 and approved by the office, Q3 in the
reference report's own words. Item titles beyond those the report names are demo
assumptions.
"""

from datetime import date, timedelta
from decimal import Decimal

from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User
from guozi.core.punctuation import full_width
from guozi.core.services.attachments import attachment_add
from guozi.supervision.choices import IndicatorSource, PlanKind, Qualifier, WorkItemKind, WorkItemStatus
from guozi.supervision.demo_texts import Q3_PROGRESS
from guozi.supervision.models import ProgressReport
from guozi.supervision.services import decomposition as dec
from guozi.supervision.services import reports as rep
from guozi.supervision.services.plans import plan_create, target_task_create

WORK_REPORT = "2025年市政府工作报告"
CAMPAIGN = "国企改革深化提升行动（2023—2025年）"

TASKS = [
    (35, "咸宁科创基金进展情况", "强化金融科技供给服务，发挥产业基金对科技创新的撬动作用。", ["市高投集团"]),
    (
        48,
        "地方国企改革情况",
        "加快地方国企深化提升行动，深化国企功能性改革，推动市属国企一级做强、二级做专、三级做活。",
        ["市城发集团", "市高投集团"],
    ),
    (70, "高新区体制机制改革情况", "深化咸宁高新区管理体制改革。", ["高新区"]),
]

#: The campaign's reform areas (the report's 一是…五是 and 功能性改革), each with several items.
REFORM_AREAS = [
    "开展国企改革深化提升攻坚行动",
    "完善中国特色现代公司治理",
    "增强服务保障功能",
    "推进功能性改革",
    "推动国有资产有效盘活",
    "聚焦产业发挥功能",
    "依托项目转型升级",
    "深化薪酬分配制度改革",
]
REFORM_ITEMS = 61
REFORM_DONE = 57

#: Task 70's timeline as the report tells it.
MILESTONES_70 = [
    (date(2025, 3, 14), "市政府常务会议审议咸宁高新区体制机制改革相关配套措施", True),
    (date(2025, 4, 15), "印发《咸宁高新区托管咸宁高投集团实施方案》（咸国资文〔2025〕13号）", True),
    (date(2025, 8, 12), "全市大财政体系建设工作专题会议", True),
    (date(2025, 9, 15), "在开发区（高新区）高质量发展工作会上汇报调整内容", True),
    (date(2025, 12, 31), "调整后的实施方案经党委会审议后印发实施", False),
]


def _finance(enterprise: str) -> str:
    """Certificates, revitalisation and the financial comparison, naming the records' figures.

    The rate's change stays typed as the unit wrote it ("减少0.13%"): the report's
    checks find that it should read 个百分点.
    """
    ref = f"三资.{enterprise}"
    return (
        f"{enterprise}需办证资产{{{{{ref}.需办证}}}}项，已完成{{{{{ref}.已办证}}}}项，"
        f"盘活闲置资产{{{{{ref}.盘活项数}}}}项，价值{{{{{ref}.盘活价值}}}}，变现金额{{{{{ref}.变现金额}}}}；"
        f"资产由2024年6月的{{{{{ref}.总资产@2024-06-30}}}}增加至{{{{{ref}.总资产}}}}，"
        f"增加{{{{{ref}.总资产变化@2024-06-30}}}}；"
        f"融资成本率由{{{{{ref}.融资成本率@2024-06-30}}}}降低{{{{{ref}.融资成本率}}}}"
    )


def _packages(enterprise: str) -> str:
    """The four packages' sentence, naming the ledger's figures."""
    parts = [
        f"{word}包已纳入资产{{{{三资.{enterprise}.{word}包数}}}}项，价值{{{{三资.{enterprise}.{word}包价值}}}}"
        for word in ("自用", "出售", "租赁", "融资")
    ]
    return "其中，" + "，".join(parts) + "。"


#: Where the Q3 narrative names a figure that Guozi computes, it refers to it instead
#: of typing it ({{…}}, see guozi/reports/figures.py). The census paragraph stays
#: typed, as the unit wrote it: the report's cross-checks then find its slips.
Q3_REFERENCES = {
    35: [
        (
            "推进总规模44亿元的5支基金设立工作。",
            "推进总规模{{基金.总规模}}的{{基金.支数}}支基金设立工作。\n{{基金.清单}}",
        ),
    ],
    48: [
        ("61项重点改革事项完成率超过93%", "{{改革事项.总数}}项重点改革事项完成率{{改革事项.完成率}}"),
        ("61项重点工作任务和138项量化指标任务", "{{改革事项.总数}}项重点工作任务和{{量化指标.总数}}项量化指标任务"),
        (
            "梳理出重难点问题20个，已督办完成15个，剩下5个预计12月底前全面完成",
            "梳理出重难点问题{{问题.梳理数}}个，已督办完成{{问题.已完成}}个，剩下{{问题.剩余}}个预计{{问题.预计完成}}全面完成",
        ),
        # The census paragraph names the ledgers' figures; the totals stay as the unit typed them
        # (306.9 and 96.17), which the report's cross-checks then find at odds with the parts.
        (
            "其中，资金22亿元，债权67.2亿元，实物资产152.6亿元，无形资产37.7亿元，股权14.5亿元，其他资产12.7亿元，",
            "其中，资金{{三资.市城发集团.资金}}，债权{{三资.市城发集团.债权}}，实物资产{{三资.市城发集团.实物资产}}，"
            "无形资产{{三资.市城发集团.无形资产}}，股权{{三资.市城发集团.股权}}，其他资产{{三资.市城发集团.其他}}，",
        ),
        (
            "低效资产共76项，14.1亿元。",
            "低效资产共{{三资.市城发集团.低效资产数}}项，{{三资.市城发集团.低效资产价值}}。",
        ),
        (
            "其中，自用包已纳入资产21项，价值2亿元，出售包已纳入资产31项，价值0.3亿元，"
            "租赁包已纳入资产8项，价值1.9亿元，融资包已纳入资产16项，价值9.9亿元。",
            _packages("市城发集团"),
        ),
        (
            "其中，无形（土地）资产34.35亿元，实务（房屋）资产55.12亿元，数据资产0.33亿元，矿权资产5亿元，股权资产1.38亿元，",
            "其中，无形（土地）资产{{三资.市高投集团.无形资产}}，实务（房屋）资产{{三资.市高投集团.实物资产}}，"
            "数据资产{{三资.市高投集团.数据资产}}，矿权资产{{三资.市高投集团.矿权}}，股权资产{{三资.市高投集团.股权}}，",
        ),
        (
            "市城发集团需办证资产18项，已完成13项，盘活闲置资产28项，价值20.39亿元，变现金额28.48亿元；"
            "资产由2024年6月的429.28亿元增加至468亿元，增加38.72亿元；融资成本率由5.05%降低4.92%",
            _finance("市城发集团"),
        ),
        (
            "市高投集团需办证资产10项，已完成6项，盘活闲置资产19项，价值14.17亿元，变现金额23.21亿元；"
            "资产由2024年6月的377.82亿元增加至419.61亿元，增加41.79亿元；融资成本率由5.21%降低4.72%",
            _finance("市高投集团"),
        ),
        (
            "闲置资产37项，价值25.42亿元。",
            "闲置资产{{三资.市高投集团.闲置资产数}}项，价值{{三资.市高投集团.闲置资产价值}}。",
        ),
        (
            "其中，自用包已纳入资产4项，价值2.17亿元，出售包已纳入资产3项，价值1.99亿元，"
            "租赁包已纳入资产25项，价值16.6亿元，融资包已纳入资产5项，价值4.66亿元。",
            _packages("市高投集团"),
        ),
    ],
}


def q3_narrative(number: int) -> str:
    # The reference text lost its full-width punctuation on the way to plain text.
    text = full_width(Q3_PROGRESS[number])
    if number == 35:
        # The fund list is generated from the funds' records.
        text = text.split("\n", 1)[0]
    for typed, reference in Q3_REFERENCES.get(number, []):
        assert typed in text, typed  # nosec B101 # the demo data checks itself; never user input
        text = text.replace(typed, reference)
    return text


QUARTER_END = {1: date(2025, 3, 31), 2: date(2025, 6, 30), 3: date(2025, 9, 30)}


def _org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def load() -> None:
    office, sasac_user = User.objects.get(username="ducha"), User.objects.get(username="guoziwei")
    sasac = _org("国资委")
    plan = plan_create(
        actor=office,
        origin=COMMAND,
        data={"name": WORK_REPORT, "kind": PlanKind.WORK_REPORT, "year": 2025, "issuer": _org("市政府")},
    )
    plan_create(
        actor=office,
        origin=COMMAND,
        data={"name": CAMPAIGN, "kind": PlanKind.CAMPAIGN, "year": 2023, "end_year": 2025, "issuer": sasac},
    )
    tasks = {}
    for number, heading, text, partners in TASKS:
        tasks[number] = target_task_create(
            actor=office,
            origin=COMMAND,
            data={
                "plan": plan,
                "number": number,
                "heading": heading,
                "text": text,
                "lead_unit": sasac,
                "partner_units": [_org(p) for p in partners],
                "leader": "分管副市长",
                "deadline": date(2025, 12, 31),
            },
        )
    _reform_campaign(sasac_user, tasks[48])
    for planned_on, title, done in MILESTONES_70:
        dec.milestone_create(
            actor=sasac_user,
            origin=COMMAND,
            data={"task": tasks[70], "title": title, "planned_on": planned_on, "done_on": planned_on if done else None},
        )
    _rounds(office, sasac_user, plan, list(tasks.values()))


def _reform_campaign(actor: User, task: object) -> None:
    owners = [_org("国资委"), _org("市城发集团"), _org("市高投集团")]
    for n in range(REFORM_ITEMS):
        area = REFORM_AREAS[n % len(REFORM_AREAS)]
        done = n < REFORM_DONE
        dec.work_item_create(
            actor=actor,
            origin=COMMAND,
            data={
                "task": task,
                "title": f"{area}（第{n // len(REFORM_AREAS) + 1}项）",
                "kind": WorkItemKind.REFORM_ITEM,
                "owner_unit": owners[n % len(owners)],
                "deadline": date(2025, 12, 31),
                "status": WorkItemStatus.DONE if done else WorkItemStatus.IN_PROGRESS,
                "done_on": date(2025, 1, 15) + timedelta(days=4 * n) if done else None,
            },
        )
    dec.indicator_create(
        actor=actor,
        origin=COMMAND,
        data={
            "task": task,
            "name": "61项重点改革事项完成率",
            "unit": "%",
            "target": Decimal(100),
            "source": IndicatorSource.DONE_RATE,
        },
    )
    for n in range(1, 138):
        dec.indicator_create(
            actor=actor,
            origin=COMMAND,
            data={
                "task": task,
                "name": f"{REFORM_AREAS[n % len(REFORM_AREAS)]}量化指标{n}",
                "unit": "项",
                "baseline": Decimal(0),
                "baseline_on": date(2023, 1, 1),
                "target": Decimal(1 + n % 5),
                "qualifier": Qualifier.AT_LEAST,
            },
        )
    for n in range(20):
        closed = n < 15
        found_on = date(2025, 7, 10) if n < 12 else date(2025, 8, 20)  # the July and August meetings
        dec.problem_create(
            actor=actor,
            origin=COMMAND,
            data={
                "task": task,
                "description": f"{REFORM_AREAS[n % len(REFORM_AREAS)]}中的重难点问题{n + 1}",
                "found_on": found_on,
                "owner_unit": owners[n % len(owners)],
                "due_on": date(2025, 12, 31),
                "resolution": "已督办完成" if closed else "",
                "resolved_on": date(2025, 9, 10) if closed else None,
                "closed_on": date(2025, 9, 20) if closed else None,
            },
        )


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF naming the document it stands in for (the demo has no real files)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _rounds(office: User, sasac_user: User, plan: object, tasks: list[object]) -> None:
    for quarter, period_end in QUARTER_END.items():
        round_ = rep.round_open(
            actor=office,
            origin=COMMAND,
            data={
                "plan": plan,
                "year": 2025,
                "quarter": quarter,
                "period_end": period_end,
                "due_on": period_end + timedelta(days=10),
                "grace_days": 3,
                "tasks": tasks,
            },
        )
        for report in ProgressReport.objects.filter(round=round_).select_related("task"):
            number = report.task.number
            text = q3_narrative(number) if quarter == 3 else f"{report.task.heading}：第{quarter}季度按计划推进。"
            report = rep.report_update(
                actor=sasac_user,
                origin=COMMAND,
                progressreport=report,
                data={"progress": text, "self_status": "on_track", "version": report.version},
            )
            if quarter == 3 and number == 70:
                # The evidence of task 70: the implementation plan issued on 4月15日.
                attachment_add(
                    actor=sasac_user,
                    origin=COMMAND,
                    obj=report,
                    file_name="咸国资文〔2025〕13号.pdf",
                    content=_demo_pdf("Xianning SASAC document [2025] No. 13 (demo copy)"),
                )
            report = rep.report_submit(actor=sasac_user, origin=COMMAND, progressreport=report)
            if quarter < 3:
                # Q3 is approved by guozi.reports' demo, once the funds and ledgers its figures name are in.
                rep.report_approve(actor=office, origin=COMMAND, progressreport=report)
