"""The core models' pages, one declaration each."""

from typing import Any

from guozi.core import filtersets, forms, tables
from guozi.core.changes import Origin
from guozi.core.models import AuditEvent, ChangeRecord, LoginRecord, Organization, User
from guozi.core.services.organizations import organization_create, organization_delete, organization_update
from guozi.core.services.users import user_create, user_update
from guozi.core.views.generic import ObjectViews


def _user_create_from_form(*, actor: User, origin: Origin, data: dict[str, Any]) -> User:
    data = dict(data)
    password = data.pop("password")
    roles = data.pop("roles", [])
    return user_create(actor=actor, origin=origin, data=data, password=password, roles=roles)


class OrganizationViews(ObjectViews):
    model = Organization
    filterset = filtersets.OrganizationFilterSet
    table = tables.OrganizationTable
    form = forms.OrganizationForm
    create = organization_create
    update = organization_update
    delete = organization_delete
    lookup_fields = filtersets.ORGANIZATION_LOOKUP_FIELDS


class UserViews(ObjectViews):
    model = User
    filterset = filtersets.UserFilterSet
    table = tables.UserTable
    form = forms.UserForm
    create_form = forms.UserCreateForm
    create = _user_create_from_form
    update = user_update
    detail_fields = ["username", "full_name", "organization", "email", "phone", "is_active", "last_login"]


class ChangeRecordViews(ObjectViews):
    model = ChangeRecord
    filterset = filtersets.ChangeRecordFilterSet
    table = tables.ChangeRecordTable
    has_history = False
    detail_fields = ["timestamp", "actor_name", "source", "ip", "action", "content_type", "object_id", "object_repr"]


class AuditEventViews(ObjectViews):
    model = AuditEvent
    filterset = filtersets.AuditEventFilterSet
    table = tables.AuditEventTable
    has_history = False
    detail_fields = [
        "timestamp",
        "actor_name",
        "kind",
        "success",
        "status",
        "method",
        "path",
        "route",
        "object_repr",
        "detail",
        "ip",
        "user_agent",
        "hash",
    ]


class LoginRecordViews(ObjectViews):
    model = LoginRecord
    filterset = filtersets.LoginRecordFilterSet
    table = tables.LoginRecordTable
    has_history = False
    detail_fields = ["timestamp", "username", "event", "success", "ip", "user_agent"]
