"""The inbox: what the user's unit owes in open reporting rounds; the supervision dashboard."""

from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from guozi.core.views.asof import as_of_date
from guozi.core.views.generic import ScopedView
from guozi.supervision.choices import ReportState, TaskStatus
from guozi.supervision.models import Notice, ProgressReport, ReportContribution
from guozi.supervision.selectors import TaskFigures, tasks_figures


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


TENTH = Decimal("0.1")


def _percent(value: Decimal) -> str:
    """``floatformat:1`` of a percentage: half up to one place, a negative zero written as zero
    (neither language the site speaks writes its decimal point other than ".")."""
    return f"{value.quantize(TENTH, ROUND_HALF_UP) + 0}%"  # + 0: Decimal's -0.0 becomes 0.0


def task_rows(figures: Sequence[TaskFigures]) -> SafeString:
    """The dashboard's task table rows, written here rather than by a template loop.

    Why: at a province's 200 tasks the loop's 1,600 template variables were the largest part of
    the page in a profile; written here, the page took 62 ms instead of 80 (docs/benchmarks.md,
    thirteenth session). The markup is the loop's
    (guozi/supervision/tests/test_views.py compares them): every value escaped, the progress as
    ``floatformat:1`` gives it, the status badge of ``partials/status_badge.html``. Plain
    ``html.escape`` (what Django's ``escape`` calls) and one badge per status rather than
    ``conditional_escape`` seven times a row and ``floatformat``: 200 rows took 4.3 ms of CPU
    instead of 17 (docs/benchmarks.md, seventeenth session).
    """
    badges = {
        status: f'<td><span class="badge status-{escape(str(status))}" data-testid="status">'
        f"{escape(str(status.label))}</span></td></tr>"
        for status in TaskStatus
    }
    parts = []
    for figure in figures:
        task = figure.task
        progress = _percent(figure.progress.percent) if figure.progress else "—"
        parts.append(
            f'<tr><td><a href="{escape(task.get_absolute_url())}">{escape(str(task))} {escape(task.heading)}</a></td>'
            f"<td>{escape(task.lead_unit.short_name)}</td><td>{progress}</td>{badges[figure.status]}"
        )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 # every value escaped above


#: What the dashboard reads of a task and its lead unit: the whole rows (the task's text, every
#: column of the unit) cost twice the CPU to turn into objects (200 tasks: 15 ms against 7).
TASK_FIELDS = ("number", "heading", "deadline", "lead_unit__short_name", "lead_unit__name")


class DashboardView(ScopedView):
    """Status distribution, completion by lead unit, and what is overdue, for the tasks in scope."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        today = as_of_date(request)
        tasks = self.scoped().select_related("lead_unit").only(*TASK_FIELDS).order_by("number")
        figures = tasks_figures(tasks, today)  # three queries for all tasks, not two per task
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
            self.context(task_rows=task_rows(figures), chart=chart, overdue=overdue, today=today),
        )
