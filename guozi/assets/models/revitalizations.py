from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import RevitalizationMethod
from guozi.assets.models.assets import Asset
from guozi.core.models.base import GuoziModel, Versioned


class Revitalization(Versioned, GuoziModel):
    """One revitalisation (盘活) of an asset: put back into use, sold, leased out, pledged for financing ...

    ``value`` is the value of the asset revitalised as the enterprise reports it (as a
    rule appraised at the time), entered on the event rather than read from the ledger's
    book value: the reference report's 城发集团 revitalised assets worth 20.39亿元 while its
    inefficient assets have a book value of 14.1亿元 in all. ``cash`` is what it brought
    in (变现金额), which may exceed the value (a loan, a prepaid lease). Recording an event
    leaves the ledger row as it is: the enterprise keeps its state up to date itself.
    """

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="revitalizations")
    method = models.CharField(_("method"), max_length=20, choices=RevitalizationMethod.choices)
    revitalized_on = models.DateField(_("date"))
    value = models.DecimalField(
        _("value revitalised (元)"),
        max_digits=18,
        decimal_places=2,
        help_text=_("The value of the asset revitalised, as reported (usually appraised), not its book value."),
    )
    cash = models.DecimalField(
        _("cash realised (元)"),
        max_digits=18,
        decimal_places=2,
        default=0,
        help_text=_("What the revitalisation brought in (变现金额): sale price, rent, financing raised."),
    )
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "asset__enterprise"

    class Meta:
        verbose_name = _("revitalisation")
        verbose_name_plural = _("revitalisations")
        ordering = ["-revitalized_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="assets_revitalization_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cash__gte=0),
                name="assets_revitalization_cash_not_negative",
                violation_error_message=_("Cash realised cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} · {self.revitalized_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assets:revitalization_detail", args=[self.pk])
