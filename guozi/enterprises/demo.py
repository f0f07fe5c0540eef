"""The registry side of the reference report's section 二, entered the way the SASAC enters it:
through the services, as ``guoziwei``.

What the report states comes out exactly by aggregation (``tests/test_selectors.py``):

- 483 enterprises' supervisory-board reform, the 4 party committees' pre-study lists and the
  11 + 30 decoupled enterprises: the SASAC reports these in aggregate, so each is one record of
  市政府国资委 with its count, not 483 organisations Guozi does not have.
- 6 full-time external directors to two city SOEs; two AAA ratings of city SOEs; 高投 AA+ by
  普策信评 on 2025-07-14.
- 城发 HQ staff quota 88 → 60 and middle-management posts 279 → 251; 高投 posts 50 → 40.
- County SOEs 64 → 10: 咸安、赤壁、通城、崇阳 2 each, 嘉鱼、通山 1 each.

Demo assumptions, because the report does not say: which two enterprises hold AAA (城发 and
市国资公司: 高投's rating in the same report is AA+) and from which agency and day; the 3 + 3
split of the external directors; the dates of the headcount snapshots; how many enterprises each
county had before (they add up to 64); the merged enterprises' names; the restructurings' dates
and document numbers; every credit code (made with the GB 32100 check character from 91 + the
division code; they belong to no real company, any match would be chance); industries.
"""

from datetime import date
from typing import Any

from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind
from guozi.core.models import Organization, User
from guozi.core.services.organizations import organization_create
from guozi.enterprises.choices import CreditGrade, GovernanceKind, Level, Ownership
from guozi.enterprises.creditcode import with_check_character
from guozi.enterprises.services.governance import credit_rating_create, governance_record_create, headcount_create
from guozi.enterprises.services.profiles import enterprise_profile_create
from guozi.enterprises.services.restructurings import restructuring_create

#: 行政区划代码 (GB/T 2260) of the city and its six counties.
DIVISIONS = {
    "咸宁市": "421200",
    "咸宁高新区": "421200",
    "咸安区": "421202",
    "嘉鱼县": "421221",
    "通城县": "421222",
    "崇阳县": "421223",
    "通山县": "421224",
    "赤壁市": "421281",
}

#: City SOEs: (short name, level, industry). 双鹤驾校 has none: core's tests delete that leaf
#: organisation, and a profile (PROTECT) would refuse it (see docs/enterprises.md).
CITY = [
    ("市城发集团", Level.FIRST, "城市建设与运营"),
    ("振宁押运", Level.SECOND, "武装押运"),
    ("城发绿能", Level.SECOND, "新能源技术服务"),
    ("市高投集团", Level.FIRST, "产业投资与园区开发"),
    ("高投基金公司", Level.SECOND, "私募基金管理"),
    ("市国资公司", Level.FIRST, "国有资本投资运营"),
]

#: Each county's SOEs before consolidation (64 in all); after it, core's demo tree has 10.
BEFORE = {"咸安区": 12, "赤壁市": 14, "通城县": 10, "崇阳县": 11, "嘉鱼县": 9, "通山县": 8}

#: The merged-away enterprises' names, after the county's: (name, short name, survivor):
#: 0 the one serving the city's operation (城发), 1 the one serving industry (产投).
MERGED = [
    ("城市建设投资有限公司", "城投", 0),
    ("交通建设投资有限公司", "交投", 0),
    ("农业发展投资有限公司", "农投", 1),
    ("水务投资有限公司", "水务", 0),
    ("文化旅游投资有限公司", "文旅", 1),
    ("国有资产经营有限公司", "资产经营", 1),
    ("土地开发储备有限公司", "土储", 0),
    ("工业园区开发有限公司", "园区", 1),
    ("保障性住房建设有限公司", "保障房", 0),
    ("粮食储备有限公司", "粮储", 1),
    ("公共交通有限公司", "公交", 0),
    ("市政工程有限公司", "市政", 0),
    ("林业发展有限公司", "林业", 1),
    ("融资担保有限公司", "担保", 1),
]

SURVIVOR_INDUSTRIES = {"城发": "城市建设与运营", "产投": "产业投资", "国投": "国有资本投资运营"}

RESTRUCTURED_ON = date(2025, 6, 30)
REPORTED_ON = date(2025, 9, 30)
BEFORE_REFORM = date(2024, 12, 31)


class _Codes:
    """Credit codes: 91 (an enterprise registered by 市场监管), the division, nine digits, the check."""

    def __init__(self) -> None:
        self.serial = 0

    def next(self, region: str) -> str:
        self.serial += 1
        body = f"{(self.serial * 48_271_937 + 312_345_678) % 10**9:09d}"
        return with_check_character(f"91{DIVISIONS[region]}{body}")


