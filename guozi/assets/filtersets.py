from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guozi.assets.choices import CertificateStatus, Package, RevitalizationMethod, TransferKind, Utilisation
from guozi.assets.models import Asset, AssetCategory, AssetTransfer, FinancialSnapshot, Revitalization
from guozi.assets.selectors import enterprise_assets, revitalizations_of, transfers_involving
from guozi.core.choices import OrganizationKind
from guozi.core.filtersets import OrganizationLookupFilter, SearchFilterSet
from guozi.core.models import Organization
from guozi.core.money import UNITS

NO_PACKAGE = "none"


def visible_organizations(request: HttpRequest | None) -> QuerySet[Organization]:
    return Organization.objects.restrict(getattr(request, "user", None), "view")


def visible_enterprises(request: HttpRequest | None) -> QuerySet[Organization]:
    return visible_organizations(request).filter(kind=OrganizationKind.ENTERPRISE)


class AssetFilterSet(SearchFilterSet):
    """The ledger's filters; an enterprise includes its subsidiaries, a class its sub-classes."""

    search_fields = ["code", "name", "location", "note"]
    enterprise = OrganizationLookupFilter(
        label=_("enterprise"), queryset=visible_enterprises, method="in_enterprise", kind=OrganizationKind.ENTERPRISE
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


class RevitalizationFilterSet(SearchFilterSet):
    """An enterprise includes its subsidiaries; a year is the event's calendar year."""

    search_fields = ["asset__code", "asset__name", "counterparty", "note"]
    enterprise = OrganizationLookupFilter(
        label=_("enterprise"), queryset=visible_enterprises, method="in_enterprise", kind=OrganizationKind.ENTERPRISE
    )
    method = django_filters.ChoiceFilter(label=_("method"), choices=RevitalizationMethod.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("year"), field_name="revitalized_on", lookup_expr="year")

    class Meta:
        model = Revitalization
        fields = ["q", "enterprise", "method", "year"]

    def in_enterprise(self, queryset: QuerySet[Any], name: str, value: Organization) -> QuerySet[Any]:
        return revitalizations_of(queryset, value)


class AssetTransferFilterSet(SearchFilterSet):
    """An organisation matches the transfers it gave, received or was moved by."""

    search_fields = ["title", "document_number", "note"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=TransferKind.choices, empty_label=_("All"))
    organization = OrganizationLookupFilter(label=_("organisation"), queryset=visible_organizations, method="involving")
    year = django_filters.NumberFilter(label=_("year"), field_name="transferred_on", lookup_expr="year")

    class Meta:
        model = AssetTransfer
        fields = ["q", "kind", "organization", "year"]

    def involving(self, queryset: QuerySet[Any], name: str, value: Organization) -> QuerySet[Any]:
        return transfers_involving(queryset, value)


class FinancialSnapshotFilterSet(SearchFilterSet):
    search_fields = ["enterprise__name", "enterprise__short_name", "note"]
    enterprise = OrganizationLookupFilter(
        label=_("enterprise"), queryset=visible_enterprises, kind=OrganizationKind.ENTERPRISE
    )
    year = django_filters.NumberFilter(label=_("year"), field_name="as_of", lookup_expr="year")

    class Meta:
        model = FinancialSnapshot
        fields = ["q", "enterprise", "year"]
