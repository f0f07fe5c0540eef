import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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


class PlanTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Plan
        fields = ["name", "kind", "year", "end_year", "issuer"]


class TargetTaskTable(tables.Table):
    number = tables.Column(verbose_name=_("number"), linkify=True)
    lead_unit = tables.Column(verbose_name=_("lead unit"), accessor="lead_unit__short_name")

    class Meta:
        model = TargetTask
        fields = ["plan", "number", "heading", "text", "lead_unit", "deadline", "adjustment"]


class WorkItemTable(tables.Table):
    title = tables.Column(linkify=True)
    owner_unit = tables.Column(verbose_name=_("owner unit"), accessor="owner_unit__short_name")

    class Meta:
        model = WorkItem
        fields = ["task", "title", "kind", "owner_unit", "deadline", "status", "done_on"]


class MilestoneTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Milestone
        fields = ["task", "title", "planned_on", "done_on"]


class IndicatorTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Indicator
        fields = ["task", "name", "unit", "baseline", "target", "qualifier", "source"]


class IndicatorValueTable(tables.Table):
    indicator = tables.Column(linkify=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "period_end", "value", "note"]


class ProblemTable(tables.Table):
    description = tables.Column(linkify=True)
    owner_unit = tables.Column(verbose_name=_("owner unit"), accessor="owner_unit__short_name")

    class Meta:
        model = Problem
        fields = ["task", "description", "owner_unit", "found_on", "due_on", "resolved_on", "closed_on"]


class ReportingRoundTable(tables.Table):
    quarter = tables.Column(linkify=True)

    class Meta:
        model = ReportingRound
        fields = ["plan", "year", "quarter", "period_end", "due_on", "grace_days"]


class ProgressReportTable(tables.Table):
    task = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = ProgressReport
        fields = ["round", "task", "state", "self_status", "verified_status", "submitted_at"]


class ReportContributionTable(tables.Table):
    unit = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = ReportContribution
        fields = ["report", "unit", "author", "updated_at"]


class NoticeTable(tables.Table):
    number = tables.Column(linkify=True)
    unit = tables.Column(verbose_name=_("unit"), accessor="unit__short_name")

    class Meta:
        model = Notice
        fields = ["number", "level", "task", "unit", "reason", "issued_on", "reply_due", "closed_on"]


class NotificationTable(tables.Table):
    message = tables.Column(linkify=True)

    class Meta:
        model = Notification
        fields = ["sent_on", "kind", "organization", "message"]
