"""The benchmark's own ledger: enterprises and asset rows at any scale, in the import template.

Names, places and values are made up but shaped like a city's state-owned ledgers:
a few large groups hold most rows (Zipf-like), buildings and land carry areas and
certificates, book value is a share of original value, values are log-normal per
class (a receivable of a few 万元, a plot of several thousand). Seeded, so one scale
always gives the same file.

The sheet has the template's layout (``guozi.assets.importing.template``: title,
填报单位 and unit row, header, data from row 4, a last 合计 row) but is written with
xlsxwriter in constant-memory mode: ``template_xlsx`` builds the whole sheet in
memory and adds drop-down lists, which a generated million-row file does not need.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from guozi.assets.importing.columns import COLUMNS, DEFAULT_UNIT, REPORTING_UNIT, TITLE, TOTAL
from guozi.assets.importing.template import HEADER_ROW

SEED = 20250930
PLACES = ["咸安区", "赤壁市", "嘉鱼县", "通城县", "崇阳县", "通山县", "咸宁高新区", "温泉", "向阳湖", "贺胜桥"]
ROADS = [
    "温泉路",
    "银泉大道",
    "长江大道",
    "金桂路",
    "淦河大道",
    "青龙路",
    "十六潭路",
    "永安大道",
    "旗鼓大道",
    "桂乡大道",
]
BUSINESSES = [
    ("城市发展", "城发"),
    ("交通投资", "交投"),
    ("水务", "水务"),
    ("文化旅游", "文旅"),
    ("产业投资", "产投"),
    ("农业发展", "农发"),
    ("保障性住房", "保障房"),
    ("粮食储备", "粮储"),
    ("公共资源", "公资"),
    ("建设工程", "建工"),
    ("燃气", "燃气"),
    ("物业管理", "物业"),
]
BUILDINGS = ["办公楼", "综合楼", "门面房", "仓库", "厂房", "职工宿舍", "车库", "安置房", "商铺", "酒店"]
BANKS = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "湖北银行", "咸宁农商银行"]
THINGS = ["公务车辆", "办公设备", "空调机组", "供水管网", "路灯设施", "监控设备", "变压器", "污水处理设备"]
NOTES = ["历史遗留，权属待核实", "已列入盘活计划", "部分出租", "2024年清查新增", "待办理不动产权证"]

#: Class → (share of rows, median original value in 万元, median area in ㎡ or 0 for none).
CLASSES = {
    "房屋": (30, 300.0, 800.0),
    "土地": (10, 800.0, 6000.0),
    "在建工程": (5, 1500.0, 0.0),
    "土地使用权": (8, 600.0, 5000.0),
    "资金": (8, 200.0, 0.0),
    "债权": (10, 100.0, 0.0),
    "股权": (6, 1000.0, 0.0),
    "数据资产": (2, 50.0, 0.0),
    "矿权": (1, 2000.0, 0.0),
    "其他": (20, 5.0, 0.0),
}
UTILISATION = {"在用": 70, "闲置": 10, "低效": 12, "出租": 8}
#: Packages for idle and inefficient assets; most assets in use belong to none.
PACKAGES = {"出售": 30, "租赁": 35, "融资": 10, "自用": 25}
NEEDS_CERTIFICATE = {"房屋", "土地", "土地使用权", "在建工程"}


@dataclass(frozen=True)
class Enterprise:
    name: str
    short_name: str
    region: str


def enterprises(count: int) -> list[Enterprise]:
    """``count`` enterprises: the first is the group, the others its subsidiaries; names unique."""
    found = [Enterprise("咸宁市国有资本基准测试集团有限公司", "基准集团", "咸宁市")]
    index = 0
    while len(found) < count:
        place = PLACES[index % len(PLACES)]
        business, short = BUSINESSES[(index // len(PLACES)) % len(BUSINESSES)]
        round_ = index // (len(PLACES) * len(BUSINESSES))
        suffix = f"第{round_ + 1}" if round_ else ""
        found.append(Enterprise(f"咸宁{place}{business}{suffix}有限公司", f"{place}{short}{suffix}", place))
        index += 1
    return found


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _money(rng: random.Random, median: float) -> float:
    """A log-normal amount in 万元 with two decimals (whole 100元), never below 0.01."""
    return max(0.01, round(rng.lognormvariate(0, 1.2) * median, 2))


def ledger_rows(count: int, names: list[Enterprise]) -> Iterator[list[Any]]:
    """``count`` rows in the order of ``COLUMNS``, amounts in 万元 (text, numbers, dates, blanks side by side)."""
    rng = random.Random(SEED)  # noqa: S311  (made-up data, reproducible)
    classes = list(CLASSES)
    class_weights = [CLASSES[c][0] for c in classes]
    # Zipf-like: the k-th enterprise holds about 1/k as many rows as the first.
    enterprise_weights = [1 / (k + 1) for k in range(len(names))]
    picked = rng.choices(names, weights=enterprise_weights, k=count)
    start = date(1985, 1, 1)
    span = (date(2025, 6, 30) - start).days
    for number, enterprise in enumerate(picked, start=1):
        category = rng.choices(classes, weights=class_weights)[0]
        _, median, area_median = CLASSES[category]
        place, road = rng.choice(PLACES), rng.choice(ROADS)
        house = rng.randint(1, 300)
        if category == "房屋":
            name = f"{road}{house}号{rng.choice(BUILDINGS)}"
        elif category in {"土地", "土地使用权"}:
            name = f"{place}{road}{rng.choice('东西南北')}侧{rng.randint(1, 40)}号地块"
        elif category == "在建工程":
            name = f"{place}{rng.choice(['安置小区', '产业园', '污水处理厂', '道路改造', '综合体'])}项目"
        elif category == "资金":
            name = f"银行存款-{rng.choice(BANKS)}{place}支行"
        elif category == "债权":
            name = f"应收账款-{rng.choice(names).short_name}"
        elif category == "股权":
            name = f"持有{place}{rng.choice(BUSINESSES)[0]}有限公司{rng.randint(5, 100)}%股权"
        elif category == "数据资产":
            name = f"{rng.choice(['智慧水务', '停车管理', '公共资源交易', '不动产登记'])}数据资源"
        elif category == "矿权":
            name = f"{place}{rng.choice(['石灰石', '花岗岩', '建筑用砂'])}采矿权"
        else:
            name = rng.choice(THINGS)
        original = _money(rng, median)
        book = max(0.01, round(original * rng.uniform(0.2, 1.0), 2))
        area = round(rng.lognormvariate(0, 1.0) * area_median, 2) if area_median else None
        utilisation = _weighted(rng, UTILISATION)
        package = (
            _weighted(rng, PACKAGES) if utilisation in {"闲置", "低效"} else ("自用" if rng.random() < 0.2 else "")
        )
        if category in NEEDS_CERTIFICATE:
            certificate = _weighted(rng, {"已办证": 70, "未办证": 20, "办理中": 10})
        else:
            certificate = "无需办证"
        located = category in NEEDS_CERTIFICATE or category == "其他"
        yield [
            f"ZC{number:08d}",
            enterprise.name if rng.random() < 0.9 else enterprise.short_name,
            name,
            category,
            f"湖北省咸宁市{place}{road}{house}号" if located else "",
            area,
            rng.randint(1, 20) if category == "其他" else 1,
            original,
            book,
            start + timedelta(days=rng.randrange(span)),
            certificate,
            utilisation,
            package,
            rng.choice(NOTES) if rng.random() < 0.05 else "",
        ]


def write_ledger(path: Path, *, count: int, names: list[Enterprise]) -> None:
    """The ledger file: the template's layout, ``count`` rows and a 合计 row that matches them."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
    bold = workbook.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#EEF2F7"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(TITLE)
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, TITLE, title)
    sheet.write_string(1, 0, f"{REPORTING_UNIT}：{names[0].name}")
    sheet.write_string(1, last, f"单位：{DEFAULT_UNIT}")
    for index, column in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW, index, column.header(DEFAULT_UNIT), bold)
        sheet.set_column(index, index, column.width)
    summed = [index for index, column in enumerate(COLUMNS) if column.summed]
    # Decimal sums of the values as written: the import checks 合计 exactly.
    sums = {index: Decimal(0) for index in summed}
    at = HEADER_ROW
    for row in ledger_rows(count, names):
        at += 1
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(at, index, value, day)
            elif isinstance(value, int | float):
                sheet.write_number(at, index, value)
            else:
                sheet.write_string(at, index, str(value))
        for index in summed:
            if row[index] is not None:
                sums[index] += Decimal(str(row[index]))
    at += 1
    sheet.write_string(at, 0, TOTAL)
    for index in summed:
        sheet.write_number(at, index, sums[index])
    workbook.close()
