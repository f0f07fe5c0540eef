from django.urls import path

from guozi.core.views.generic import model_urls
from guozi.supervision.views import registry as r
from guozi.supervision.views.pages import DashboardView, InboxView
from guozi.supervision.views.task_import import TaskImportErrorsView, TaskImportView
from guozi.supervision.views.workflow import ApproveView, AttachView, ReturnView, SubmitView

app_name = "supervision"

urlpatterns = [
    path("inbox/", InboxView.as_view(views=r.ProgressReportViews), name="inbox"),
    path("dashboard/", DashboardView.as_view(views=r.TargetTaskViews), name="dashboard"),
    path("plan/<int:pk>/import/", TaskImportView.as_view(views=r.PlanViews), name="task_import"),
    path("plan/<int:pk>/import/errors/", TaskImportErrorsView.as_view(views=r.PlanViews), name="task_import_errors"),
    path("progressreport/<int:pk>/submit/", SubmitView.as_view(views=r.ProgressReportViews), name="report_submit"),
    path("progressreport/<int:pk>/return/", ReturnView.as_view(views=r.ProgressReportViews), name="report_return"),
    path("progressreport/<int:pk>/approve/", ApproveView.as_view(views=r.ProgressReportViews), name="report_approve"),
    path("progressreport/<int:pk>/attach/", AttachView.as_view(views=r.ProgressReportViews), name="report_attach"),
    *model_urls(r.PlanViews),
    *model_urls(r.TargetTaskViews),
    *model_urls(r.WorkItemViews),
    *model_urls(r.MilestoneViews),
    *model_urls(r.IndicatorViews),
    *model_urls(r.IndicatorValueViews),
    *model_urls(r.ProblemViews),
    *model_urls(r.ReportingRoundViews),
    *model_urls(r.ProgressReportViews),
    *model_urls(r.ReportContributionViews),
    *model_urls(r.NoticeViews),
    *model_urls(r.NotificationViews),
]
