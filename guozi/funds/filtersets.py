import django_filters
from django.utils.translation import gettext_lazy as _

from guozi.core.filtersets import SearchFilterSet
from guozi.funds.choices import FundKind, GateKind, Stage
from guozi.funds.models import Contribution, Fund, Gate, ManagerTerm, Partner, StageEntry


class FundFilterSet(SearchFilterSet):
    search_fields = ["name", "short_name", "focus_industries", "sponsor__name"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=FundKind.choices, empty_label=_("All"))

    class Meta:
        model = Fund
        fields = ["q", "kind"]


class PartnerFilterSet(SearchFilterSet):
    search_fields = ["outside_name", "organization__name", "fund__name"]

    class Meta:
        model = Partner
        fields = ["q", "fund", "role"]


class ContributionFilterSet(SearchFilterSet):
    search_fields = ["partner__outside_name", "partner__organization__name", "partner__fund__name", "note"]

    class Meta:
        model = Contribution
        fields = ["q"]


class StageEntryFilterSet(SearchFilterSet):
    search_fields = ["fund__name", "note"]
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices, empty_label=_("All"))

    class Meta:
        model = StageEntry
        fields = ["q", "fund", "stage"]


class GateFilterSet(SearchFilterSet):
    search_fields = ["description", "fund__name"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=GateKind.choices, empty_label=_("All"))

    class Meta:
        model = Gate
        fields = ["q", "fund", "kind"]


class ManagerTermFilterSet(SearchFilterSet):
    search_fields = ["manager", "fund__name"]

    class Meta:
        model = ManagerTerm
        fields = ["q", "fund"]
