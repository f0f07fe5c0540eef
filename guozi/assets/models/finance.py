from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned


class FinancialSnapshot(Versioned, GuoziModel):
    """An enterprise's main financial figures on one date, as it reports them to the SASAC (财务快报).

    Amounts in 元; balances (assets, liabilities) on the date, flows (revenue, profit)
    from 1 January to the date. The financing cost rate is the weighted cost of the
    enterprise's interest-bearing debt, in per cent. ``selectors.compare`` sets two
    snapshots side by side.
    """

    enterprise = models.ForeignKey(
        "core.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="financial_snapshots",
    )
    as_of = models.DateField(_("as of"))
    total_assets = models.DecimalField(_("total assets (元)"), max_digits=18, decimal_places=2)
    total_liabilities = models.DecimalField(_("total liabilities (元)"), max_digits=18, decimal_places=2)
    financing_cost_rate = models.DecimalField(
        _("financing cost rate (%)"),
        max_digits=7,
        decimal_places=4,
        help_text=_("Weighted cost of interest-bearing debt, in per cent: 4.92 for 4.92%."),
    )
    revenue = models.DecimalField(
        _("revenue (元)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Operating revenue from 1 January to the date."),
    )
    profit = models.DecimalField(
        _("total profit (元)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Total profit from 1 January to the date; negative for a loss."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "enterprise"

    class Meta:
        verbose_name = _("financial snapshot")
        verbose_name_plural = _("financial snapshots")
        ordering = ["enterprise__sort_order", "enterprise__name", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "as_of"],
                name="assets_financialsnapshot_one_per_date",
                violation_error_message=_("This enterprise already has figures for this date."),
            ),
            models.CheckConstraint(
                condition=Q(total_assets__gte=0) & Q(total_liabilities__gte=0),
                name="assets_financialsnapshot_balances_not_negative",
                violation_error_message=_("Assets and liabilities cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(financing_cost_rate__gte=0) & Q(financing_cost_rate__lte=100),
                name="assets_financialsnapshot_rate_is_a_percentage",
                violation_error_message=_("A rate lies between 0 and 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="assets_financialsnapshot_revenue_not_negative",
                violation_error_message=_("Revenue cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.short_name or self.enterprise.name} {self.as_of:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assets:financialsnapshot_detail", args=[self.pk])
