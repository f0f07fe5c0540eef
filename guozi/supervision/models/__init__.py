from guozi.supervision.models.decomposition import Indicator, IndicatorValue, Milestone, WorkItem
from guozi.supervision.models.plans import Plan, TargetTask
from guozi.supervision.models.problems import Problem
from guozi.supervision.models.reminders import Notice, Notification
from guozi.supervision.models.reports import ProgressReport, ReportContribution, ReportingRound, ReportVersion

__all__ = [
    "Indicator",
    "IndicatorValue",
    "Milestone",
    "Notice",
    "Notification",
    "Plan",
    "Problem",
    "ProgressReport",
    "ReportContribution",
    "ReportVersion",
    "ReportingRound",
    "TargetTask",
    "WorkItem",
]
