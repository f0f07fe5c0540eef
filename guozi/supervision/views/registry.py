"""The supervision models' pages, one declaration each; tasks and reports show more."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from guozi.core.scope import scope_for
from guozi.core.services.attachments import attachments_of
from guozi.core.views.generic import ObjectViews
from guozi.supervision import filtersets, forms, selectors, tables
from guozi.supervision.choices import ProgressMethod
from guozi.supervision.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    Notice,
    Notification,
    Plan,
    Problem,
    ProgressReport,
    ReportContribution,
    ReportingRound,
    TargetTask,
    WorkItem,
)
from guozi.supervision.services import decomposition as dec
from guozi.supervision.services import plans, reminders
from guozi.supervision.services import reports as rep
from guozi.supervision.views.diff import version_diffs


class PlanViews(ObjectViews):
    model = Plan
    filterset = filtersets.PlanFilterSet
    table = tables.PlanTable
    form = forms.PlanForm
    create = plans.plan_create
    update = plans.plan_update
    detail_template = "supervision/plan_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_add_tasks": scope_for(request.user, TargetTask, "add") is not None}


class TargetTaskViews(ObjectViews):
    model = TargetTask
    filterset = filtersets.TargetTaskFilterSet
    table = tables.TargetTaskTable
    form = forms.TargetTaskForm
    create = plans.target_task_create
    update = plans.target_task_update
    delete = plans.target_task_delete
    detail_template = "supervision/task_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        as_of = timezone.localdate()
        user = request.user
        items = WorkItem.objects.restrict(user, "view").filter(task=obj).with_tree_fields()
        return {
            "figures": selectors.task_figures(obj, as_of),
            "reform": selectors.reform_figures(obj, as_of),
            "ledger": selectors.problem_ledger(Problem.objects.restrict(user, "view").filter(task=obj), as_of),
            "items": items.select_related("owner_unit"),
            "milestones": Milestone.objects.restrict(user, "view").filter(task=obj).order_by("planned_on"),
            "indicators": [
                (indicator, selectors.indicator_value(indicator, as_of))
                for indicator in Indicator.objects.restrict(user, "view").filter(task=obj)[:50]
            ],
            "indicator_count": Indicator.objects.restrict(user, "view").filter(task=obj).count(),
            "reports": ProgressReport.objects.restrict(user, "view").filter(task=obj).select_related("round"),
            "problems": Problem.objects.restrict(user, "view").filter(task=obj).select_related("owner_unit"),
        }


class WorkItemViews(ObjectViews):
    model = WorkItem
    filterset = filtersets.WorkItemFilterSet
    table = tables.WorkItemTable
    form = forms.WorkItemForm
    create = dec.work_item_create
    update = dec.work_item_update
    detail_template = "supervision/workitem_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        below = list(WorkItem.objects.descendants(obj))
        children: dict[int | None, list[WorkItem]] = {}
        for item in below:
            children.setdefault(item.parent_id, []).append(item)
        progress = selectors.item_progress(obj, children, timezone.localdate())
        return {"progress": progress, "method_label": ProgressMethod(progress.method).label}


class MilestoneViews(ObjectViews):
    model = Milestone
    filterset = filtersets.MilestoneFilterSet
    table = tables.MilestoneTable
    form = forms.MilestoneForm
    create = dec.milestone_create
    update = dec.milestone_update


class IndicatorViews(ObjectViews):
    model = Indicator
    filterset = filtersets.IndicatorFilterSet
    table = tables.IndicatorTable
    form = forms.IndicatorForm
    create = dec.indicator_create
    update = dec.indicator_update
    detail_template = "supervision/indicator_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "current": selectors.indicator_value(obj, timezone.localdate()),
            "values": obj.values.order_by("period_end"),
        }


class IndicatorValueViews(ObjectViews):
    model = IndicatorValue
    filterset = filtersets.IndicatorValueFilterSet
    table = tables.IndicatorValueTable
    form = forms.IndicatorValueForm
    create = dec.indicator_value_create


class ProblemViews(ObjectViews):
    model = Problem
    filterset = filtersets.ProblemFilterSet
    table = tables.ProblemTable
    form = forms.ProblemForm
    create = dec.problem_create
    update = dec.problem_update


class ReportingRoundViews(ObjectViews):
    model = ReportingRound
    filterset = filtersets.ReportingRoundFilterSet
    table = tables.ReportingRoundTable
    form = forms.ReportingRoundForm
    create = rep.round_open
    detail_template = "supervision/round_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"overview": selectors.round_overview(obj, request.user, timezone.localdate())}


class ProgressReportViews(ObjectViews):
    model = ProgressReport
    filterset = filtersets.ProgressReportFilterSet
    table = tables.ProgressReportTable
    form = forms.ProgressReportForm
    update = rep.report_update
    detail_template = "supervision/report_detail.html"
    list_related = ["task__lead_unit"]

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        return {
            "contributions": ReportContribution.objects.restrict(user, "view")
            .filter(report=obj)
            .select_related("unit", "author"),
            "versions": version_diffs(list(obj.versions.order_by("number"))),
            "attachments": attachments_of(obj).restrict(user, "view"),
            "indicator_values": [
                (indicator, selectors.indicator_value(indicator, obj.round.period_end))
                for indicator in Indicator.objects.restrict(user, "view").filter(task=obj.task)[:20]
            ],
            "indicator_count": Indicator.objects.restrict(user, "view").filter(task=obj.task).count(),
            "can_enter_values": obj.editable and scope_for(user, Indicator, "change") is not None,
            "can_submit": obj.editable and scope_for(user, ProgressReport, "change") is not None,
            "can_review": obj.state == "submitted" and user.has_perm(rep.REVIEW),
            "own_section": ReportContribution.objects.filter(
                report=obj, unit_id=getattr(user, "organization_id", None)
            ).first(),
            "can_contribute": obj.editable
            and obj.task.partner_units.filter(pk=getattr(user, "organization_id", None)).exists(),
        }


class ReportContributionViews(ObjectViews):
    model = ReportContribution
    filterset = filtersets.ReportContributionFilterSet
    table = tables.ReportContributionTable
    form = forms.ReportContributionForm
    create = rep.contribution_create
    update = rep.contribution_update
    list_related = ["report__task", "report__round"]


class NoticeViews(ObjectViews):
    model = Notice
    filterset = filtersets.NoticeFilterSet
    table = tables.NoticeTable
    form = forms.NoticeForm
    update = reminders.notice_update
    detail_fields = [
        "number",
        "level",
        "task",
        "report",
        "milestone",
        "unit",
        "reason",
        "issued_on",
        "reply_due",
        "reply",
        "closed_on",
    ]


class NotificationViews(ObjectViews):
    model = Notification
    filterset = filtersets.NotificationFilterSet
    table = tables.NotificationTable
    detail_fields = ["sent_on", "kind", "organization", "message", "link", "emailed"]
