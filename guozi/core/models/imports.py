from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel


class ImportBatch(GuoziModel):
    """One uploaded file loaded in bulk; every row it wrote points back to it."""

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("rows created"), default=0)
    updated = models.PositiveIntegerField(_("rows changed"), default=0)
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_owner = "created_by"

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.file_name
