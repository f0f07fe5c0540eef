"""What the demo records around the ledgers: revitalisations, transfers and injections, and the
financial snapshots of section 二(二) of the reference report ("二是国企资产有效盘活").

The report states, and the demo reproduces exactly:

* 城发 2025: 盘活闲置资产28项，价值20.39亿元，变现金额28.48亿元; 高投: 19项，14.17亿元，23.21亿元;
* 2025年4月，市国资公司下属振宁押运公司、双鹤驾校划转至市城发集团;
* 原咸宁广播电视台大楼等4处资产、市本级行政事业单位169套闲置房屋、"咸融通"信息平台等1.9亿元资产
  分别注入市属国企;
* 城发 total assets 429.28亿元 (2024-06) → 468亿元, financing cost rate 5.05% → 4.92%;
  高投 377.82亿元 → 419.61亿元, 5.21% → 4.72%.

Demo assumptions (the report does not say): which of the ledgers' idle or inefficient
assets were revitalised and how (below, by package), how the totals split by method
and between assets (by book value), dates, counterparties; the day of the April
transfer and its missing document number; how the 1.9亿元 splits into three injections
and their dates; the snapshots' liabilities, revenue and profit. Revitalised value is
recorded on each event, not taken from the ledger: 城发's 28 events are worth 20.39亿元
while all its 76 inefficient assets have a book value of 14.1亿元.

In the demo tree 振宁押运 and 双鹤驾校 already sit under 市城发集团 (core's demo builds it
so), so the April transfer is recorded without re-parenting: ``asset_transfer_create``
moves only what has not moved yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from guozi.assets.choices import Package, RevitalizationMethod, TransferKind
from guozi.assets.demo_ledgers import ACQUIRED
from guozi.assets.models import Asset
from guozi.assets.selectors import enterprise_assets
from guozi.assets.services.finance import financial_snapshot_create
from guozi.assets.services.revitalizations import revitalization_create
from guozi.assets.services.transfers import asset_transfer_create
from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User

CENT = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


@dataclass(frozen=True)
class Events:
    """Revitalisations of one method on the first ``count`` assets (by code) of ``package`` and,
    if given, class ``category`` or a name starting ``name``; value and cash in 万元 in all."""

    method: RevitalizationMethod
    package: Package
    count: int
    value: str
    cash: str
    counterparties: tuple[str, ...] = ("",)
    category: str = ""
    name: str = ""


_LENDERS = ("国家开发银行湖北省分行", "中国农业发展银行咸宁市分行", "湖北银行咸宁分行", "中国建设银行咸宁分行")
_BIDDER = ("公开挂牌竞价受让方",)
_TENANT = ("公开招租承租方",)

#: 城发集团, 2025: 28 events, 203900万元 (20.39亿元) of value, 284800万元 (28.48亿元) realised.
CHENGFA_EVENTS = [
    Events(RevitalizationMethod.LEASE, Package.LEASE, 8, "55000", "60000", _TENANT),
    Events(RevitalizationMethod.FINANCING, Package.FINANCING, 10, "140000", "220000", _LENDERS, category="土地"),
    Events(RevitalizationMethod.SALE, Package.SALE, 6, "3900", "4800", _BIDDER, category="房屋"),
    Events(RevitalizationMethod.SELF_USE, Package.SELF_USE, 4, "5000", "0", category="房屋"),
]

#: 高投集团, 2025: 19 events, 141700万元 (14.17亿元) of value, 232100万元 (23.21亿元) realised.
GAOTOU_EVENTS = [
    Events(RevitalizationMethod.LEASE, Package.LEASE, 12, "80000", "100000", _TENANT, name="智能制造产业园标准厂房"),
    Events(RevitalizationMethod.SALE, Package.SALE, 3, "21700", "26100", _BIDDER),
    Events(RevitalizationMethod.FINANCING, Package.FINANCING, 4, "40000", "106000", _LENDERS),
]


def split_by(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` in parts proportional to ``weights``, to the 分, that add up exactly."""
    whole = sum(weights)
    parts = [(total * w / whole).quantize(CENT) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def _assets(enterprise: Organization, group: Events) -> list[Asset]:
    assets = enterprise_assets(Asset.objects.all(), enterprise).filter(package=group.package)
    if group.category:
        assets = assets.filter(category__name=group.category)
    if group.name:
        assets = assets.filter(name__startswith=group.name)
    chosen = list(assets.order_by("code")[: group.count])
    if len(chosen) != group.count:  # the demo ledgers changed: say so, loudly
        raise RuntimeError(f"demo: {enterprise.short_name} has {len(chosen)} assets for {group}")
    return chosen


def _revitalize(username: str, enterprise: str, groups: list[Events]) -> None:
    actor = User.objects.get(username=username)
    organization = Organization.objects.get(short_name=enterprise)
    n = 0
    for group in groups:
        assets = _assets(organization, group)
        weights = [asset.book_value for asset in assets]
        values = split_by(Decimal(group.value) * WAN, weights)
        cash = split_by(Decimal(group.cash) * WAN, weights)
        for i, asset in enumerate(assets):
            day = date(2025, 1 + (n * 4) % 9, 1 + (n * 11) % 28)
            if asset.acquired_on is not None and day < asset.acquired_on:  # injected in 2025
                day = asset.acquired_on + timedelta(days=40)
            revitalization_create(
                actor=actor,
                origin=COMMAND,
                data={
                    "asset": asset,
                    "method": group.method,
                    "revitalized_on": day,
                    "value": values[i],
                    "cash": cash[i],
                    "counterparty": group.counterparties[i % len(group.counterparties)],
                },
            )
            n += 1


@dataclass(frozen=True)
class Transfer:
    kind: TransferKind
    title: str
    giving: str  # short names
    receiving: str
    day: date
    value_yi: str | None = None
    companies: tuple[str, ...] = ()
    #: Ledger rows (by name) the injection brought into the receiving ledger.
    assets: tuple[str, ...] = ()
    note: str = ""


TRANSFERS = [
    Transfer(
        TransferKind.ENTERPRISE,
        "振宁押运公司、双鹤驾校划转至市城发集团",
        "市国资公司",
        "市城发集团",
        date(2025, 4, 1),
        companies=("振宁押运", "双鹤驾校"),
        note="报告只载“2025年4月”，未载日期与文号。",
    ),
    Transfer(
        TransferKind.INJECTION,
        "原咸宁广播电视台大楼等4处资产注入市城发集团",
        "市政府",
        "市城发集团",
        ACQUIRED["原咸宁广播电视台大楼"],
        "0.86",
        assets=("原咸宁广播电视台大楼",),
    ),
    Transfer(
        TransferKind.INJECTION,
        "市本级行政事业单位169套闲置房屋注入市城发集团",
        "市政府",
        "市城发集团",
        date(2025, 6, 30),
        "0.72",
    ),
    Transfer(
        TransferKind.INJECTION,
        "“咸融通”信息平台注入市高投集团",
        "市政府",
        "市高投集团",
        date(2025, 8, 15),
        "0.32",
    ),
]


def _transfer(actor: User, spec: Transfer) -> None:
    names = [spec.giving, spec.receiving, *spec.companies]
    by_short = {o.short_name: o for o in Organization.objects.filter(short_name__in=names)}
    receiving = by_short[spec.receiving]
    asset_transfer_create(
        actor=actor,
        origin=COMMAND,
        data={
            "kind": spec.kind,
            "title": spec.title,
            "from_organization": by_short[spec.giving],
            "to_organization": receiving,
            "transferred_on": spec.day,
            "value": None if spec.value_yi is None else Decimal(spec.value_yi) * YI,
            "organizations": [by_short[name] for name in spec.companies],
            "assets": list(Asset.objects.filter(enterprise=receiving, name__in=spec.assets)),
            "note": spec.note,
        },
    )


#: (enterprise, as of, total assets 亿元, liabilities 亿元, financing cost rate %, revenue 亿元, profit 亿元).
#: Assets and rates as the report states them; liabilities, revenue and profit assumed.
SNAPSHOTS = [
    ("市城发集团", date(2024, 6, 30), "429.28", "266.15", "5.05", "18.6", "1.12"),
    ("市城发集团", date(2025, 9, 30), "468", "285.48", "4.92", "29.4", "1.86"),
    ("市高投集团", date(2024, 6, 30), "377.82", "219.14", "5.21", "9.7", "0.63"),
    ("市高投集团", date(2025, 9, 30), "419.61", "239.18", "4.72", "16.2", "1.05"),
]
_REPORTERS = {"市城发集团": "chengfa", "市高投集团": "gaotou"}


def load() -> None:
    _revitalize("chengfa", "市城发集团", CHENGFA_EVENTS)
    _revitalize("gaotou", "市高投集团", GAOTOU_EVENTS)
    sasac = User.objects.get(username="guoziwei")
    for spec in TRANSFERS:
        _transfer(sasac, spec)
    for enterprise, as_of, assets, liabilities, rate, revenue, profit in SNAPSHOTS:
        financial_snapshot_create(
            actor=User.objects.get(username=_REPORTERS[enterprise]),
            origin=COMMAND,
            data={
                "enterprise": Organization.objects.get(short_name=enterprise),
                "as_of": as_of,
                "total_assets": Decimal(assets) * YI,
                "total_liabilities": Decimal(liabilities) * YI,
                "financing_cost_rate": Decimal(rate),
                "revenue": Decimal(revenue) * YI,
                "profit": Decimal(profit) * YI,
            },
        )
