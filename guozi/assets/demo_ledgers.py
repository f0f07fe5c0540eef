"""The demo ledgers of 市城发集团 and 市高投集团, built so that the census comes out as the
reference report states it (section 二(三), certificates in 二(二)) — exactly, by adding up rows.

What the report states is held here as group totals (万元); how a total splits into
single assets, the names, places and dates are demo assumptions. Two of the report's
own sums do not add up, and the ledger keeps the parts, not the stated totals:

* 城发: "已完成306.9亿元资产清理", but its classes add to 306.7亿元
  (22 + 67.2 + 152.6 + 37.7 + 14.5 + 12.7);
* 高投: "已完成96.17亿元资产清理", but its classes add to 96.18亿元
  (34.35 + 55.12 + 0.33 + 5 + 1.38).

The report generator is to flag both (docs/assets.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Group:
    """Assets of one class and one state whose book values add up to ``total`` 万元."""

    category: str
    total: str
    #: (enterprise, asset name, location)
    items: list[tuple[str, str, str]]
    utilisation: str = "在用"
    package: str = ""
    #: Price in 万元 per ㎡ for the area; 0: no area (money, claims, stakes).
    price_per_m2: str = "0"
    #: Original value over book value (depreciation of buildings and equipment).
    original_factor: str = "1"
    #: Certificate states of the group's first items, in order; the rest need none.
    certificates: tuple[str, ...] = ()
    #: Items (by position) leased out: in use, neither idle nor inefficient.
    leased: tuple[int, ...] = ()


# 双鹤驾校 holds no rows of its own: core's tests delete it as a unit without data.
CF, ZN, LN = "市城发集团", "振宁押运", "城发绿能"
GT, GTF = "市高投集团", "高投基金公司"

#: Units whose buildings and equipment came to 城发 when administrative assets were handed to the SOEs.
_TRANSFERRED = [
    "市交通局",
    "市商务局",
    "市粮食局",
    "市供销社",
    "市农机局",
    "市物资局",
    "市建工局",
    "市二轻局",
    "市外贸公司",
    "市医药公司",
    "市百货公司",
    "市五交化公司",
    "市糖酒公司",
    "市纺织公司",
    "市印刷厂",
]
_BANKS = [
    "湖北银行",
    "中国建设银行",
    "中国农业银行",
    "中国工商银行",
    "中国银行",
    "汉口银行",
    "咸宁农商银行",
    "国家开发银行",
]
_STREETS = [
    "温泉路",
    "淦河大道",
    "银泉大道",
    "十六潭路",
    "金桂路",
    "长江大道",
    "贺胜路",
    "马柏大道",
    "桂乡大道",
    "永安大道",
]

#: Rows whose acquisition is a recorded event of the demo: the day of the injection
#: that brought them in (``demo_records``).
ACQUIRED = {"原咸宁广播电视台大楼": date(2025, 5, 20)}

CHENGFA = [
    Group("资金", "220000", [(CF, f"{bank}咸宁分行存款", "") for bank in _BANKS]),
    Group(
        "债权",
        "672000",
        [
            (CF, "应收市财政局城区道路提升工程回购款", ""),
            (CF, "应收咸安区政府棚户区改造项目款", ""),
            (CF, "应收高新区管委会基础设施代建款", ""),
            (CF, "应收市住建局保障性住房代建款", ""),
            (CF, "应收淦河流域综合治理项目款", ""),
            (CF, "应收市自然资源和规划局土地整理款", ""),
            (CF, "应收温泉新区片区开发项目款", ""),
            (CF, "应收市水利和湖泊局水环境治理款", ""),
            (CF, "委托贷款（咸宁城发置业有限公司）", ""),
            (CF, "应收国家区域医疗中心片区开发合资公司往来款", ""),
            (CF, "应收养心谷温泉康养项目合资公司往来款", ""),
            (CF, "其他应收款（工程保证金）", ""),
        ],
    ),
    Group(
        "房屋",
        "669800",
        [
            (CF, "城发大厦", "咸安区温泉路68号"),
            (CF, "咸宁市民之家综合楼", "咸安区银泉大道9号"),
            (CF, "温泉路保障性住房（一期）", "咸安区温泉路"),
            (CF, "十六潭公园配套用房", "咸安区十六潭路"),
            (CF, "淦河大道安置小区（二期）", "咸安区淦河大道"),
            (CF, "市妇幼保健院新院区（代建移交）", "咸安区长江大道"),
            (CF, "长安社区养老服务综合体", "咸安区长安社区"),
            (CF, "城发物流园仓储中心", "咸安区贺胜路"),
            (CF, "城发商业综合体", "咸安区金桂路"),
            (CF, "人才公寓（银泉苑）", "咸安区银泉大道"),
            (CF, "城发职工食堂及配套用房", "咸安区温泉路68号"),
            (ZN, "振宁押运金库及业务用房", "咸安区永安大道"),
            (CF, "双鹤驾校教学楼", "咸安区马柏大道"),
            (LN, "绿能分公司运维中心", "咸安区桂乡大道"),
        ],
        price_per_m2="0.65",
        original_factor="1.25",
        certificates=("已办证",) * 8,
        leased=(8, 9),
    ),
    Group(
        "房屋",
        "16000",
        [(CF, f"原{unit}办公用房", f"咸安区{_STREETS[i % 10]}") for i, unit in enumerate(_TRANSFERRED)],
        utilisation="低效",
        package="自用",
        price_per_m2="0.42",
        original_factor="1.6",
    ),
    Group(
        "房屋",
        "1200",
        [(CF, f"{_STREETS[i]}{12 + i * 7}号车库", f"咸安区{_STREETS[i]}") for i in range(6)],
        utilisation="低效",
        package="出售",
        price_per_m2="0.35",
        original_factor="1.3",
    ),
    Group(
        "房屋",
        "19000",
        [
            (CF, "淦河大道沿街商铺（A区）", "咸安区淦河大道"),
            (CF, "淦河大道沿街商铺（B区）", "咸安区淦河大道"),
            (CF, "十六潭公园配套商业用房", "咸安区十六潭路"),
            (CF, "长江产业园标准厂房3号", "咸安区长江产业园"),
            (CF, "长江产业园标准厂房5号", "咸安区长江产业园"),
            (CF, "原咸宁广播电视台大楼", "咸安区温泉路"),
            (CF, "向阳湖文化广场商业用房", "咸安区向阳湖镇"),
            (CF, "官埠桥农贸市场", "咸安区官埠桥镇"),
        ],
        utilisation="低效",
        package="租赁",
        price_per_m2="0.55",
        original_factor="1.35",
        certificates=("办理中",) * 3,
    ),
    Group(
        "土地",
        "760000",
        [
            (CF, "温泉新区储备地块（XN2019-08）", "咸安区温泉新区"),
            (CF, "淦河两岸储备地块（XN2020-03）", "咸安区淦河大道"),
            (CF, "梓山湖片区储备地块", "咸安区梓山湖"),
            (CF, "国家区域医疗中心片区地块", "咸安区长江大道"),
            (CF, "养心谷温泉康养项目用地", "咸安区温泉镇"),
            (CF, "城东新区商住用地（XN2021-11）", "咸安区永安大道"),
            (CF, "横沟桥物流园用地", "咸安区横沟桥镇"),
            (CF, "贺胜桥高铁片区储备地块", "咸安区贺胜桥镇"),
            (CF, "向阳湖生态片区储备地块", "咸安区向阳湖镇"),
            (CF, "马柏大道沿线储备地块", "咸安区马柏大道"),
        ],
        price_per_m2="0.18",
        certificates=("已办证",) * 5,
    ),
    Group(
        "土地",
        "60000",
        [(CF, f"贺胜桥工业用地（HS-{i:02d}）", "咸安区贺胜桥镇") for i in range(1, 11)],
        utilisation="低效",
        package="融资",
        price_per_m2="0.06",
        certificates=("未办证",) * 2,
    ),
    Group(
        "土地使用权",
        "338000",
        [
            (CF, "城发大厦土地使用权", "咸安区温泉路68号"),
            (CF, "城发物流园土地使用权", "咸安区贺胜路"),
            (CF, "城发商业综合体土地使用权", "咸安区金桂路"),
            (CF, "保障性住房项目土地使用权", "咸安区温泉路"),
            (CF, "市民之家土地使用权", "咸安区银泉大道"),
            (ZN, "振宁押运业务用房土地使用权", "咸安区永安大道"),
            (CF, "双鹤驾校训练场土地使用权", "咸安区马柏大道"),
            (LN, "绿能光伏电站用地使用权", "咸安区桂乡大道"),
        ],
        price_per_m2="0.25",
    ),
    Group(
        "土地使用权",
        "39000",
        [(CF, f"横沟桥仓储用地使用权（HG-{i:02d}）", "咸安区横沟桥镇") for i in range(1, 7)],
        utilisation="低效",
        package="融资",
        price_per_m2="0.08",
    ),
    Group(
        "股权",
        "145000",
        [
            (CF, "咸宁城发置业有限公司100%股权", ""),
            (CF, "咸宁养心谷文旅康养有限公司（与省文旅集团合资）股权", ""),
            (CF, "咸宁国医中心开发有限公司（与省联投集团合资）股权", ""),
            (CF, "湖北银行股份有限公司股权", ""),
            (CF, "咸宁农村商业银行股份有限公司股权", ""),
            (CF, "咸宁高新产业区域母基金份额", ""),
            (CF, "咸宁城发建设工程有限公司100%股权", ""),
            (CF, "咸宁智慧停车运营有限公司51%股权", ""),
            (LN, "咸宁城发新能源有限公司100%股权", ""),
        ],
    ),
    Group(
        "其他",
        "121200",
        [
            (CF, "开发产品（温泉路安置房存量房源）", "咸安区温泉路"),
            (CF, "城区停车场收费设施", "咸安区"),
            (CF, "城市道路广告位经营权", "咸安区"),
            (CF, "苗木资产（十六潭苗圃）", "咸安区十六潭路"),
            (LN, "屋顶分布式光伏电站设备", "咸安区长江产业园"),
            (CF, "预付工程款（国家区域医疗中心片区）", ""),
        ],
        original_factor="1.2",
    ),
    Group(
        "其他",
        "4000",
        [(CF, f"原{unit}移交办公设备一批", "咸安区温泉路68号") for unit in _TRANSFERRED[:6]],
        utilisation="低效",
        package="自用",
        original_factor="2.5",
    ),
    Group(
        "其他",
        "1800",
        [(ZN, f"押运车（鄂L·Y{3100 + i * 17}）", "咸安区永安大道") for i in range(15)]
        + [(CF, f"双鹤驾校教练车（鄂L·X{5200 + i * 23}学）", "咸安区马柏大道") for i in range(10)],
        utilisation="低效",
        package="出售",
        original_factor="3",
    ),
]

GAOTOU = [
    Group(
        "房屋",
        "343600",
        [
            (GT, "高投大厦", "咸宁高新区长江大道"),
            (GT, "高新区科创中心", "咸宁高新区长江大道"),
            (GT, "高新区企业服务中心", "咸宁高新区旗鼓大道"),
            (GT, "生物医药产业园标准厂房（一期）", "咸宁高新区龙潭大道"),
            (GT, "电子信息产业园研发楼", "咸宁高新区书台街"),
            (GT, "高新区人才公寓（一期）", "咸宁高新区旗鼓大道"),
            (GT, "新材料产业园中试基地", "咸宁高新区龙潭大道"),
            (GT, "高新区创业服务中心", "咸宁高新区书台街"),
        ],
        price_per_m2="0.6",
        original_factor="1.2",
        certificates=("已办证",) * 4,
    ),
    Group(
        "房屋",
        "21700",
        [
            (GT, "原高新区管委会综合楼", "咸宁高新区旗鼓大道"),
            (GT, "高新区档案及数据中心用房", "咸宁高新区书台街"),
            (GT, "高新区职工活动中心", "咸宁高新区长江大道"),
            (GT, "高新区应急物资仓库", "咸宁高新区龙潭大道"),
        ],
        utilisation="闲置",
        package="自用",
        price_per_m2="0.45",
        original_factor="1.3",
    ),
    Group(
        "房屋",
        "19900",
        [
            (GT, "高新区商业街A栋", "咸宁高新区旗鼓大道"),
            (GT, "高新区商业街B栋", "咸宁高新区旗鼓大道"),
            (GT, "龙潭大道临街商铺", "咸宁高新区龙潭大道"),
        ],
        utilisation="闲置",
        package="出售",
        price_per_m2="0.7",
        original_factor="1.15",
    ),
    Group(
        "房屋",
        "166000",
        [(GT, f"智能制造产业园标准厂房{i}号", "咸宁高新区长江产业园") for i in range(1, 16)]
        + [(GT, f"科创孵化器{i}号楼", "咸宁高新区书台街") for i in range(1, 6)]
        + [(GT, f"高新区人才公寓（二期）{i}栋", "咸宁高新区旗鼓大道") for i in range(1, 6)],
        utilisation="闲置",
        package="租赁",
        price_per_m2="0.5",
        original_factor="1.1",
        certificates=("办理中",) * 3,
    ),
    Group(
        "土地使用权",
        "296900",
        [
            (GT, "高投大厦土地使用权", "咸宁高新区长江大道"),
            (GT, "科创中心土地使用权", "咸宁高新区长江大道"),
            (GT, "生物医药产业园土地使用权", "咸宁高新区龙潭大道"),
            (GT, "电子信息产业园土地使用权", "咸宁高新区书台街"),
            (GT, "新材料产业园土地使用权", "咸宁高新区龙潭大道"),
            (GT, "智能制造产业园土地使用权", "咸宁高新区长江产业园"),
            (GT, "人才公寓项目土地使用权", "咸宁高新区旗鼓大道"),
            (GT, "高新区物流园土地使用权", "咸宁高新区旗鼓大道"),
        ],
        price_per_m2="0.12",
        certificates=("已办证",) * 2,
    ),
    Group(
        "土地使用权",
        "46600",
        [(GT, f"高新区工业储备用地使用权（GX-{i:02d}）", "咸宁高新区") for i in range(1, 6)],
        utilisation="闲置",
        package="融资",
        price_per_m2="0.09",
        certificates=("未办证",),
    ),
    Group(
        "数据资产",
        "3300",
        [(GT, "高新区企业信用数据资源", ""), (GT, "高新区产业运行监测数据库", "")],
    ),
    Group(
        "矿权",
        "50000",
        [
            (GT, "高新区建筑用砂岩矿采矿权", "咸宁高新区横沟桥镇"),
            (GT, "高新区石英砂矿探矿权", "咸宁高新区"),
        ],
    ),
    Group(
        "股权",
        "13800",
        [
            (GT, "咸宁高投产业基金管理有限公司100%股权", ""),
            (GTF, "咸宁长证高新产业投资基金份额（首期实缴）", ""),
            (GTF, "湖北香城长江科创投资基金份额", ""),
        ],
    ),
]


def split(total: Decimal, count: int, seed: int) -> list[Decimal]:
    """``total`` in ``count`` uneven parts to the cent (万元 with two decimals) that add up exactly."""
    weights = [5 + (i * 37 + seed * 13) % 11 for i in range(count)]
    parts = [(total * w / sum(weights)).quantize(CENT) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def rows(prefix: str, groups: list[Group]) -> list[list[object]]:
    """Template rows (amounts in 万元) for ``groups``; codes are ``<prefix>-<nnnn>``."""
    out: list[list[object]] = []
    for seed, group in enumerate(groups):
        values = split(Decimal(group.total), len(group.items), seed)
        price = Decimal(group.price_per_m2)
        for i, ((enterprise, name, location), value) in enumerate(zip(group.items, values, strict=True)):
            n = len(out) + 1
            certificate = group.certificates[i] if i < len(group.certificates) else "无需办证"
            out.append(
                [
                    f"{prefix}-{n:04d}",
                    enterprise,
                    name,
                    group.category,
                    location,
                    (value / price).quantize(CENT) if price else None,
                    1,
                    (value * Decimal(group.original_factor)).quantize(CENT),
                    value,
                    ACQUIRED.get(name, date(2008 + (n * 5) % 17, 1 + (n * 7) % 12, 1 + (n * 11) % 28)),
                    certificate,
                    "出租" if i in group.leased else group.utilisation,
                    group.package,
                    "",
                ]
            )
    return out
