from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import TransferKind
from guozi.assets.models.assets import Asset
from guozi.core.models.base import GuoziModel, Versioned


class AssetTransfer(Versioned, GuoziModel):
    """One transfer of state-owned assets by the SASAC's decision: assets or a whole company moved
    between enterprises (划转), or assets of the government put into an enterprise (注入).

    Carried out by ``asset_transfer_create``: the listed assets move to the receiving
    enterprise's ledger (keeping their codes and history), the listed companies are
    re-parented under it. Both sides read the record, and so do the companies moved;
    the SASAC writes it.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    title = models.CharField(_("subject"), max_length=200, help_text=_("What was moved, in a line."))
    from_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("giving side"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
        help_text=_("The giving enterprise, or the government office that injects."),
    )
    to_organization = models.ForeignKey(
        "core.Organization", verbose_name=_("receiving side"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    transferred_on = models.DateField(_("date"))
    value = models.DecimalField(
        _("value (元)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("As the transfer document states it; blank when it states none."),
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    assets = models.ManyToManyField(
        Asset,
        verbose_name=_("assets"),
        blank=True,
        related_name="transfers",
        help_text=_("Ledger rows moved to the receiving enterprise, or (an injection) the rows it brought in."),
    )
    organizations = models.ManyToManyField(
        "core.Organization",
        verbose_name=_("companies moved"),
        blank=True,
        related_name="transfers_as_subject",
        help_text=_("An enterprise transfer: the companies re-parented under the receiving enterprise."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "to_organization"
    scope_read_also: ClassVar[tuple[str, ...]] = ("from_organization", "organizations")

    class Meta:
        verbose_name = _("asset transfer")
        verbose_name_plural = _("asset transfers")
        ordering = ["-transferred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="assets_assettransfer_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(from_organization=F("to_organization")),
                name="assets_assettransfer_two_sides",
                violation_error_message=_("A transfer goes from one organisation to another."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assets:assettransfer_detail", args=[self.pk])
