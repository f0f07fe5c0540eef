from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import Asset, AssetCategory, AssetTransfer, FinancialSnapshot, Revitalization
from guozi.core.money import format_percent
from guozi.core.tables import MoneyColumn


class AssetTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__short_name")
    area = tables.Column(attrs={"td": {"class": "text-end"}})
    book_value = MoneyColumn(verbose_name=_("book value"), unit="万元")
    package = tables.Column(verbose_name=_("package"))

    class Meta:
        model = Asset
        fields = [
            "code",
            "name",
            "enterprise",
            "category",
            "location",
            "area",
            "book_value",
            "utilisation",
            "package",
            "certificate",
        ]


class AssetCategoryTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("parent class"))

    class Meta:
        model = AssetCategory
        fields = ["code", "name", "parent"]


class PercentColumn(tables.Column):
    """A rate stored in per cent (4.9200), shown as "4.92%"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_percent(value)


class RevitalizationTable(tables.Table):
    revitalized_on = tables.DateColumn(format="Y-m-d", linkify=True)
    asset = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="asset__enterprise__short_name")
    value = MoneyColumn(verbose_name=_("value revitalised"), unit="万元")
    cash = MoneyColumn(verbose_name=_("cash realised"), unit="万元")

    class Meta:
        model = Revitalization
        fields = ["revitalized_on", "asset", "enterprise", "method", "value", "cash", "counterparty"]


class AssetTransferTable(tables.Table):
    transferred_on = tables.DateColumn(format="Y-m-d")
    title = tables.Column(linkify=True)
    from_organization = tables.Column(verbose_name=_("giving side"))
    to_organization = tables.Column(verbose_name=_("receiving side"))
    value = MoneyColumn(verbose_name=_("value of the assets"), unit="万元")

    class Meta:
        model = AssetTransfer
        fields = ["transferred_on", "kind", "title", "from_organization", "to_organization", "value", "document_number"]


class FinancialSnapshotTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__short_name")
    as_of = tables.DateColumn(format="Y-m-d", linkify=True)
    total_assets = MoneyColumn(verbose_name=_("total assets"))
    total_liabilities = MoneyColumn(verbose_name=_("total liabilities"))
    financing_cost_rate = PercentColumn(verbose_name=_("financing cost rate"))
    revenue = MoneyColumn(verbose_name=_("revenue"))
    profit = MoneyColumn(verbose_name=_("total profit"))

    class Meta:
        model = FinancialSnapshot
        fields = [
            "enterprise",
            "as_of",
            "total_assets",
            "total_liabilities",
            "financing_cost_rate",
            "revenue",
            "profit",
        ]
