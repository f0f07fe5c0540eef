import django_filters
from django.utils.translation import gettext_lazy as _

from guozi.core.filtersets import SearchFilterSet
from guozi.supervision.choices import (
    Adjustment,
    NoticeLevel,
    NotificationKind,
    PlanKind,
    ReportState,
    WorkItemKind,
    WorkItemStatus,
)
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


class PlanFilterSet(SearchFilterSet):
    search_fields = ["name"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=PlanKind.choices, empty_label=_("All"))

    class Meta:
        model = Plan
        fields = ["q", "kind", "year"]


class TargetTaskFilterSet(SearchFilterSet):
    search_fields = ["text", "heading", "lead_unit__name", "lead_unit__short_name"]
    adjustment = django_filters.ChoiceFilter(label=_("adjustment"), choices=Adjustment.choices, empty_label=_("All"))

    class Meta:
        model = TargetTask
        fields = ["q", "plan", "adjustment"]


class WorkItemFilterSet(SearchFilterSet):
    search_fields = ["title", "owner_unit__name"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=WorkItemKind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=WorkItemStatus.choices, empty_label=_("All"))

    class Meta:
        model = WorkItem
        fields = ["q", "task", "kind", "status"]


class MilestoneFilterSet(SearchFilterSet):
    search_fields = ["title"]

    class Meta:
        model = Milestone
        fields = ["q", "task"]


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ["name"]

    class Meta:
        model = Indicator
        fields = ["q", "task"]


class IndicatorValueFilterSet(SearchFilterSet):
    search_fields = ["indicator__name", "note"]

    class Meta:
        model = IndicatorValue
        fields = ["q", "period_end"]


class ProblemFilterSet(SearchFilterSet):
    search_fields = ["description", "owner_unit__name"]
    closed = django_filters.BooleanFilter(label=_("closed"), field_name="closed_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Problem
        fields = ["q", "task"]


class ReportingRoundFilterSet(SearchFilterSet):
    search_fields = ["plan__name"]

    class Meta:
        model = ReportingRound
        fields = ["q", "year", "quarter"]


class ProgressReportFilterSet(SearchFilterSet):
    search_fields = ["progress", "task__heading"]
    state = django_filters.ChoiceFilter(label=_("state"), choices=ReportState.choices, empty_label=_("All"))

    class Meta:
        model = ProgressReport
        fields = ["q", "round", "task", "state"]


class ReportContributionFilterSet(SearchFilterSet):
    search_fields = ["text", "unit__name"]
    # A report's name is its task's and its round's: read with it, not two queries an option
    # (200 reports made the page run 406 queries).
    report = django_filters.ModelChoiceFilter(
        label=ReportContribution._meta.get_field("report").verbose_name,
        queryset=ProgressReport.objects.select_related("task", "round"),
    )

    class Meta:
        model = ReportContribution
        fields = ["q", "report"]


class NoticeFilterSet(SearchFilterSet):
    search_fields = ["number", "reason", "unit__name"]
    level = django_filters.ChoiceFilter(label=_("level"), choices=NoticeLevel.choices, empty_label=_("All"))

    class Meta:
        model = Notice
        fields = ["q", "level", "task"]


class NotificationFilterSet(SearchFilterSet):
    search_fields = ["message"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=NotificationKind.choices, empty_label=_("All"))

    class Meta:
        model = Notification
        fields = ["q", "kind"]
