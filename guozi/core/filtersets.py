from typing import Any, ClassVar

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import ChangeAction, ChangeSource, OrganizationKind
from guozi.core.models import ChangeRecord, LoginRecord, Organization, User


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with a free-text box ``q`` over the fields in ``search_fields``."""

    search_fields: ClassVar[list[str]] = []

    q = django_filters.CharFilter(label=_("search"), method="search")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)


class OrganizationFilterSet(SearchFilterSet):
    search_fields = ["name", "short_name", "region"]
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrganizationKind.choices)

    class Meta:
        model = Organization
        fields = ["q", "kind", "is_active"]


class UserFilterSet(SearchFilterSet):
    search_fields = ["username", "full_name", "organization__name"]

    class Meta:
        model = User
        fields = ["q", "is_active"]


class ChangeRecordFilterSet(SearchFilterSet):
    search_fields = ["object_repr", "actor_name"]
    action = django_filters.ChoiceFilter(label=_("action"), choices=ChangeAction.choices)
    source = django_filters.ChoiceFilter(label=_("source"), choices=ChangeSource.choices)

    class Meta:
        model = ChangeRecord
        fields = ["q", "action", "source"]


class LoginRecordFilterSet(SearchFilterSet):
    search_fields = ["username", "ip"]

    class Meta:
        model = LoginRecord
        fields = ["q", "success"]
