from guozi.core.forms import ScopedModelForm
from guozi.supervision.models import Plan, TargetTask


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
