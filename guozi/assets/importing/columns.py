"""The ledger template's columns and terms, as issue 4 §3 lays them out.

The template is a government form: its headers and terms are Chinese whatever the
language of the pages, so they are written here as the sheet shows them, not
translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from guozi.assets.choices import CertificateStatus, Package, Utilisation

TITLE = "资产台账"
REPORTING_UNIT = "填报单位"
TOTAL = "合计"
DEFAULT_UNIT = "万元"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: "money": the header carries the sheet's unit, 账面原值(万元); "area": 面积(㎡).
    kind: str = ""
    required: bool = False
    width: int = 12
    #: Summed in the 合计 row.
    summed: bool = False

    def header(self, unit: str) -> str:
        if self.kind == "money":
            return f"{self.label}({unit})"
        if self.kind == "area":
            return f"{self.label}(㎡)"
        return self.label


COLUMNS = [
    Column("code", "资产编号", required=True, width=14),
    Column("enterprise", "所属企业", required=True, width=26),
    Column("name", "资产名称", required=True, width=30),
    Column("category", "资产类别", required=True, width=12),
    Column("location", "坐落位置", width=30),
    Column("area", "面积", kind="area", summed=True),
    Column("quantity", "数量", width=8, summed=True),
    Column("original_value", "账面原值", kind="money", width=16, summed=True),
    Column("book_value", "账面价值", kind="money", required=True, width=16, summed=True),
    Column("acquired_on", "取得日期", width=12),
    Column("certificate", "权证状态", required=True, width=10),
    Column("utilisation", "使用状态", required=True, width=10),
    Column("package", "资产包", width=8),
    Column("note", "备注", width=30),
]
BY_KEY = {column.key: column for column in COLUMNS}

CERTIFICATE_TERMS = {
    "已办证": CertificateStatus.DONE,
    "未办证": CertificateStatus.MISSING,
    "办理中": CertificateStatus.IN_PROGRESS,
    "无需办证": CertificateStatus.NOT_NEEDED,
}
UTILISATION_TERMS = {
    "在用": Utilisation.IN_USE,
    "闲置": Utilisation.IDLE,
    "低效": Utilisation.INEFFICIENT,
    "出租": Utilisation.LEASED,
}
PACKAGE_TERMS = {
    "自用": Package.SELF_USE,
    "出售": Package.SALE,
    "租赁": Package.LEASE,
    "融资": Package.FINANCING,
    "无": "",
}


def term(terms: dict[str, str], value: str) -> str:
    """The sheet's term for a stored value: CertificateStatus.DONE → 已办证 ("" → "")."""
    return next((name for name, stored in terms.items() if stored == value and stored), "")
