"""Evidence files: checked before they are kept, then change-logged like any write.

Guarantee: only files whose first bytes are those of a PDF, PNG, JPEG or Office
(zip) document and that are at most ``MAX_BYTES`` are kept; the name is reduced to
its last path part; nothing is parsed or executed on the server.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from guozi.core.changes import Origin, create_object, delete_object
from guozi.core.models import Attachment, User
from guozi.core.scope import ScopedQuerySet, owning_organization_id
from guozi.core.services.access import ensure_in_scope

MAX_BYTES = 20 * 1024 * 1024
#: Suffix → (magic bytes, MIME type). Office files are zip packages.
ACCEPTED = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def attachment_add(*, actor: User, origin: Origin, obj: models.Model, file_name: str, content: bytes) -> Attachment:
    """Attach a file to ``obj``, which the actor must be allowed to change."""
    ensure_in_scope(actor, obj, "change")
    if not getattr(obj, "editable", True):
        raise ValidationError(_("This record is closed: files can no longer be attached."))
    name = PurePosixPath(file_name.replace("\\", "/")).name[:200]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError({"file": _("Accepted: PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files.")})
    magic, mime = ACCEPTED[suffix]
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("Files are limited to %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}})
    if not content.startswith(magic):
        raise ValidationError(
            {"file": _("The file's content is not what its name says (%(suffix)s).") % {"suffix": suffix}}
        )
    organization_id = owning_organization_id(obj)
    if organization_id is None:
        raise ValidationError(_("Files attach only to records that belong to an organisation."))
    attachment = Attachment(
        attached_to=obj,
        organization_id=organization_id,
        file_name=name,
        mime_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        data=content,
        uploaded_by=actor,
    )
    return create_object(actor=actor, origin=origin, instance=attachment)


def attachment_delete(*, actor: User, origin: Origin, attachment: Attachment) -> None:
    attached_to = attachment.attached_to
    if attached_to is not None:
        ensure_in_scope(actor, attached_to, "change")
        if not getattr(attached_to, "editable", True):
            raise ValidationError(_("This record is closed: its files can no longer be removed."))
    delete_object(actor=actor, origin=origin, instance=attachment)


def attachments_of(obj: models.Model) -> ScopedQuerySet:
    content_type = ContentType.objects.get_for_model(type(obj))
    return Attachment.objects.filter(content_type=content_type, object_id=obj.pk).defer("data")
