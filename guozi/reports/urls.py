from django.urls import path

from guozi.core.views.generic import model_urls
from guozi.reports.views import DocxView, GeneratedReportViews

app_name = "reports"

urlpatterns = [
    path("generatedreport/<int:pk>/docx/", DocxView.as_view(views=GeneratedReportViews), name="report_docx"),
    *model_urls(GeneratedReportViews),
]
