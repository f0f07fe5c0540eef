"""The import pages: upload a ledger file and see the dry run, confirm it, download its errors.

Only people whose roles may import (``assets.add_ledgerupload``) reach them; a checked
file is seen and confirmed by its uploader alone, anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from guozi.assets.forms import LedgerFileForm
from guozi.assets.models import LedgerUpload
from guozi.assets.services import progress as import_progress
from guozi.assets.services.imports import ledger_template
from guozi.assets.services.uploads import ledger_upload_create, ledger_upload_start
from guozi.core.changes import Origin
from guozi.core.exports import XLSX_TYPE, xlsx_response
from guozi.core.importing.problems import error_table
from guozi.core.scope import scope_for
from guozi.core.views.generic import ScopedView

#: Errors listed on the page; the download holds all that were kept.
ERRORS_ON_PAGE = 200


def _template_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('资产台账导入模板.xlsx')}"
    return response


class _UploadView(ScopedView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if scope_for(request.user, LedgerUpload, "add") is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, action: str | None = None) -> QuerySet[Any]:
        return super().scoped(action).filter(uploaded_by=self.request.user)

    def result(self, upload: LedgerUpload, status: int = 200) -> HttpResponse:
        context = {
            "upload": upload,
            "progress": _progress(upload),
            "errors": upload.errors[:ERRORS_ON_PAGE],
            "more_errors": upload.error_count - min(len(upload.errors), ERRORS_ON_PAGE),
        }
        return render(self.request, "assets/import_result.html", context, status=status)


def _progress(upload: LedgerUpload) -> dict[str, int]:
    """Rows done and total, and the percentage, of an upload's import (running or ended)."""
    total = upload.rows
    done = (import_progress.rows_done(upload.pk) or 0) if upload.is_importing else upload.rows_done
    percent = 100 if upload.import_batch_id else (min(100, done * 100 // total) if total else 0)
    return {"done": done, "total": total, "percent": percent}


def _keep_session_as_is(request: HttpRequest) -> None:
    """Let this response leave the session row alone (the idle timeout renews it once a minute).

    While an import runs, its transaction holds SQLite's one write lock: the polls of its
    progress would wait for it, and fail past the busy timeout. A poll has nothing to save;
    the user's next other request renews the session.
    """
    session: Any = request.session
    session.save = lambda must_create=False: None


class ImportView(_UploadView):
    """GET: the upload form (``?download=template``: the blank template). POST: check the file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("download") == "template":
            organization = getattr(request.user, "organization", None)
            return _template_response(ledger_template(reporting_unit=str(organization or "")))
        return self.form_page(LedgerFileForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LedgerFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_page(form, status=400)
        file = form.cleaned_data["file"]
        try:
            upload = ledger_upload_create(actor=request.user, file_name=file.name, content=file.read())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_page(form, status=400)
        return self.result(upload, status=200 if upload.is_ready else 400)

    def form_page(self, form: LedgerFileForm, status: int = 200) -> HttpResponse:
        recent = self.scoped().select_related("import_batch")[:10]
        return render(self.request, "assets/import.html", {"form": form, "recent": recent}, status=status)


class ImportResultView(_UploadView):
    """GET: what the check found. POST: import the checked file (checked once more, then written)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = self.get_object()
        if upload.is_importing:
            _keep_session_as_is(request)
        return self.result(upload)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = self.get_object()
        starts: list[Callable[[], None]] = []
        try:
            ledger_upload_start(actor=request.user, origin=Origin.web(request), upload=upload, schedule=starts.append)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.result(upload, status=400)
        # The import runs in the background; the result page follows it (see ImportProgressView).
        # It starts when this response is closed, after the session middleware has written:
        # on SQLite, that write would otherwise wait for the import's transaction.
        response = HttpResponseRedirect(upload.get_absolute_url())
        response._resource_closers.extend(starts)  # type: ignore[attr-defined]
        return response


class ImportProgressView(_UploadView):
    """The progress fragment of a running import, polled by the result page until it ends."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _keep_session_as_is(request)
        upload = self.get_object()
        context = {"upload": upload, "progress": _progress(upload)}
        return render(request, "assets/import_progress.html", context)


class ImportErrorsView(_UploadView):
    """The errors of a refused file as .xlsx: row, column, value, reason."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return xlsx_response(_("Import errors"), *error_table(self.get_object().errors))
