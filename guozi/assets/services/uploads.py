"""The import pages' two steps: upload and check a file, then confirm its import.

A :class:`LedgerUpload` is the page's working copy of a file between the two steps,
not ledger data: its own writes are not change-logged. What the import changes is:
the ``ImportBatch`` and every asset written, each with its change record.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.assets.models import LedgerUpload
from guozi.assets.services.imports import ImportOutcome, ledger_check, ledger_import
from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope

#: A checked file not imported within a day is dropped: its check is stale by then.
KEEP_UNCONFIRMED = timedelta(days=1)


def _apply(upload: LedgerUpload, outcome: ImportOutcome) -> None:
    upload.unit = outcome.unit
    upload.rows = outcome.rows
    upload.creates = outcome.creates
    upload.updates = outcome.updates
    upload.unchanged = outcome.unchanged
    upload.error_count = outcome.error_count
    upload.errors = [error.as_dict() for error in outcome.errors]


def ledger_upload_create(*, actor: User, file_name: str, content: bytes) -> LedgerUpload:
    """Check a file (the dry run) and keep the result; a file that passed is kept for confirmation."""
    if actor.organization_id is None:
        raise ValidationError(_("Your account belongs to no organisation, so an import cannot be recorded."))
    outcome = ledger_check(actor=actor, file_name=file_name, content=content)
    upload = LedgerUpload(
        file_name=file_name[:200],
        sha256=outcome.sha256,
        size=len(content),
        content=content if outcome.ok else b"",
        organization_id=actor.organization_id,
        uploaded_by=actor,
    )
    _apply(upload, outcome)
    ensure_in_scope(actor, upload, "add")
    with transaction.atomic():
        LedgerUpload.objects.filter(
            uploaded_by=actor, import_batch__isnull=True, created_at__lt=timezone.now() - KEEP_UNCONFIRMED
        ).delete()
        upload.save()
    return upload


def ledger_upload_import(*, actor: User, origin: Origin, upload: LedgerUpload) -> LedgerUpload:
    """Import a checked file. It is checked again: the ledger may have changed since."""
    ensure_in_scope(actor, upload, "view")
    if upload.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file imports it."))
    if not upload.is_ready:
        raise ValidationError(_("This file has errors or has been imported already."))
    outcome = ledger_import(actor=actor, origin=origin, file_name=upload.file_name, content=bytes(upload.content))
    _apply(upload, outcome)
    upload.import_batch = outcome.batch
    # Imported or refused, the content has served its purpose (and is not kept needlessly).
    upload.content = b""
    upload.save()
    return upload
