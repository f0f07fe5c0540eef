from typing import Any
from urllib.parse import quote

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core.changes import Origin
from guozi.core.filtersets import SearchFilterSet
from guozi.core.scope import scope_for
from guozi.core.views.generic import ObjectViews, ScopedView
from guozi.reports.docx_writer import render_docx
from guozi.reports.forms import GenerateForm
from guozi.reports.models import GeneratedReport
from guozi.reports.services import report_generate, report_publish

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class GeneratedReportFilterSet(SearchFilterSet):
    search_fields = ["title"]
    year = django_filters.NumberFilter()

    class Meta:
        model = GeneratedReport
        fields = ["q", "year", "quarter"]


class GeneratedReportTable(tables.Table):
    title = tables.Column(linkify=True)
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = GeneratedReport
        fields = ["title", "unit", "year", "quarter", "findings", "created_at", "sha256"]


class GeneratedReportViews(ObjectViews):
    model = GeneratedReport
    filterset = GeneratedReportFilterSet
    table = GeneratedReportTable
    form = GenerateForm
    create = report_generate
    detail_fields = ["title", "unit", "year", "quarter", "sha256", "created_at"]
    detail_template = "reports/report_detail.html"
    has_history = True

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        can_publish = not obj.published_on and scope_for(request.user, GeneratedReport, "change") is not None
        return {"document": obj.document(), "can_publish": can_publish and not obj.is_draft}


class DocxView(ScopedView):
    """The stored report as a Word file in the official format."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report: GeneratedReport = self.get_object()
        response = HttpResponse(render_docx(report.document()), content_type=DOCX_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title)}.docx"
        return response


class PublishView(ScopedView):
    """政务公开: put a final report on the public page from today."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report: GeneratedReport = self.get_object()
        try:
            report_publish(
                actor=self.actor, origin=Origin.web(request), generatedreport=report, published_on=timezone.localdate()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published."))
        return HttpResponseRedirect(report.get_absolute_url())
