from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.funds.choices import GateKind, Stage
from guozi.funds.models.funds import Fund
from guozi.funds.models.partners import Partner


class StageEntry(GuoziModel):
    """The day a fund entered one stage of its set-up pipeline. Each stage is entered once."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    entered_on = models.DateField(_("entered on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "fund__sponsor"

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["fund", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "stage"],
                name="funds_stage_once",
                violation_error_message=_("A stage cannot be entered twice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund.short_name} {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("funds:stageentry_detail", args=[self.pk])


class Gate(Versioned, GuoziModel):
    """Something a fund waits on before it can move on: an outside approval, another
    fund's filing, or a partner's payment. Open until it is cleared (an approval) or
    until what it waits for has happened (the filing, the payment)."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="gates")
    kind = models.CharField(_("kind"), max_length=20, choices=GateKind.choices)
    description = models.CharField(_("waiting on"), max_length=200)
    since = models.DateField(_("since"))
    awaited_fund = models.ForeignKey(
        Fund, verbose_name=_("awaited fund"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    awaited_partner = models.ForeignKey(
        Partner,
        verbose_name=_("awaited partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)

    scope_organization: ClassVar[str] = "fund__sponsor"

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["fund", "since"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=GateKind.FUND_FILING) | Q(awaited_fund__isnull=False),
                name="funds_gate_filing_names_fund",
                violation_error_message=_("A gate on another fund's filing must name that fund."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=GateKind.PAYMENT) | Q(awaited_partner__isnull=False),
                name="funds_gate_payment_names_partner",
                violation_error_message=_("A gate on a payment must name the partner."),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("funds:gate_detail", args=[self.pk])
