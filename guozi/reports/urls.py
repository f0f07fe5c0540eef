from django.urls import path

from guozi.core.views.generic import model_urls
from guozi.reports.views import DocxView, GeneratedReportViews, PublishView

app_name = "reports"

urlpatterns = [
    path("generatedreport/<int:pk>/docx/", DocxView.as_view(views=GeneratedReportViews), name="report_docx"),
    path("generatedreport/<int:pk>/publish/", PublishView.as_view(views=GeneratedReportViews), name="report_publish"),
    *model_urls(GeneratedReportViews),
]
