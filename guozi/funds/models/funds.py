from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.funds.choices import FundKind


class Fund(Versioned, GuoziModel):
    """An industrial fund being set up or run, sponsored by one enterprise.

    Sizes are in 元. The sponsoring enterprise edits its funds; the SASAC sees all.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=FundKind.choices)
    target_size = models.DecimalField(_("target size (元)"), max_digits=18, decimal_places=2)
    focus_industries = models.CharField(_("focus industries"), max_length=200, blank=True)
    sponsor = models.ForeignKey(
        "core.Organization", verbose_name=_("sponsoring enterprise"), on_delete=models.PROTECT, related_name="funds"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent fund"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_funds",
    )
    target_task = models.ForeignKey(
        "supervision.TargetTask",
        verbose_name=_("target task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
    )
    planned_social_capital = models.DecimalField(
        _("social capital to mobilise (元)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("撬动社会资本: the outside money the fund is planned to bring in."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "sponsor"

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-target_size", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_size__gt=0),
                name="funds_fund_size_positive",
                violation_error_message=_("A fund's size must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(planned_social_capital__isnull=True) | Q(planned_social_capital__gte=0),
                name="funds_fund_social_capital_not_negative",
                violation_error_message=_("Social capital to mobilise cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund_detail", args=[self.pk])

    @property
    def leverage(self) -> Decimal | None:
        """Social capital mobilised per 元 of fund: 150亿元 on 30亿元 is 5 (倍)."""
        if self.planned_social_capital is None:
            return None
        return (self.planned_social_capital / self.target_size).quantize(Decimal("0.01"))


class ManagerTerm(GuoziModel):
    """A period during which one firm managed the fund (its GP), or a change of it."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="manager_terms")
    manager = models.CharField(_("manager"), max_length=100)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "fund__sponsor"

    class Meta:
        verbose_name = _("fund manager")
        verbose_name_plural = _("fund managers")
        ordering = ["fund", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="funds_manager_term_in_order",
                violation_error_message=_("A manager's term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.manager

    def get_absolute_url(self) -> str:
        return reverse("funds:managerterm_detail", args=[self.pk])
