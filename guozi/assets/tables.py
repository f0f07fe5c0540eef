from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import Asset, AssetCategory
from guozi.core.money import format_money


class MoneyColumn(tables.Column):
    """An amount stored in 元, shown (and exported) in 万元.

    The twin of ``funds.tables.MoneyColumn``: an app may not import a sibling's internals,
    and core has no money column yet.
    """

    def __init__(self, *args: Any, unit: str = "万元", **kwargs: Any) -> None:
        self.unit = unit
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_money(value, self.unit)


class AssetTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__short_name")
    area = tables.Column(attrs={"td": {"class": "text-end"}})
    book_value = MoneyColumn(verbose_name=_("book value"))
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
