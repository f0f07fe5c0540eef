"""The import pages' two steps: upload and check a file, then confirm its import.

A :class:`LedgerUpload` is the page's working copy of a file between the two steps,
not ledger data: its own writes are not change-logged. What the import changes is:
the ``ImportBatch`` and every asset written, each with its change record.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.assets.choices import ImportStatus
from guozi.assets.models import LedgerUpload
from guozi.assets.services import progress as import_progress
from guozi.assets.services.imports import ImportOutcome, Progress, ledger_check, ledger_import
from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope

#: A checked file not imported within a day is dropped: its check is stale by then.
KEEP_UNCONFIRMED = timedelta(days=1)

#: Confirmed imports run in a thread of their own (tests set this to False to run them inline).
IN_BACKGROUND = True

logger = logging.getLogger(__name__)


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


def _check_importable(actor: User, upload: LedgerUpload) -> None:
    ensure_in_scope(actor, upload, "view")
    if upload.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file imports it."))
    if not upload.is_ready:
        raise ValidationError(_("This file has errors or has been imported already."))


def ledger_upload_import(
    *, actor: User, origin: Origin, upload: LedgerUpload, progress: Progress | None = None
) -> LedgerUpload:
    """Import a checked file, here and now. It is checked again: the ledger may have changed since.

    ``progress`` is handed to :func:`ledger_import` (called after each chunk of rows).
    """
    _check_importable(actor, upload)
    return _import(actor, origin, upload, progress)


def _import(actor: User, origin: Origin, upload: LedgerUpload, progress: Progress | None) -> LedgerUpload:
    outcome = ledger_import(
        actor=actor, origin=origin, file_name=upload.file_name, content=bytes(upload.content), progress=progress
    )
    _apply(upload, outcome)
    upload.import_batch = outcome.batch
    upload.status = ImportStatus.DONE if outcome.batch else ImportStatus.FAILED
    upload.rows_done = outcome.rows if outcome.batch else 0
    upload.message = "" if outcome.batch else _("The file no longer passes the check: nothing has been written.")
    # Imported or refused, the content has served its purpose (and is not kept needlessly).
    upload.content = b""
    upload.save()
    return upload


def ledger_upload_start(
    *,
    actor: User,
    origin: Origin,
    upload: LedgerUpload,
    schedule: Callable[[Callable[[], None]], None] = transaction.on_commit,
) -> LedgerUpload:
    """Confirm a checked file: queue its import, which runs in a background thread.

    ``schedule`` is given the function that starts the thread: by default it runs once
    the caller's transaction has committed (so the thread sees the queued status); the
    page passes its response's closers, so that the import begins once the response
    (and its session write) is done. The thread uses its own database connection. Its
    progress is kept in memory (:mod:`guozi.assets.services.progress`); its end is
    written to the upload.
    """
    _check_importable(actor, upload)
    upload.status = ImportStatus.QUEUED
    upload.rows_done = 0
    upload.message = ""
    upload.save(update_fields=["status", "rows_done", "message", "updated_at"])
    import_progress.report(upload.pk, 0)
    upload_id, actor_id = upload.pk, actor.pk
    if IN_BACKGROUND:
        schedule(
            lambda: threading.Thread(
                target=_import_in_thread, args=(upload_id, actor_id, origin), name=f"ledger-import-{upload_id}"
            ).start()
        )
    else:
        schedule(lambda: _import_job(upload_id, actor_id, origin))
    return upload


def _import_in_thread(upload_id: int, actor_id: int, origin: Origin) -> None:
    try:
        _import_job(upload_id, actor_id, origin)
    finally:
        # The thread's own connection: Django closes a request's, nobody closes this one.
        connection.close()


def _import_job(upload_id: int, actor_id: int, origin: Origin) -> None:
    """The background import of one upload: running, then done or failed."""
    upload = LedgerUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    actor = upload.uploaded_by
    if actor.pk != actor_id:
        # The job acts as the uploader only; a real check, which python -O would not strip.
        raise PermissionDenied(f"upload {upload_id} was not made by user {actor_id}")
    LedgerUpload.objects.filter(pk=upload_id).update(status=ImportStatus.RUNNING, updated_at=timezone.now())
    try:
        _import(actor, origin, upload, lambda rows: import_progress.report(upload_id, rows))
    except Exception as error:  # whatever stops the import, the page must learn that it ended
        logger.exception("import of ledger upload %s failed", upload_id)
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else _("The import failed.")
        LedgerUpload.objects.filter(pk=upload_id).update(
            status=ImportStatus.FAILED, message=reason[:500], updated_at=timezone.now()
        )
    finally:
        import_progress.forget(upload_id)
