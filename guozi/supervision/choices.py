from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    WORK_REPORT = "work_report", _("Government Work Report")
    CAMPAIGN = "campaign", _("Campaign")


class Adjustment(models.TextChoices):
    NONE = "", _("As planned")
    ADJUSTED = "adjusted", _("Adjusted")
    DROPPED = "dropped", _("No longer pursued")


class TaskStatus(models.TextChoices):
    """How a task or work item stands, computed or assessed (DESIGN.md, supervision)."""

    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On schedule")
    BEHIND = "behind", _("Behind schedule")
    NOT_STARTED = "not_started", _("Not started")


class WorkItemKind(models.TextChoices):
    KEY_WORK = "key_work", _("Key work")
    REFORM_ITEM = "reform_item", _("Reform item")


class WorkItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ProgressMethod(models.TextChoices):
    """How an item's progress is computed; shown beside the figure."""

    STATUS = "status", _("Status mapped to a percentage")
    CHILDREN = "children", _("Share of done sub-items")
    WEIGHTED = "weighted", _("Weighted average of sub-items")
    MANUAL = "manual", _("Set by hand, with a reason")


class Qualifier(models.TextChoices):
    EXACT = "", _("(none)")
    ABOVE = "above", _("or more (以上)")
    WITHIN = "within", _("or less (以内)")
    ABOUT = "about", _("about (左右)")
    AT_LEAST = "at_least", _("at least (不少于)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("Entered each period")
    DONE_RATE = "done_rate", _("Computed: done reform items ÷ all reform items")
    DONE_COUNT = "done_count", _("Computed: number of done reform items")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class NoticeLevel(models.TextChoices):
    """The escalation ladder of 督办单: blue when due soon, yellow when behind, red when overdue."""

    BLUE = "blue", _("Blue: due soon")
    YELLOW = "yellow", _("Yellow: behind schedule")
    RED = "red", _("Red: overdue")


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone past due")
