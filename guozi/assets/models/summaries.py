from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import Package, Utilisation
from guozi.assets.models.categories import AssetCategory
from guozi.core.scope import ScopedQuerySet, scope_q, whole_subtrees_q


class AssetSummaryQuerySet(ScopedQuerySet):
    """Scope for the summary: exactly the ledger's.

    Guarantee: ``restrict(user, action)`` returns the summary rows of the enterprises whose
    ledger rows ``Asset.objects.restrict(user, action)`` returns, and nothing else: it applies
    the ledger's own filter (its permission, its data scope), which names the enterprise by the
    same path (``enterprise``) a summary row has. A reader who may not see an enterprise's
    assets does not see their sums either.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        from guozi.assets.models.assets import Asset

        q = scope_q(user, Asset, action)
        return self.none() if q is None else self.filter(q)


class AssetSummary(models.Model):
    """The ledger rows of one enterprise in one class, utilisation and package, added up.

    Derived data, never edited: ``guozi.assets.summaries`` applies every ledger write's
    difference in the writing transaction, so each row equals the GROUP BY of the ledger it
    stands for (``guozi summaries rebuild --check`` compares). A group without assets has no
    row. Amounts are whole 分 and areas whole 0.01 ㎡ in integers: SQLite keeps DECIMAL columns
    as 8-byte floats, and floats added up increment by increment drift; integers stay exact on
    both databases.
    """

    # CASCADE, not PROTECT: the summary must never keep an organisation or a class alive. An
    # enterprise or class with assets cannot be deleted (the ledger PROTECTs them), and without
    # assets its rows are gone already.
    #
    # No foreign key check in the database (db_constraint=False; Django still cascades a delete):
    # every row is derived from ledger rows whose own foreign keys the database checks, in the
    # same transaction. On PostgreSQL the deferred check of each new summary and rollup row
    # cost a 300,000-row import into 10,000 enterprises 2.9 s at its commit, as much as the
    # ledger's own checks (docs/benchmarks.md, ninth session).
    enterprise = models.ForeignKey(
        "core.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with it
        db_constraint=False,
    )
    category = models.ForeignKey(
        AssetCategory,
        verbose_name=_("asset class"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the census index below starts with it
        db_constraint=False,
    )
    utilisation = models.CharField(_("utilisation"), max_length=20, choices=Utilisation.choices)
    package = models.CharField(_("package"), max_length=20, choices=Package.choices, blank=True, default="")
    asset_count = models.BigIntegerField(_("number of assets"), default=0)
    book_value_fen = models.BigIntegerField(_("book value (分)"), default=0)
    original_value_fen = models.BigIntegerField(
        _("original value (分)"), default=0, help_text=_("Rows without an original value add 0.")
    )
    area_centi = models.BigIntegerField(_("area (0.01 ㎡)"), default=0, help_text=_("Rows without an area add 0."))
    certificates_needed = models.BigIntegerField(_("certificates needed"), default=0)
    certificates_done = models.BigIntegerField(_("certificates done"), default=0)

    objects = AssetSummaryQuerySet.as_manager()

    scope_organization: ClassVar[str] = "enterprise"

    class Meta:
        verbose_name = _("asset summary")
        verbose_name_plural = _("asset summaries")
        constraints = [
            # Also the index every dashboard read uses: enterprise first (the scope and the
            # chosen subtree filter on it), then what the census groups by.
            models.UniqueConstraint(
                fields=["enterprise", "category", "utilisation", "package"],
                name="assets_assetsummary_one_row_per_group",
            ),
        ]
        indexes = [
            # The whole city's census (no enterprise filter) reads only this index, in GROUP BY
            # order. Without it SQLite 3.40 scans the table through the class's foreign-key index
            # (a table lookup per row) and sorts anyway (docs/assets.md, query plans).
            models.Index(
                fields=[
                    "category",
                    "utilisation",
                    "package",
                    "asset_count",
                    "book_value_fen",
                    "certificates_needed",
                    "certificates_done",
                ],
                name="assets_summary_census",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}/{self.category_id}/{self.utilisation}/{self.package or '-'}"

    @property
    def book_value(self) -> Decimal:
        return Decimal(self.book_value_fen).scaleb(-2)


class AssetRollupQuerySet(ScopedQuerySet):
    """Scope for the rollup: a subtree's row only to readers of the whole subtree's ledger.

    Guarantee: ``restrict(user, action)`` returns the rollup rows of organisation X only if
    ``Asset.objects.restrict(user, action)`` returns the ledger rows of every enterprise in X's
    subtree (``guozi.core.scope.whole_subtrees_q``): a user who sees part of a subtree reads its
    census from the per-enterprise summary rows instead, never from a rollup.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        from guozi.assets.models.assets import Asset

        q = whole_subtrees_q(user, Asset, action, "organization")
        return self.none() if q is None else self.filter(q)


class AssetRollup(models.Model):
    """The ledger rows of one organisation's whole subtree (itself and every organisation below
    it) in one class, utilisation and package, added up.

    The per-enterprise summary (``AssetSummary``) rolled up to every ancestor, so a subtree's
    census, or the whole city's (the root's), reads a few hundred rows however many enterprises
    lie below. Derived data like the summary, kept by the same writes (``guozi.assets.summaries``)
    and by organisation moves (``guozi.assets.tree``); same units, same invariant: no row for an
    empty group.
    """

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with it
        db_constraint=False,  # derived rows: see AssetSummary.enterprise
        help_text=_("The top of the subtree added up."),
    )
    category = models.ForeignKey(
        AssetCategory,
        verbose_name=_("asset class"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    utilisation = models.CharField(_("utilisation"), max_length=20, choices=Utilisation.choices)
    package = models.CharField(_("package"), max_length=20, choices=Package.choices, blank=True, default="")
    asset_count = models.BigIntegerField(_("number of assets"), default=0)
    book_value_fen = models.BigIntegerField(_("book value (分)"), default=0)
    original_value_fen = models.BigIntegerField(_("original value (分)"), default=0)
    area_centi = models.BigIntegerField(_("area (0.01 ㎡)"), default=0)
    certificates_needed = models.BigIntegerField(_("certificates needed"), default=0)
    certificates_done = models.BigIntegerField(_("certificates done"), default=0)

    objects = AssetRollupQuerySet.as_manager()

    scope_organization: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("asset rollup")
        verbose_name_plural = _("asset rollups")
        constraints = [
            # Also the index of every read: one organisation's rows, in the census's GROUP BY order.
            models.UniqueConstraint(
                fields=["organization", "category", "utilisation", "package"],
                name="assets_assetrollup_one_row_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}+/{self.category_id}/{self.utilisation}/{self.package or '-'}"
