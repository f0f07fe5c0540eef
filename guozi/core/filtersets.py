from typing import Any, ClassVar

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from guozi.core.choices import ChangeAction, ChangeSource, OrganizationKind
from guozi.core.forms import LookupSelect
from guozi.core.models import Attachment, AuditEvent, AuditEventKind, ChangeRecord, LoginRecord, Organization, User

YES_NO = [("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no filter whose empty choice reads 全部 (all), not django-filter's "unknown"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value in {"true", "false"}:
            return qs.filter(**{self.field_name: value == "true"})
        return qs


#: What an organisation picker matches as the user types (``OrganizationViews.lookup_fields``).
ORGANIZATION_LOOKUP_FIELDS = ["name", "short_name"]


class LookupChoiceField(ModelChoiceField):
    """A model choice field that hands the row it validated to its :class:`LookupSelect`, which
    shows it: one query for the chosen row, not two."""

    def to_python(self, value: Any) -> Any:
        row = super().to_python(value)
        if isinstance(self.widget, LookupSelect):
            self.widget.chosen = row
        return row


class OrganizationLookupFilter(django_filters.ModelChoiceFilter):
    """An organisation picked by typing its name, not from a list of every visible one.

    A province's thousands of enterprises made each list page read and write them all into its
    filter form (issue 7 §4, §5). The page now renders only the chosen one; the matches come
    from ``core:organization_lookup``, scoped like every page, narrowed to ``kind`` when given.
    The chosen id is still validated against ``queryset`` (the caller's scoped organisations).
    """

    field_class = LookupChoiceField

    def __init__(self, *, kind: str = "", **kwargs: Any) -> None:
        url: Any = reverse_lazy("core:organization_lookup")
        if kind:
            url = format_lazy("{}?kind={}", url, kind)
        kwargs.setdefault("widget", LookupSelect(url, ORGANIZATION_LOOKUP_FIELDS))
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(**kwargs)


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
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrganizationKind.choices, empty_label=_("All"))
    is_active = YesNoFilter(label=_("active"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "is_active"]


class UserFilterSet(SearchFilterSet):
    search_fields = ["username", "full_name", "organization__name"]
    is_active = YesNoFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "is_active"]


class ChangeRecordFilterSet(SearchFilterSet):
    search_fields = ["object_repr", "actor_name"]
    action = django_filters.ChoiceFilter(label=_("action"), choices=ChangeAction.choices, empty_label=_("All"))
    source = django_filters.ChoiceFilter(label=_("source"), choices=ChangeSource.choices, empty_label=_("All"))

    class Meta:
        model = ChangeRecord
        fields = ["q", "action", "source"]


class LoginRecordFilterSet(SearchFilterSet):
    search_fields = ["username", "ip"]
    success = YesNoFilter(label=_("success"))

    class Meta:
        model = LoginRecord
        fields = ["q", "success"]


class AuditEventFilterSet(SearchFilterSet):
    search_fields = ["actor_name", "path", "object_repr", "ip"]
    kind = django_filters.ChoiceFilter(label=_("event"), choices=AuditEventKind.choices, empty_label=_("All"))
    success = YesNoFilter(label=_("success"))

    class Meta:
        model = AuditEvent
        fields = ["q", "kind", "success"]


class AttachmentFilterSet(SearchFilterSet):
    search_fields = ["file_name"]

    class Meta:
        model = Attachment
        fields = ["q"]
