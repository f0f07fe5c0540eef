import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.core.models import ChangeRecord, LoginRecord, Organization, User


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("parent organisation"))

    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "parent", "region", "is_active"]


class UserTable(tables.Table):
    username = tables.Column(linkify=True)

    class Meta:
        model = User
        fields = ["username", "full_name", "organization", "email", "is_active", "last_login"]


class ChangeRecordTable(tables.Table):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta:
        model = ChangeRecord
        fields = ["timestamp", "actor_name", "source", "action", "content_type", "object_repr"]


class LoginRecordTable(tables.Table):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta:
        model = LoginRecord
        fields = ["timestamp", "username", "event", "success", "ip", "user_agent"]
