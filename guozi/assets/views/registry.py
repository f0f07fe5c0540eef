"""The ledger's generic pages: the asset list (with totals), detail, history, edit; the asset classes."""

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest

from guozi.assets import filtersets, forms, tables
from guozi.assets.models import Asset, AssetCategory, LedgerUpload
from guozi.assets.services.assets import asset_create, asset_delete, asset_update
from guozi.core.views.generic import ObjectViews


class AssetViews(ObjectViews):
    model = Asset
    filterset = filtersets.AssetFilterSet
    table = tables.AssetTable
    form = forms.AssetForm
    create_form = forms.AssetCreateForm
    create = asset_create
    update = asset_update
    delete = asset_delete
    # Amounts show in the figure cards of the detail page, in 万元.
    detail_fields = [
        "enterprise",
        "code",
        "category",
        "location",
        "area",
        "quantity",
        "acquired_on",
        "certificate",
        "utilisation",
        "package",
        "note",
    ]
    list_template = "assets/asset_list.html"
    detail_template = "assets/asset_detail.html"

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any]) -> dict[str, Any]:
        """Count and book value of the filtered rows, all pages: one query."""
        return {"totals": queryset.order_by().aggregate(count=Count("pk"), value=Sum("book_value"))}

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"batch": obj.import_batch}


class AssetCategoryViews(ObjectViews):
    model = AssetCategory
    filterset = filtersets.AssetCategoryFilterSet
    table = tables.AssetCategoryTable
    # Reference data, seeded by migration: read here, changed by no page.
    has_history = False
    detail_fields = ["code", "name", "parent", "sort_order"]
    paginate_by = 50


class LedgerUploadViews(ObjectViews):
    """The import pages' model; they are pages of their own (views/imports.py), not generic ones."""

    model = LedgerUpload
    has_history = False
