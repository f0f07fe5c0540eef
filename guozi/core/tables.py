from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.core.models import Attachment, AuditEvent, ChangeRecord, LoginRecord, Organization, User
from guozi.core.money import format_money


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


class AuditEventTable(tables.Table):
    timestamp = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta:
        model = AuditEvent
        fields = ["timestamp", "actor_name", "kind", "success", "status", "method", "path", "object_repr", "ip"]


class MoneyColumn(tables.Column):
    """An amount stored in 元, shown (and exported) in 亿元 or 万元."""

    def __init__(self, *args: Any, unit: str = "亿元", **kwargs: Any) -> None:
        self.unit = unit
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return format_money(value, self.unit)


class AttachmentTable(tables.Table):
    file_name = tables.Column(linkify=True)

    class Meta:
        model = Attachment
        fields = ["file_name", "mime_type", "size", "uploaded_by", "created_at"]
