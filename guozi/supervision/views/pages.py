"""The inbox: what the user's unit owes in open reporting rounds."""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guozi.core.views.generic import ScopedView
from guozi.supervision.choices import ReportState
from guozi.supervision.models import ProgressReport, ReportContribution


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
