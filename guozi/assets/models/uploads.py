from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import ImportStatus
from guozi.core.models.base import GuoziModel


class LedgerUpload(GuoziModel):
    """A ledger file a user uploaded and Guozi checked (the dry run), until it is imported.

    It holds what the check found: the rows it would create, update or leave unchanged,
    or every error that refuses it. A file that passed keeps its content so that the
    user can confirm the import without sending it again (the page may be served by
    another process, so it cannot stay in memory or on local disk). The content is
    dropped once imported; the import itself is the ``ImportBatch`` it points to.
    Not ledger data: a staging record of the import pages, visible to its uploader only.
    """

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = models.BinaryField(_("content"), blank=True, default=b"", editable=False)
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(_("amount unit"), max_length=10, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    creates = models.PositiveIntegerField(_("to create"), default=0)
    updates = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(
        _("error list"),
        default=list,
        blank=True,
        help_text=_("[{row, column, value, reason}], at most the first 10,000 of error_count."),
    )
    import_batch = models.OneToOneField(
        "core.ImportBatch",
        verbose_name=_("import batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    status = models.CharField(
        _("import status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    rows_done = models.PositiveIntegerField(
        _("rows imported"),
        default=0,
        help_text=_("Written when the import ends; while it runs, its progress is kept in memory."),
    )
    message = models.CharField(_("message"), max_length=500, blank=True)

    scope_organization: ClassVar[str] = "organization"
    scope_owner: ClassVar[str | None] = "uploaded_by"

    class Meta:
        verbose_name = _("ledger upload")
        verbose_name_plural = _("ledger uploads")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("assets:import_result", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        """Checked without errors and not imported yet: the user may confirm it."""
        return self.error_count == 0 and self.import_batch_id is None and self.status == ImportStatus.CHECKED

    @property
    def is_importing(self) -> bool:
        """Confirmed, and its import is queued or running in the background."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
