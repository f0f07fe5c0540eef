from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.funds.choices import PartnerRole
from guozi.funds.models.funds import Fund


class Partner(Versioned, GuoziModel):
    """One partner of a fund and what it committed (认缴): a Guozi organisation or an outside institution."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation in Guozi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_partnerships",
    )
    outside_name = models.CharField(
        _("outside institution"), max_length=100, blank=True, help_text=_("When the partner is not in Guozi.")
    )
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.LP)
    commitment = models.DecimalField(_("commitment (元)"), max_digits=18, decimal_places=2)

    scope_organization: ClassVar[str] = "fund__sponsor"

    class Meta:
        verbose_name = _("fund partner")
        verbose_name_plural = _("fund partners")
        ordering = ["fund", "-commitment"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(outside_name=""))
                | (Q(organization__isnull=True) & ~Q(outside_name="")),
                name="funds_partner_one_identity",
                violation_error_message=_("A partner is either an organisation in Guozi or an outside institution."),
            ),
            models.CheckConstraint(
                condition=Q(commitment__gte=0),
                name="funds_partner_commitment_not_negative",
                violation_error_message=_("A commitment cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["fund", "organization"],
                condition=Q(organization__isnull=False),
                name="funds_partner_organization_once",
                violation_error_message=_("This organisation is already a partner of the fund."),
            ),
            models.UniqueConstraint(
                fields=["fund", "outside_name"],
                condition=~Q(outside_name=""),
                name="funds_partner_outside_once",
                violation_error_message=_("This institution is already a partner of the fund."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:partner_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.organization.short_name or self.organization.name if self.organization else self.outside_name

    def paid_in(self) -> Decimal:
        total = self.contributions.aggregate(total=Sum("amount"))["total"]
        return total or Decimal(0)


class Contribution(GuoziModel):
    """One paid-in contribution (实缴) of a partner, on a date."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contributions"
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (元)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_organization: ClassVar[str] = "partner__fund__sponsor"

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["partner", "paid_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="funds_contribution_positive",
                violation_error_message=_("A contribution must be greater than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.paid_on}"

    def get_absolute_url(self) -> str:
        return reverse("funds:contribution_detail", args=[self.pk])
