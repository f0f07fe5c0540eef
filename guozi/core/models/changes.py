from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import ChangeAction, ChangeSource
from guozi.core.models.chained import ChainedRecord


class ChangeRecord(ChainedRecord):
    """One create, update or delete of one row: who, when, from where, before and after.

    Append-only: database triggers refuse UPDATE and DELETE (migration 0002), and
    each record is a link of an SM3 hash chain (``guozi.core.chain``).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    source = models.CharField(_("source"), max_length=20, choices=ChangeSource.choices)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    # No database constraint: the log outlives the rows it describes, including
    # a deleted organisation, and an append-only table cannot be updated to NULL.
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation the changed row belonged to: the change record's own scope."),
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    import_batch = models.ForeignKey(
        "core.ImportBatch", verbose_name=_("import batch"), on_delete=models.PROTECT, null=True, blank=True
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    scope_organization: ClassVar[str] = "organization"
    scope_owner: ClassVar[str | None] = "actor"

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class LoginRecord(ChainedRecord):
    """One sign-in attempt, successful or not, or one sign-out. Append-only and chained."""

    username = models.CharField(_("username"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=20)
    success = models.BooleanField(_("success"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    scope_organization: ClassVar[str] = "user__organization"
    scope_owner: ClassVar[str | None] = "user"

    class Meta:
        verbose_name = _("login record")
        verbose_name_plural = _("login records")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.username} {self.event}"
