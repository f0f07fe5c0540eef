from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableData
from django_tables2.rows import BoundRows

from guozi.core.models import Attachment, AuditEvent, ChangeRecord, LoginRecord, Organization, User
from guozi.core.money import format_money
from guozi.core.paging import Page, page_of

#: The most rows one page shows, whatever ``per_page`` asks: a page's cost stays bounded.
MAX_PER_PAGE = 1000
#: The table template: django-tables2's Bootstrap 5 table with first/previous/next links.
TABLE_TEMPLATE = "core/partials/table.html"


def _number(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 0 < len(value) < 10 else default


def _query(request: HttpRequest, params: dict[str, str]) -> str:
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    query.update(params)
    return "?" + query.urlencode()


def keyset_paginate(table: tables.Table, request: HttpRequest, per_page: int) -> Page:
    """Give ``table`` (ordered by RequestConfig) one keyset page of its rows and its page links.

    The table keeps django-tables2's headers, sorting links and cells; its rows become the
    page read by :func:`guozi.core.paging.page_of` (``?after=``/``?before=`` cursors, or
    ``?page=`` where the sort has no keyset), so no COUNT and no OFFSET is run for it.
    """
    size = min(_number(request, "per_page", per_page), MAX_PER_PAGE)
    page = page_of(
        table.data.data,
        per_page=size,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page=_number(request, "page", 1),
    )
    table.data = TableData.from_data(page.rows)
    table.data.set_table(table)
    table.rows = BoundRows(data=table.data, table=table, pinned_data=table.pinned_data)
    table.template_name = TABLE_TEMPLATE
    table.keyset_links = {
        "first": _query(request, {}) if page.has_previous else None,
        "previous": _query(request, page.previous_params) if page.has_previous else None,
        "next": _query(request, page.next_params) if page.has_next else None,
    }
    return page


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
