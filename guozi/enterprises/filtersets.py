from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guozi.core.filtersets import SearchFilterSet
from guozi.enterprises.choices import CreditGrade, EnterpriseStatus, GovernanceKind, Level, Ownership
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring


class RegionChoicesMixin:
    """A region filter whose choices are the regions among the rows the user may see."""

    region_path: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset: QuerySet[Any] = kwargs.get("queryset") or self.queryset  # type: ignore[attr-defined]
        regions = queryset.order_by(self.region_path).values_list(self.region_path, flat=True).distinct()
        self.filters["region"].extra["choices"] = [(r, r) for r in regions if r]  # type: ignore[attr-defined]


class EnterpriseProfileFilterSet(RegionChoicesMixin, SearchFilterSet):
    region_path = "organization__region"
    search_fields = ["organization__name", "organization__short_name", "credit_code", "industry"]
    level = django_filters.ChoiceFilter(label=_("enterprise level"), choices=Level.choices, empty_label=_("All"))
    ownership = django_filters.ChoiceFilter(label=_("city or county"), choices=Ownership.choices, empty_label=_("All"))
    region = django_filters.ChoiceFilter(label=_("region"), field_name="organization__region", empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("registry status"), choices=EnterpriseStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = EnterpriseProfile
        fields = ["q", "level", "ownership", "region", "status"]


class GovernanceRecordFilterSet(SearchFilterSet):
    search_fields = ["title", "note", "organization__name", "organization__short_name"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=GovernanceKind.choices, empty_label=_("All"))

    class Meta:
        model = GovernanceRecord
        fields = ["q", "kind"]


class CreditRatingFilterSet(SearchFilterSet):
    search_fields = ["agency", "organization__name", "organization__short_name"]
    grade = django_filters.ChoiceFilter(label=_("grade"), choices=CreditGrade.choices, empty_label=_("All"))

    class Meta:
        model = CreditRating
        fields = ["q", "grade"]


class HeadcountFilterSet(SearchFilterSet):
    search_fields = ["organization__name", "organization__short_name", "note"]

    class Meta:
        model = Headcount
        fields = ["q"]


class RestructuringFilterSet(RegionChoicesMixin, SearchFilterSet):
    region_path = "result__region"
    search_fields = ["document_number", "note", "result__name", "result__short_name"]
    region = django_filters.ChoiceFilter(label=_("region"), field_name="result__region", empty_label=_("All"))

    class Meta:
        model = Restructuring
        fields = ["q", "region"]
