import html as html_module
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # public, absent from the stubs
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.base import LinkTransform
from django_tables2.data import TableListData
from django_tables2.rows import BoundRows
from django_tables2.utils import Accessor, signature

from guozi.core.models import Attachment, AuditEvent, ChangeRecord, LoginRecord, Organization, User
from guozi.core.money import format_money
from guozi.core.paging import Page, page_of

#: The most rows one page shows, whatever ``per_page`` asks: a page's cost stays bounded.
MAX_PER_PAGE = 1000
#: The table template: django-tables2's Bootstrap 5 table with first/previous/next links.
TABLE_TEMPLATE = "core/partials/table.html"


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy-string wrapper (``keep_lazy``), the same text: a
    ledger page escapes about 300 cells and links, and the wrapper cost as much as the escaping."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html_module.escape(str(value))  # what django.utils.html.escape does, less the SafeString


def _number(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 0 < len(value) < 10 else default


def _query(request: HttpRequest, params: dict[str, str]) -> str:
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    query.update(params)
    return "?" + query.urlencode()


#: Whether a render function takes the value only, by function (a method's, not its binding).
_VALUE_ONLY: dict[Any, bool] = {}


def _renders_from_value_alone(render: Any) -> bool:
    """Whether a column's ``render`` takes the value only: ``inspect.signature`` once per render
    function and process, not once per column and page (a tenth of a millisecond each)."""
    key = getattr(render, "__func__", render)
    found = _VALUE_ONLY.get(key)
    if found is None:
        found = _VALUE_ONLY[key] = signature(render) == (("value",), None)
    return found


class _Cell:
    """How to render one column's cells without django-tables2's per-cell introspection.

    ``BoundRow.get_cell`` inspects the accessor's model field (for ``get_FOO_display``) and the
    render method's signature (``inspect.signature``) again for every cell: most of a ledger
    page's cell time. This decides both once per column, for a column that reads a concrete
    model field and renders from its value alone, and otherwise (many-to-many, a method, a
    ``render`` that wants the record) leaves the cell to django-tables2.

    Per column too: a choice field's labels (what ``Model._get_FIELD_display`` builds from the
    field's choices for every cell), and whether the column's link is django-tables2's plain
    ``linkify=True`` (the object's ``get_absolute_url`` in an ``<a href>``), which
    :meth:`render` writes itself, reading each object's address once per row: a ledger row's
    code and name link to the same asset.
    """

    def __init__(self, table: tables.Table, column: Any) -> None:
        accessor = Accessor(column.accessor)
        model = getattr(table._meta, "model", None)
        field = accessor.get_field(model) if model is not None else None
        self.column = column
        self.bits = accessor.bits
        self.fast = (
            field is not None
            and field.concrete
            and not field.many_to_many
            and self.bits[-1] in {field.name, field.attname}
            and not isinstance(column.column, tables.ManyToManyColumn)
            and _renders_from_value_alone(column.render)
        )
        #: Model._get_FIELD_display's dictionary, built once (its labels stay lazy: translated per cell).
        self.choices = (
            dict(make_hashable(field.flatchoices)) if field is not None and self.fast and field.choices else None
        )
        #: Each stored value's label as this page shows it: a _Cell lives for one page, in one
        #: language, and a page's 25 rows hold a few values of a choice (utilisation, package).
        self.labels: dict[Any, Any] = {}
        self.attname = getattr(field, "attname", None)
        link = column.link
        self.plain_link = (
            type(link) is LinkTransform
            and link.url is None
            and not link.reverse_args
            and not link.attrs
            and link.accessor is None
        )
        self.link_accessor = Accessor(column.name)

    def render(self, row: Any, urls: dict[int, Any]) -> Any:
        """The cell's content, as ``row.get_cell`` gives it; ``urls`` keeps the row's links."""
        if not self.fast:
            return row.get_cell(self.column.name)
        target = row.record
        for bit in self.bits[:-1]:
            target = getattr(target, bit, None)
            if target is None:
                break
        last = self.bits[-1]
        if target is None:
            value = None
        elif self.choices is not None:
            raw = make_hashable(getattr(target, str(self.attname)))
            if raw in self.labels:
                value = self.labels[raw]
            else:
                value = self.labels[raw] = force_str(self.choices.get(raw, raw), strings_only=True)
        else:
            value = getattr(target, last)
        column = self.column
        if value in column.column.empty_values:
            return column.default
        content = column.render(value=value)
        if not column.link:
            return content
        if self.plain_link:
            return self._linked(content, row.record, urls)
        return column.link(
            content,
            value=value,
            record=row.record,
            column=column.column,
            bound_column=column,
            bound_row=row,
            table=row.table,
        )

    def _linked(self, content: Any, record: Any, urls: dict[int, Any]) -> Any:
        """``LinkTransform.__call__`` for ``linkify=True`` without attributes, the same HTML."""
        # LinkTransform.compose_url: the object the column's name leads to, else the record.
        target = self.link_accessor.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        key = id(target)
        if key not in urls:
            urls[key] = target.get_absolute_url()
        url = urls[key]
        if url is None:
            return content
        # AttributeDict({"href": url}).as_html() inside "<a {}>{}</a>": both escaped, as format_html does.
        return mark_safe(f'<a href="{_escape(url)}">{_escape(content)}</a>')  # noqa: S308  # nosec B308 B703 # both escaped


def body_rows(table: tables.Table) -> list[SafeString]:
    """The ``<tr>`` of each row, built in Python rather than by the table template.

    Why: django-tables2's template spends as long on its loops (a context push, the cell's
    attributes worked out again, per cell) as on the cells themselves. The cells are rendered
    as django-tables2 renders them (accessor, ``get_FOO_display``, ``render``, links; see
    :class:`_Cell`) and put into the page exactly as its template does (``{{ cell }}``: local
    time, localised, escaped). A column's cell attributes are worked out once: no Guozi table
    computes them from the record.
    """
    cells = [(_Cell(table, column), column.attrs["td"].as_html(), column.localize) for column in table.columns]
    found: list[SafeString] = []
    for row in table.paginated_rows:
        html = []
        urls: dict[int, Any] = {}  # the row's objects' addresses, each read once
        for cell, attrs, localized in cells:
            value = cell.render(row, urls)
            if type(value) is not str:  # a plain string is its own local time and localised form
                value = localize(template_localtime(value), use_l10n=localized)
            html.append(f"<td {attrs}>{_escape(value)}</td>")
        # BoundRow.attrs: the table's row_attrs (no Guozi table has any) and the row's parity.
        row_attrs = row.attrs.as_html() if table.row_attrs else f'class="{row.get_even_odd_css_class()}"'
        found.append(mark_safe(f"<tr {row_attrs}>{''.join(html)}</tr>"))  # noqa: S308  # nosec B308 B703 # every part escaped above
    return found


def head_cells(table: tables.Table, request: HttpRequest) -> list[SafeString]:
    """The ``<th>`` of each column, as django-tables2's Bootstrap 5 template writes them.

    Its template works out each header's sort link with ``{% querystring_replace %}`` (the
    request's query copied and encoded again per column) and its attributes in template loops:
    about a millisecond of a ledger page. Same HTML, less the template's whitespace
    (tests/test_lists.py).
    """
    params = dict(request.GET)
    field = table.prefixed_order_by_field
    found = []
    for column in table.columns:
        header = _escape(localize(column.header))
        if column.orderable:
            # querystring_replace: the request's query, the sort replaced, encoded and escaped.
            query = _escape("?" + urlencode({**params, field: column.order_by_alias.next}, doseq=True))
            header = f'<a href="{query}">{header}</a>'
        found.append(mark_safe(f'<th {column.attrs["th"].as_html()} scope="col">{header}</th>'))  # noqa: S308  # nosec B308 B703 # every part escaped above
    return found


class _PageData(TableListData):
    """One page's rows, which still answer for their model: django-tables2 takes a column's
    header from the model field's (translated) verbose name only when the data names its
    model, and a plain list of rows names none, so every header fell back to the column's
    own name ("Code", "Timestamp") on thirty list pages."""

    def __init__(self, rows: list[Any], *, model: Any) -> None:
        super().__init__(rows)
        self._model = model

    @property
    def model(self) -> Any:
        return self._model


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
    table.data = _PageData(page.rows, model=table.data.model or table._meta.model)
    table.data.set_table(table)
    table.rows = BoundRows(data=table.data, table=table, pinned_data=table.pinned_data)
    table.template_name = TABLE_TEMPLATE
    table.body_rows = body_rows(table)
    table.head_cells = head_cells(table, request)
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
