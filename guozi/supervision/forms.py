from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guozi.core.forms import ScopedModelForm, style_fields
from guozi.supervision.choices import TaskStatus
from guozi.supervision.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    Notice,
    Plan,
    Problem,
    ProgressReport,
    ReportContribution,
    ReportingRound,
    TargetTask,
    WorkItem,
)


class PlanForm(ScopedModelForm):
    class Meta:
        model = Plan
        fields = ["name", "kind", "year", "end_year", "issuer"]


class TargetTaskForm(ScopedModelForm):
    class Meta:
        model = TargetTask
        fields = [
            "plan",
            "number",
            "heading",
            "text",
            "lead_unit",
            "partner_units",
            "leader",
            "deadline",
            "adjustment",
            "adjustment_reason",
        ]


class WorkItemForm(ScopedModelForm):
    class Meta:
        model = WorkItem
        fields = [
            "task",
            "parent",
            "title",
            "kind",
            "owner_unit",
            "deadline",
            "weight",
            "status",
            "done_on",
            "progress_method",
            "manual_progress",
            "manual_reason",
        ]


class MilestoneForm(ScopedModelForm):
    class Meta:
        model = Milestone
        fields = ["task", "title", "planned_on", "done_on", "note"]


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = ["task", "name", "unit", "baseline", "baseline_on", "target", "qualifier", "direction", "source"]


class IndicatorValueForm(ScopedModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "period_end", "value", "note"]


class ProblemForm(ScopedModelForm):
    class Meta:
        model = Problem
        fields = ["task", "description", "found_on", "owner_unit", "due_on", "resolution", "resolved_on", "closed_on"]


class ReportingRoundForm(ScopedModelForm):
    class Meta:
        model = ReportingRound
        fields = ["plan", "year", "quarter", "period_end", "due_on", "grace_days", "tasks"]


class ProgressReportForm(ScopedModelForm):
    """The lead unit's text; ``version`` travels with the form (``ScopedModelForm``)."""

    #: One "no change" box per section pre-filled from last quarter, shown under that section.
    SECTIONS = ("progress", "problems", "next_steps")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        carried = self.instance.carried_over or {}
        for name in self.SECTIONS:
            if carried.get(name):
                self.fields[f"{name}_unchanged"] = forms.BooleanField(
                    label=_("Same as last quarter: I confirm there is no change"),
                    required=False,
                    initial=name in (self.instance.unchanged_confirmed or []),
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
        # Keep each box right after its section.
        order = [n for name in self.Meta.fields for n in (name, f"{name}_unchanged") if n in self.fields]
        self.order_fields([*order, "version"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["unchanged_confirmed"] = [name for name in self.SECTIONS if cleaned.pop(f"{name}_unchanged", False)]
        return cleaned

    class Meta:
        model = ProgressReport
        fields = ["progress", "problems", "next_steps", "self_status"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in ("progress", "problems", "next_steps")}


class ReportContributionForm(ScopedModelForm):
    class Meta:
        model = ReportContribution
        fields = ["report", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for return"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        style_fields(self)


class ApproveForm(forms.Form):
    verified_status = forms.ChoiceField(label=_("verified status"), choices=TaskStatus.choices)
    explanation = forms.CharField(
        label=_("reviewer's explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when cross-checks found something to explain."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        style_fields(self)


class NoticeForm(ScopedModelForm):
    """A lead unit writes its reply; the office closes the notice."""

    class Meta:
        model = Notice
        fields = ["reply", "closed_on"]
