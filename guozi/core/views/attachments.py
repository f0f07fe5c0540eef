"""Downloading and removing evidence files, through the same scope as every page."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _

from guozi.core import filtersets, tables
from guozi.core.changes import Origin
from guozi.core.models import Attachment
from guozi.core.scope import scope_for
from guozi.core.services.attachments import attachment_delete
from guozi.core.views.generic import ObjectViews, ScopedView


class AttachmentViews(ObjectViews):
    model = Attachment
    filterset = filtersets.AttachmentFilterSet
    table = tables.AttachmentTable


def _attached_to_visible(user: Any, attachment: Attachment) -> Any:
    """The record the file belongs to, if the user may see it: a file is no more visible than its record."""
    parent = attachment.attached_to
    manager = getattr(type(parent), "objects", None)
    if parent is None or manager is None or not manager.restrict(user, "view").filter(pk=parent.pk).exists():
        raise Http404
    return parent


class AttachmentDownloadView(ScopedView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment: Attachment = self.get_object()
        _attached_to_visible(request.user, attachment)
        response = HttpResponse(bytes(attachment.data), content_type=attachment.mime_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.file_name)}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentDeleteView(ScopedView):
    action = "delete"

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment: Attachment = self.get_object()
        parent = _attached_to_visible(request.user, attachment)
        try:
            attachment_delete(actor=self.actor, origin=Origin.web(request), attachment=attachment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return HttpResponseRedirect(parent.get_absolute_url())


def can_attach(user: Any) -> bool:
    return scope_for(user, Attachment, "add") is not None
