import django_filters
from django.utils.translation import gettext_lazy as _

from guozi.core.filtersets import SearchFilterSet
from guozi.supervision.choices import Adjustment, PlanKind
from guozi.supervision.models import Plan, TargetTask


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
