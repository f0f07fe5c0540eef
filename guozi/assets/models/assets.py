from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import CertificateStatus, Package, Utilisation
from guozi.assets.models.categories import AssetCategory
from guozi.core.models.base import GuoziModel, Versioned, pk_url

#: What an enterprise keeps up to date on a row, by hand or by import: all but its key
#: (enterprise and code, which a transfer changes) and the bookkeeping.
LEDGER_FIELDS = [
    "name",
    "category",
    "location",
    "area",
    "quantity",
    "original_value",
    "book_value",
    "acquired_on",
    "certificate",
    "utilisation",
    "package",
    "note",
]


class Asset(Versioned, GuoziModel):
    """One row of an enterprise's asset ledger (资产台账): a building, a plot, a receivable, a stake ...

    Amounts are in 元. The code is the asset's key within its enterprise: a re-import
    matches rows to assets by (enterprise, code).
    """

    enterprise = models.ForeignKey(
        "core.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="assets",
        # The unique (enterprise, code) index serves every lookup by enterprise: a second
        # index on the column alone would only slow each insert (an import writes millions).
        db_index=False,
    )
    code = models.CharField(_("asset code"), max_length=50, help_text=_("Unique within the enterprise."))
    name = models.CharField(_("asset name"), max_length=200)
    category = models.ForeignKey(
        AssetCategory,
        verbose_name=_("asset class"),
        on_delete=models.PROTECT,
        related_name="assets",
        # The list's (category, id) index serves every lookup by class: no second one to keep up.
        db_index=False,
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    area = models.DecimalField(_("area (㎡)"), max_digits=14, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    original_value = models.DecimalField(
        _("original value (元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    book_value = models.DecimalField(_("book value (元)"), max_digits=18, decimal_places=2)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    certificate = models.CharField(_("certificate"), max_length=20, choices=CertificateStatus.choices)
    utilisation = models.CharField(_("utilisation"), max_length=20, choices=Utilisation.choices)
    package = models.CharField(_("package"), max_length=20, choices=Package.choices, blank=True, default="")
    note = models.TextField(_("note"), blank=True)
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("import batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The import that last created or changed this row."),
        # Read from the row, never searched by (nothing lists a batch's assets): no index to
        # keep up on every imported row. No foreign key check in the database either: the
        # import writes its batch in the same transaction and batches are never deleted, and
        # on PostgreSQL a deferred check per imported row was most of the import's extra cost.
        db_index=False,
        db_constraint=False,
    )
    created_in = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("created by import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        # Read from the row, never searched by: no index to keep up on every imported row,
        # and no database check (see import_batch).
        db_index=False,
        db_constraint=False,
        # An import records the rows it creates once, on its batch (the change record of
        # the ImportBatch), not one change record per row: a million-row ledger would
        # double its writes. This points an asset's history at that record.
        help_text=_("The import that created this row; empty when it was entered by hand."),
    )

    scope_organization: ClassVar[str] = "enterprise"

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["enterprise__sort_order", "code"]
        # The ledger list's sortable columns, each ending in the id: the keyset tie-breaker, so
        # that a page after ``(value, id)`` is one index seek (guozi/core/paging.py). The list's
        # default order (enterprise, code) is the unique constraint's index.
        indexes = [
            models.Index(fields=["code", "id"], name="assets_asset_code_seek"),
            models.Index(fields=["category", "id"], name="assets_asset_category_seek"),
            models.Index(fields=["book_value", "id"], name="assets_asset_value_seek"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="assets_asset_code_unique_in_enterprise",
                violation_error_message=_("This enterprise already has an asset with this code."),
            ),
            models.CheckConstraint(
                condition=Q(book_value__gte=0),
                name="assets_asset_book_value_not_negative",
                violation_error_message=_("A book value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(original_value__isnull=True) | Q(original_value__gte=0),
                name="assets_asset_original_value_not_negative",
                violation_error_message=_("An original value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gte=0),
                name="assets_asset_area_not_negative",
                violation_error_message=_("An area cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="assets_asset_quantity_positive",
                violation_error_message=_("A quantity is at least 1."),
            ),
        ]

    def __str__(self) -> str:
        # The code first: names repeat across enterprises (办公楼), codes make the row unique.
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return pk_url("assets:asset_detail", self.pk)  # a ledger page links 25 rows
