"""The target tasks of the reference report: 2025年市政府工作报告, tasks 35, 48 and 70."""

from datetime import date

from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User
from guozi.supervision.choices import PlanKind
from guozi.supervision.services.plans import plan_create, target_task_create

WORK_REPORT = "2025年市政府工作报告"
CAMPAIGN = "国企改革深化提升行动（2023—2025年）"

TASKS = [
    (35, "咸宁科创基金进展情况", "强化金融科技供给服务，发挥产业基金对科技创新的撬动作用。"),
    (
        48,
        "地方国企改革情况",
        "加快地方国企深化提升行动，深化国企功能性改革，推动市属国企一级做强、二级做专、三级做活。",
    ),
    (70, "高新区体制机制改革情况", "深化咸宁高新区管理体制改革。"),
]


def load() -> None:
    office = User.objects.get(username="ducha")
    city = Organization.objects.get(short_name="市政府")
    sasac = Organization.objects.get(short_name="国资委")
    plan = plan_create(
        actor=office,
        origin=COMMAND,
        data={"name": WORK_REPORT, "kind": PlanKind.WORK_REPORT, "year": 2025, "issuer": city},
    )
    plan_create(
        actor=office,
        origin=COMMAND,
        data={"name": CAMPAIGN, "kind": PlanKind.CAMPAIGN, "year": 2023, "end_year": 2025, "issuer": sasac},
    )
    for number, heading, text in TASKS:
        target_task_create(
            actor=office,
            origin=COMMAND,
            data={
                "plan": plan,
                "number": number,
                "heading": heading,
                "text": text,
                "lead_unit": sasac,
                "deadline": date(2025, 12, 31),
            },
        )
