import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import Asset, AssetCategory
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
