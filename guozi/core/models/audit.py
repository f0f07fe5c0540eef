from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guozi.core.models.chained import ChainedRecord


class AuditEventKind(models.TextChoices):
    """Security events beyond the change log (writes) and the login log (sign-ins)."""

    DENIED = "denied", _("Access denied")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    IMPORT = "import", _("Import")
    AUDIT_READ = "audit_read", _("Audit log read")
    INTEGRITY_CHECK = "integrity_check", _("Integrity check")
    ARCHIVE = "archive", _("Audit archive")
    PURGE = "purge", _("Audit purge")
    BACKUP = "backup", _("Backup")
    RESTORE = "restore", _("Restore")
    RESTORE_DRILL = "restore_drill", _("Restore drill")


class AuditEvent(ChainedRecord):
    """One security event: who, when, from where, what, and whether it succeeded.

    Append-only (database triggers) and chained (SM3); only the auditor reads them.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    # Like the change log's: no constraint, the log outlives the organisation.
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=AuditEventKind.choices)
    success = models.BooleanField(_("success"))
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "organization"
    scope_owner: ClassVar[str | None] = "actor"

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "timestamp"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_repr or self.path}"
