from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import CertificateStatus, Package, Utilisation
from guozi.assets.models import Asset, AssetCategory
from guozi.assets.selectors import enterprise_assets
from guozi.core.choices import OrganizationKind
from guozi.core.filtersets import SearchFilterSet
from guozi.core.models import Organization
from guozi.core.money import UNITS

NO_PACKAGE = "none"


def visible_enterprises(request: HttpRequest | None) -> QuerySet[Organization]:
    user = getattr(request, "user", None)
    return Organization.objects.restrict(user, "view").filter(kind=OrganizationKind.ENTERPRISE)


class AssetFilterSet(SearchFilterSet):
    """The ledger's filters; an enterprise includes its subsidiaries, a class its sub-classes."""

    search_fields = ["code", "name", "location", "note"]
    enterprise = django_filters.ModelChoiceFilter(
        label=_("enterprise"), queryset=visible_enterprises, method="in_enterprise", empty_label=_("All")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("asset class"), queryset=AssetCategory.objects.all(), method="in_category", empty_label=_("All")
    )
    utilisation = django_filters.ChoiceFilter(label=_("utilisation"), choices=Utilisation.choices, empty_label=_("All"))
    package = django_filters.ChoiceFilter(
        label=_("package"),
        choices=[*Package.choices, (NO_PACKAGE, _("No package"))],
        method="in_package",
        empty_label=_("All"),
    )
    certificate = django_filters.ChoiceFilter(
        label=_("certificate"), choices=CertificateStatus.choices, empty_label=_("All")
    )
    min_value = django_filters.NumberFilter(label=_("book value from (万元)"), method="value_from")
    max_value = django_filters.NumberFilter(label=_("book value up to (万元)"), method="value_up_to")

    class Meta:
        model = Asset
        fields = ["q", "enterprise", "category", "utilisation", "package", "certificate", "min_value", "max_value"]

    def in_enterprise(self, queryset: QuerySet[Any], name: str, value: Organization) -> QuerySet[Any]:
        return enterprise_assets(queryset, value)

    def in_category(self, queryset: QuerySet[Any], name: str, value: AssetCategory) -> QuerySet[Any]:
        below = AssetCategory.objects.descendants(value, include_self=True).values("pk")
        return queryset.filter(category__in=below)

    def in_package(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(package="" if value == NO_PACKAGE else value)

    def value_from(self, queryset: QuerySet[Any], name: str, value: Decimal) -> QuerySet[Any]:
        return queryset.filter(book_value__gte=value * UNITS["万元"])

    def value_up_to(self, queryset: QuerySet[Any], name: str, value: Decimal) -> QuerySet[Any]:
        return queryset.filter(book_value__lte=value * UNITS["万元"])


class AssetCategoryFilterSet(SearchFilterSet):
    search_fields = ["code", "name"]

    class Meta:
        model = AssetCategory
        fields = ["q"]