def load() -> None:
    actor = User.objects.get(username="guoziwei")
    codes = _Codes()

    def profile(organization: Organization, level: int, ownership: str, industry: str) -> None:
        enterprise_profile_create(
            actor=actor,
            origin=COMMAND,
            data={
                "organization": organization,
                "credit_code": codes.next(organization.region),
                "level": level,
                "ownership": ownership,
                "industry": industry,
            },
        )

    def org(short_name: str) -> Organization:
        return Organization.objects.get(short_name=short_name)

    for short_name, level, industry in CITY:
        profile(org(short_name), level, Ownership.CITY, industry)
    for region, before in BEFORE.items():
        _county(actor, region, before, profile)
    _governance(actor, org("国资委"), org("市城发集团"), org("市高投集团"))
    _ratings(actor, org("市城发集团"), org("市高投集团"), org("市国资公司"))
    _headcount(actor, org("市城发集团"), org("市高投集团"))


def _county(actor: User, region: str, before: int, profile: Any) -> None:
    government = Organization.objects.get(kind=OrganizationKind.GOVERNMENT, region=region)
    survivors = list(government.children.filter(kind=OrganizationKind.ENTERPRISE).order_by("sort_order"))
    for survivor in survivors:
        industry = SURVIVOR_INDUSTRIES[survivor.short_name.removeprefix(region[:-1])]
        profile(survivor, Level.FIRST, Ownership.COUNTY, industry)
    county = region[:-1]
    taken_in: dict[int, list[Organization]] = {index: [] for index in range(len(survivors))}
    for order, (suffix, short, target) in enumerate(MERGED[: before - len(survivors)], start=len(survivors)):
        merged = organization_create(
            actor=actor,
            origin=COMMAND,
            data={
                "name": f"{county}{suffix}",
                "short_name": f"{county}{short}",
                "kind": OrganizationKind.ENTERPRISE,
                "region": region,
                "parent": government,
                "sort_order": order,
                "is_active": False,
            },
        )
        profile(merged, Level.FIRST, Ownership.COUNTY, suffix.removesuffix("有限公司"))
        taken_in[min(target, len(survivors) - 1)].append(merged)
    for index, survivor in enumerate(survivors):
        restructuring_create(
            actor=actor,
            origin=COMMAND,
            data={
                "done_on": RESTRUCTURED_ON,
                "document_number": f"{county}政发〔2025〕{11 + index}号",
                "result": survivor,
                "merged": taken_in[index],
                "note": "按照“1个服务于城市运营、1个服务于产业发展”要求优化重组（演示数据）",
            },
        )


def _governance(actor: User, sasac: Organization, chengfa: Organization, gaotou: Organization) -> None:
    records = [
        (sasac, GovernanceKind.SUPERVISORY_BOARD, "指导市县属国有企业开展监事会改革", 483),
        (sasac, GovernanceKind.PARTY_PRE_STUDY, "指导建立党委的市属国有企业优化党委前置研究事项清单", 4),
        # 6 directors to two city SOEs; the 3 + 3 split is a demo assumption.
        (chengfa, GovernanceKind.EXTERNAL_DIRECTORS, "委派专职外部董事", 3),
        (gaotou, GovernanceKind.EXTERNAL_DIRECTORS, "委派专职外部董事", 3),
        (sasac, GovernanceKind.DECOUPLING, "市直党政机关未脱钩改制企业脱钩改制扫尾", 11),
        (sasac, GovernanceKind.DECOUPLING, "改制未脱钩企业脱钩改制扫尾", 30),
    ]
    for organization, kind, title, count in records:
        governance_record_create(
            actor=actor,
            origin=COMMAND,
            data={"organization": organization, "kind": kind, "title": title, "done_on": REPORTED_ON, "count": count},
        )


def _ratings(actor: User, chengfa: Organization, gaotou: Organization, guozi: Organization) -> None:
    unstated = "（报告未载明评级机构）"
    for organization, agency, grade, rated_on in [
        (chengfa, unstated, CreditGrade.AAA, REPORTED_ON),
        (guozi, unstated, CreditGrade.AAA, REPORTED_ON),
        (gaotou, "普策信评", CreditGrade.AA_PLUS, date(2025, 7, 14)),
    ]:
        credit_rating_create(
            actor=actor,
            origin=COMMAND,
            data={"organization": organization, "agency": agency, "grade": grade, "rated_on": rated_on},
        )


def _headcount(actor: User, chengfa: Organization, gaotou: Organization) -> None:
    snapshots = [
        (chengfa, BEFORE_REFORM, 88, 279, "定编为集团本部（不含市管干部）；管理岗位为中层管理岗位"),
        (chengfa, REPORTED_ON, 60, 251, "定编为集团本部（不含市管干部）；管理岗位为中层管理岗位"),
        (gaotou, BEFORE_REFORM, None, 50, "管理岗位为集团总职数"),
        (gaotou, REPORTED_ON, None, 40, "管理岗位为集团总职数"),
    ]
    for organization, as_of, quota, posts, note in snapshots:
        headcount_create(
            actor=actor,
            origin=COMMAND,
            data={
                "organization": organization,
                "as_of": as_of,
                "staff_quota": quota,
                "management_posts": posts,
                "note": note,
            },
        )
