from django.utils.translation import gettext_lazy as _

from guozi.core.forms import ScopedModelForm
from guozi.core.money import MoneyField
from guozi.funds.models import Contribution, Fund, Gate, ManagerTerm, Partner, StageEntry


class FundForm(ScopedModelForm):
    target_size = MoneyField(label=_("target size (亿元)"), unit="亿元")
    planned_social_capital = MoneyField(label=_("social capital to mobilise (亿元)"), unit="亿元", required=False)

    class Meta:
        model = Fund
        fields = [
            "name",
            "short_name",
            "kind",
            "target_size",
            "focus_industries",
            "sponsor",
            "parent",
            "target_task",
            "planned_social_capital",
            "note",
        ]


class PartnerForm(ScopedModelForm):
    commitment = MoneyField(label=_("commitment (万元)"), unit="万元")

    class Meta:
        model = Partner
        fields = ["fund", "organization", "outside_name", "role", "commitment"]


class ContributionForm(ScopedModelForm):
    amount = MoneyField(label=_("amount (万元)"), unit="万元")

    class Meta:
        model = Contribution
        fields = ["partner", "paid_on", "amount", "note"]


class StageEntryForm(ScopedModelForm):
    def _get_validation_exclusions(self) -> set[str]:
        # The service checks "entered twice" (with the other pipeline rules) and names
        # the fund and the stage on the stage field; the model's unique constraint
        # would add a bare non-field message first. The database still enforces it.
        return {*super()._get_validation_exclusions(), "stage"}  # type: ignore[misc]

    class Meta:
        model = StageEntry
        fields = ["fund", "stage", "entered_on", "note"]


class GateForm(ScopedModelForm):
    class Meta:
        model = Gate
        fields = ["fund", "kind", "description", "since", "awaited_fund", "awaited_partner", "cleared_on"]


class ManagerTermForm(ScopedModelForm):
    class Meta:
        model = ManagerTerm
        fields = ["fund", "manager", "started_on", "note"]
