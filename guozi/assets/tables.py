from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import Asset, AssetCategory, AssetTransfer, FinancialSnapshot, Revitalization
from guozi.core.money import format_percent
from guozi.core.tables import MoneyColumn


class AssetTable(tables.Table):
    """The ledger: millions of rows, so a column sorts only where an index serves its order.

    Sortable: code, enterprise, class and book value, each backed by an index ending in the id
    (the keyset tie-breaker; migration 0007, docs/lists.md). The others are filters, or
    nullable (area), or free text a sort would read the whole ledger for.
    """

    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, orderable=False)
    # By the enterprise, then the code: the unique (enterprise, code) index, not a join.
    enterprise = tables.Column(
        verbose_name=_("enterprise"), accessor="enterprise__short_name", order_by=("enterprise_id", "code")
    )
    # By the class's id (the classes are seeded in their code's order): an index, not a join.
    category = tables.Column(order_by=("category_id",))
    location = tables.Column(orderable=False)
    area = tables.Column(attrs={"td": {"class": "text-end"}}, orderable=False)
    book_value = MoneyColumn(verbose_name=_("book value"), unit="万元")
    utilisation = tables.Column(orderable=False)
    package = tables.Column(verbose_name=_("package"), orderable=False)
    certificate = tables.Column(orderable=False)

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
