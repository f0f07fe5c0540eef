"""The generic pages: the asset ledger (with totals), asset classes, revitalisations, transfers and
financial snapshots."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from guozi.assets import filtersets, forms, tables
from guozi.assets.models import Asset, AssetCategory, AssetTransfer, FinancialSnapshot, LedgerUpload, Revitalization
from guozi.assets.selectors import debt_ratio, revitalization_totals, transfer_totals
from guozi.assets.services.assets import asset_create, asset_delete, asset_update
from guozi.assets.services.finance import (
    financial_snapshot_create,
    financial_snapshot_delete,
    financial_snapshot_update,
)
from guozi.assets.services.revitalizations import (
    revitalization_create,
    revitalization_delete,
    revitalization_update,
)
from guozi.assets.services.transfers import asset_transfer_create, asset_transfer_update
from guozi.assets.views.totals import ledger_totals
from guozi.core.money import format_money, format_percent
from guozi.core.views.generic import ObjectViews

FIGURES_TEMPLATE = "assets/figures_detail.html"
#: What a ledger row of the list and the export reads (tables.AssetTable, the keyset, ``str``).
LEDGER_COLUMNS = [
    "enterprise_id",
    "code",
    "name",
    "category_id",
    "location",
    "area",
    "book_value",
    "utilisation",
    "package",
    "certificate",
    "enterprise__short_name",
    "category__name",
]


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
    # The unique (enterprise, code) index's order: the first page is an index read, not a
    # sort of the whole ledger by the enterprises' sort order (docs/lists.md).
    list_ordering = ["enterprise_id", "code"]

    @classmethod
    def list_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The enterprise and the class, which the table shows; not the two import batches every
        imported row points to (the generic list joins every foreign key), which it does not.

        Only the columns the table shows (and the keyset's): 14 values a row rather than 38, no
        timestamps to convert. A column added to the table without its field here would cost a
        query per row, which tests/test_query_counts.py fails."""
        return queryset.select_related("enterprise", "category").only(*LEDGER_COLUMNS)

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any], filterset: Any) -> dict[str, Any]:
        """Count and book value of the filtered rows, all pages: one query, from the summary where it can answer.

        The count is the page's record count too: exact from the summary (which equals the
        ledger), or bounded at ``paging.CAP`` like ``bounded_count``; a second count of up to
        10,001 ledger rows was most of the page's SQL."""
        totals = ledger_totals(request, queryset, filterset)
        return {"totals": totals, "record_count": totals["count"], "record_count_exact": totals["exact"]}

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """The import batch, and the asset's revitalisations and transfers the user may see."""
        return {
            "batch": obj.import_batch,
            "revitalizations": Revitalization.objects.restrict(request.user).filter(asset=obj),
            "transfers": AssetTransfer.objects.restrict(request.user)
            .filter(assets=obj)
            .select_related("from_organization", "to_organization"),
        }


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


class RevitalizationViews(ObjectViews):
    model = Revitalization
    filterset = filtersets.RevitalizationFilterSet
    table = tables.RevitalizationTable
    form = forms.RevitalizationForm
    create = revitalization_create
    update = revitalization_update
    delete = revitalization_delete
    list_related = ["asset__enterprise"]
    list_template = "assets/revitalization_list.html"
    detail_template = FIGURES_TEMPLATE
    detail_fields = ["asset", "method", "revitalized_on", "counterparty", "note"]

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "figures": [
                (_("value revitalised"), format_money(obj.value, "万元")),
                (_("cash realised"), format_money(obj.cash, "万元")),
            ]
        }

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any], filterset: Any) -> dict[str, Any]:
        """Count, value and cash of the filtered events, all pages: one query."""
        return {"totals": revitalization_totals(queryset)}


class AssetTransferViews(ObjectViews):
    model = AssetTransfer
    filterset = filtersets.AssetTransferFilterSet
    table = tables.AssetTransferTable
    form = forms.AssetTransferForm
    create_form = forms.AssetTransferCreateForm
    create = asset_transfer_create
    update = asset_transfer_update
    # No delete: the moves a transfer made stay made; moving back is a new transfer.
    detail_fields = [
        "kind",
        "title",
        "from_organization",
        "to_organization",
        "transferred_on",
        "document_number",
        "assets",
        "organizations",
        "note",
    ]
    list_template = "assets/assettransfer_list.html"
    detail_template = FIGURES_TEMPLATE

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"figures": [(_("value of the assets"), format_money(obj.value, "万元"))]}

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any], filterset: Any) -> dict[str, Any]:
        count, value = transfer_totals(queryset)
        return {"totals": {"count": count, "value": value}}


class FinancialSnapshotViews(ObjectViews):
    model = FinancialSnapshot
    filterset = filtersets.FinancialSnapshotFilterSet
    table = tables.FinancialSnapshotTable
    form = forms.FinancialSnapshotForm
    create = financial_snapshot_create
    update = financial_snapshot_update
    delete = financial_snapshot_delete
    detail_template = FIGURES_TEMPLATE
    detail_fields = ["enterprise", "as_of", "note"]

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "figures": [
                (_("total assets"), format_money(obj.total_assets)),
                (_("total liabilities"), format_money(obj.total_liabilities)),
                (_("debt ratio"), format_percent(debt_ratio(obj))),
                (_("financing cost rate"), format_percent(obj.financing_cost_rate)),
                (_("revenue"), format_money(obj.revenue)),
                (_("total profit"), format_money(obj.profit)),
            ]
        }
