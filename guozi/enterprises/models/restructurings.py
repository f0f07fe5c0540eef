from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.enterprises.models.profiles import ENTERPRISES


class Restructuring(Versioned, GuoziModel):
    """A restructuring (优化重组): several enterprises merged into one, on a date, under a document.

    The county (or city) it belongs to is the resulting enterprise's region; the merged
    enterprises lie in the same one. Recording it marks the merged enterprises' profiles
    "merged away" (``services.restructurings``).
    """

    done_on = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=100, help_text=_("e.g. 咸安政发〔2025〕8号"))
    result = models.ForeignKey(
        "core.Organization",
        verbose_name=_("resulting enterprise"),
        on_delete=models.PROTECT,
        related_name="restructurings",
        limit_choices_to=ENTERPRISES,
    )
    merged = models.ManyToManyField(
        "core.Organization",
        verbose_name=_("enterprises merged"),
        related_name="merged_in_restructurings",
        limit_choices_to=ENTERPRISES,
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "result"
    #: An enterprise merged away reads the restructuring that took it in.
    scope_read_also: ClassVar[tuple[str, ...]] = ("merged",)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-done_on", "result__sort_order", "pk"]

    def __str__(self) -> str:
        name = self.result.short_name or self.result.name
        return f"{name} {self.done_on:%Y-%m-%d} {self.document_number}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:restructuring_detail", args=[self.pk])

    @property
    def region(self) -> str:
        return self.result.region
