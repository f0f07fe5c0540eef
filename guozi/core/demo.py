"""The demo: the organisations and accounts of the reference report (咸宁, 2025 Q3).

Loaded by ``guozi demo`` into an empty database, through the same services as
everything else, so the demo's own history shows in every history tab.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind as Kind
from guozi.core.models import Organization, User
from guozi.core.registry import app_modules
from guozi.core.roles import roles_ensure
from guozi.core.services.organizations import organization_create
from guozi.core.services.users import user_create, user_update

# (name, short name, kind, region, children)
OrgTree = tuple[str, str, str, str, list["OrgTree"]]

#: County-level SOEs after consolidation: "县一级国企由64户整合为10户，咸安、赤壁、通城、
#: 崇阳各2家，嘉鱼、通山各1家" — one for city operation, one for industry where there are two.
COUNTIES = [("咸安区", 2), ("赤壁市", 2), ("通城县", 2), ("崇阳县", 2), ("嘉鱼县", 1), ("通山县", 1)]


def _county(name: str, count: int) -> OrgTree:
    short = name[:-1]
    soes: list[OrgTree] = (
        [
            (f"{short}城市发展集团", f"{short}城发", Kind.ENTERPRISE, name, []),
            (f"{short}产业投资集团", f"{short}产投", Kind.ENTERPRISE, name, []),
        ]
        if count == 2
        else [(f"{short}国有资本投资运营集团", f"{short}国投", Kind.ENTERPRISE, name, [])]
    )
    return (f"{name}人民政府", name, Kind.GOVERNMENT, name, soes)


TREE: OrgTree = (
    "咸宁市人民政府",
    "市政府",
    Kind.GOVERNMENT,
    "咸宁市",
    [
        ("市政府政务督查室", "督查室", Kind.DEPARTMENT, "咸宁市", []),
        (
            "市政府国资委",
            "国资委",
            Kind.DEPARTMENT,
            "咸宁市",
            [
                (
                    "咸宁市城市发展（集团）有限责任公司",
                    "市城发集团",
                    Kind.ENTERPRISE,
                    "咸宁市",
                    [
                        ("咸宁市振宁押运有限公司", "振宁押运", Kind.ENTERPRISE, "咸宁市", []),
                        ("咸宁市双鹤驾驶员培训学校", "双鹤驾校", Kind.ENTERPRISE, "咸宁市", []),
                        ("市城发集团绿能分公司", "城发绿能", Kind.ENTERPRISE, "咸宁市", []),
                    ],
                ),
                (
                    "咸宁高新投资集团有限公司",
                    "市高投集团",
                    Kind.ENTERPRISE,
                    "咸宁高新区",
                    [
                        ("咸宁高投产业基金管理有限公司", "高投基金公司", Kind.ENTERPRISE, "咸宁高新区", []),
                    ],
                ),
                ("咸宁市国有资本投资运营有限公司", "市国资公司", Kind.ENTERPRISE, "咸宁市", []),
            ],
        ),
        ("咸宁高新区管委会", "高新区", Kind.GOVERNMENT, "咸宁高新区", []),
        *[_county(name, count) for name, count in COUNTIES],
    ],
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    organization: str  # short name
    role: str
    what: str


ACCOUNTS = [
    DemoAccount("sysadmin", "系统管理员", "国资委", "sysadmin", "系统管理员：用户与机构"),
    DemoAccount("ducha", "督查室演示用户", "督查室", "supervision_office", "市政府政务督查室"),
    DemoAccount("guoziwei", "国资委演示用户", "国资委", "sasac_staff", "市政府国资委"),
    DemoAccount("chengfa", "城发集团演示用户", "市城发集团", "enterprise_staff", "市城发集团（含下属企业）"),
    DemoAccount("gaotou", "高投集团演示用户", "市高投集团", "enterprise_staff", "市高投集团（含下属企业）"),
    DemoAccount("lingdao", "领导演示用户", "市政府", "leader", "领导（只读）"),
    DemoAccount("secadmin", "安全管理员", "国资委", "secadmin", "安全管理员：授权与安全策略"),
    DemoAccount("auditor", "审计管理员", "国资委", "auditor", "审计管理员：只读审计记录"),
]


def _create_tree(actor: User, node: OrgTree, parent: Organization | None, order: int) -> None:
    name, short, kind, region, children = node
    org = organization_create(
        actor=actor,
        origin=COMMAND,
        data={"name": name, "short_name": short, "kind": kind, "region": region, "parent": parent, "sort_order": order},
    )
    for index, child in enumerate(children):
        _create_tree(actor, child, org, index)


def is_loaded() -> bool:
    return User.objects.exists() or Organization.objects.exists()


@transaction.atomic
def load() -> list[DemoAccount]:
    """Load the demo organisations and accounts into an empty database."""
    roles = roles_ensure(actor=None, origin=COMMAND)
    password = settings.DEMO_PASSWORD
    first, *others = ACCOUNTS
    admin = user_create(
        actor=None,
        origin=COMMAND,
        data={"username": first.username, "full_name": first.full_name},
        password=password,
        roles=[roles[first.role]],
        initial_password=False,
    )
    _create_tree(admin, TREE, None, 0)
    by_short = {org.short_name: org for org in Organization.objects.all()}
    user_update(actor=admin, origin=COMMAND, user=admin, data={"organization": by_short[first.organization]})
    for account in others:
        user_create(
            actor=admin,
            origin=COMMAND,
            data={
                "username": account.username,
                "full_name": account.full_name,
                "organization": by_short[account.organization],
            },
            password=password,
            roles=[roles[account.role]],
            initial_password=False,
        )
    for module in app_modules("demo"):
        module.load()
    return ACCOUNTS
