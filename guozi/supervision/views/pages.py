"""The inbox: what the user's unit owes in open reporting rounds."""

from collections import Counter

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guozi.core.views.asof import as_of_date
from guozi.core.views.generic import ScopedView
from guozi.supervision.choices import ReportState, TaskStatus
from guozi.supervision.models import Notice, ProgressReport, ReportContribution
from guozi.supervision.selectors import tasks_figures


class InboxView(ScopedView):
    """My pending reports: drafts and returned reports my unit leads, and sections my unit owes."""

    route_kind = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        user = request.user
        open_states = [ReportState.DRAFT, ReportState.RETURNED]
        leading = (
            ProgressReport.objects.restrict(user, "change")
            .filter(state__in=open_states)
            .select_related("task", "round")
        )
        unit = getattr(user, "organization_id", None)
        contributed = ReportContribution.objects.filter(report=OuterRef("pk"), unit_id=unit)
        owed = (
            ProgressReport.objects.restrict(user, "view")
            .filter(state__in=open_states, task__partner_units=unit)
            .exclude(Exists(contributed))
            .select_related("task", "round")
        )
        return render(request, "supervision/inbox.html", self.context(leading=leading, owed=owed))


class DashboardView(ScopedView):
    """Status distribution, completion by lead unit, and what is overdue, for the tasks in scope."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        today = as_of_date(request)
        tasks = list(self.scoped().select_related("lead_unit").order_by("number"))
        figures = tasks_figures(tasks, today)  # two queries for all tasks, not two per task
        by_status = Counter(f.status for f in figures)
        by_unit: dict[str, Counter[str]] = {}
        for f in figures:
            by_unit.setdefault(f.task.lead_unit.short_name or f.task.lead_unit.name, Counter())[f.status] += 1
        overdue = (
            Notice.objects.restrict(request.user, "view")
            .filter(closed_on__isnull=True)
            .select_related("task", "unit")
            .order_by("-level", "issued_on")[:50]
        )
        chart = {
            "status": [{"name": str(s.label), "value": by_status.get(s, 0)} for s in TaskStatus],
            "units": list(by_unit),
            "series": [{"name": str(s.label), "data": [by_unit[u].get(s, 0) for u in by_unit]} for s in TaskStatus],
        }
        return render(
            request,
            "supervision/dashboard.html",
            self.context(figures=figures, chart=chart, overdue=overdue, today=today),
        )
