"""Generic pages for every registered model, declared once per model in a few lines.

A model's pages are an :class:`ObjectViews` subclass naming its queryset source,
filter set, table, form and services; :func:`model_urls` turns it into the list,
export, add, detail, edit, delete and history routes, named
``<app>:<model>_<action>``. Every page reads through ``restrict(user, action)``,
so an object outside the user's scope answers 404, and every write goes through
the model's service functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from guozi.core import routers
from guozi.core.changes import BOOKKEEPING_FIELDS, EditConflict, Origin, changes_since, snapshot
from guozi.core.choices import ChangeAction
from guozi.core.export_rows import table_header, table_rows
from guozi.core.exports import xlsx_response
from guozi.core.forms import lookup_rows, quick_selects, restrict_choices, style_fields
from guozi.core.models import ChangeRecord, ImportBatch, User
from guozi.core.models.base import Versioned
from guozi.core.paging import bounded_count
from guozi.core.scope import holds_duty, scope_for
from guozi.core.tables import keyset_paginate

Service = Callable[..., Any]

#: Every model with pages, by model: commands reuse a model's form and services.
REGISTRY: dict[type[models.Model], type[ObjectViews]] = {}


class ObjectViews:
    """The declaration of one model's pages. Subclass and set the attributes."""

    model: ClassVar[type[models.Model]]
    filterset: ClassVar[type[django_filters.FilterSet]]
    table: ClassVar[type[tables.Table]]
    form: ClassVar[type[forms.ModelForm] | None] = None
    create_form: ClassVar[type[forms.ModelForm] | None] = None
    #: Service functions, called with keyword arguments: ``actor``, ``origin``,
    #: ``data`` and the object under its model name (``organization=...``).
    create: ClassVar[Service | None] = None
    update: ClassVar[Service | None] = None
    delete: ClassVar[Service | None] = None
    #: Fields shown on the detail page; the form's fields when empty.
    detail_fields: ClassVar[list[str]] = []
    paginate_by: ClassVar[int] = 25
    #: Whether the model's writes are change-logged, so a history tab makes sense.
    has_history: ClassVar[bool] = True
    #: Related rows the list shows beyond the model's own foreign keys (which are
    #: always joined), e.g. ``["partner__fund"]``: one query, not one per row.
    list_related: ClassVar[list[str]] = []
    #: Fields a search-as-you-type picker matches (``core.forms.LookupSelect``): when set, the
    #: model gets a ``lookup/`` route answering the matches as JSON (:class:`ObjectLookupView`).
    lookup_fields: ClassVar[list[str]] = []
    #: Templates that extend the generic ones, for a model that shows more.
    list_template: ClassVar[str] = "core/object_list.html"
    detail_template: ClassVar[str] = "core/object_detail.html"

    @classmethod
    def list_queryset(cls, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        direct = [f.name for f in cls.model._meta.concrete_fields if f.is_relation]
        return queryset.select_related(*direct, *cls.list_related)

    #: The list's order before a clerk sorts by a column; the model's ``Meta.ordering`` when
    #: empty. Over a large table it must be an index's order (docs/lists.md).
    list_ordering: ClassVar[list[str]] = []

    @classmethod
    def list_context(
        cls, request: HttpRequest, queryset: models.QuerySet[Any], filterset: django_filters.FilterSet
    ) -> dict[str, Any]:
        """Extra context for the list page, given the filtered, scoped rows (totals, say).

        With ``record_count`` and ``record_count_exact`` in it (what ``paging.bounded_count``
        answers: exact up to ``paging.CAP``, or an exact count it knows otherwise), the page
        shows that count rather than counting the rows again."""
        return {}

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """Extra context for the detail page."""
        return {}

    @classmethod
    def model_name(cls) -> str:
        return cls.model._meta.model_name or ""

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls.model._meta.app_label}:{cls.model_name()}_{action}"


class ScopedView(View):
    """Base of the generic pages: the declaration, and reads through the scope."""

    views: type[ObjectViews] = ObjectViews
    action: str = "view"
    #: How the route isolation sweep probes this page: "list" (shows only scoped rows),
    #: "export" (an .xlsx of them) or "object" (one object by pk; 404 outside the scope).
    route_kind: ClassVar[str] = "object"
    #: A page that only shows data (a dashboard, an export): its reads may go to the read
    #: replica when one is configured (core.routers).
    replica_reads: ClassVar[bool] = False
    #: One of the administrators' duties (``SeparatedRole``) the page belongs to, or "": then only
    #: a holder of that duty reaches it, and only for rows ``restrict`` opens (8.1.5.3: the
    #: security administrator's own interface). To anyone else its rows do not exist.
    duty: ClassVar[str] = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.replica_reads:
            return super().dispatch(request, *args, **kwargs)
        with routers.replica_reads():
            return super().dispatch(request, *args, **kwargs)

    @property
    def actor(self) -> User:
        """The signed-in user (every generic page requires a sign-in)."""
        user = self.request.user
        assert isinstance(user, User)  # nosec B101 # type narrowing: LoginRequiredMiddleware let only signed-in users in
        return user

    def require_permission(self) -> None:
        """A list the user's roles do not open at all is refused (403), not shown empty."""
        if scope_for(self.request.user, self.views.model, "view") is None:
            raise PermissionDenied
        if self.duty and not holds_duty(self.request.user, self.duty):
            raise PermissionDenied

    def scoped(self, action: str | None = None) -> models.QuerySet[Any]:
        rows = self.views.model.objects.restrict(self.request.user, action or self.action)  # type: ignore[attr-defined]
        if self.duty and not holds_duty(self.request.user, self.duty):
            return rows.none()
        return rows

    def filters(self, data: Any, queryset: models.QuerySet[Any]) -> django_filters.FilterSet:
        """The model's filter set over ``queryset``, its choices of related rows limited to what
        the user may view (``core.forms.restrict_choices``): the list, its export and the lookup."""
        filterset = self.views.filterset(data, queryset=queryset, request=self.request)
        restrict_choices(filterset.form, self.request.user)
        return filterset

    def get_object(self, action: str | None = None) -> Any:
        return get_object_or_404(self.scoped(action), pk=self.kwargs["pk"])

    def context(self, **extra: Any) -> dict[str, Any]:
        model = self.views.model
        user = self.request.user
        return {
            "views": self.views,
            "opts": model._meta,
            "verbose_name": model._meta.verbose_name,
            "verbose_name_plural": model._meta.verbose_name_plural,
            "list_url": reverse(self.views.url_name("list")),
            "has_history": self.views.has_history,
            "can_add": self.views.create is not None and scope_for(user, model, "add") is not None,
            "can_change": self.views.update is not None and scope_for(user, model, "change") is not None,
            "can_delete": self.views.delete is not None and scope_for(user, model, "delete") is not None,
            **extra,
        }


class ObjectListView(ScopedView):
    """Search, filters, sort and keyset pages; an htmx request gets only the table.

    Its queries do not depend on the page shown or the rows in the table: session and
    roles, the filters' choices, a count bounded at ``paging.CAP`` and one page of rows
    with their foreign keys joined (tests/test_query_counts.py pins the number per page).
    """

    route_kind = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        queryset = self.views.list_queryset(self.scoped())
        filterset = self.filters(request.GET or None, queryset)
        style_fields(filterset.form)
        quick_selects(filterset.form)
        rows = filterset.qs
        if self.views.list_ordering:
            rows = rows.order_by(*self.views.list_ordering)
        table = self.views.table(rows)
        tables.RequestConfig(request, paginate=False).configure(table)
        extra = self.views.list_context(request, rows, filterset)
        if "record_count" in extra:  # the model's totals counted the rows already
            count, exact = extra.pop("record_count"), extra.pop("record_count_exact")
        else:
            count, exact = bounded_count(rows)
        keyset_paginate(table, request, per_page=self.views.paginate_by)
        export_url = reverse(self.views.url_name("export"))
        if request.GET:
            export_url += "?" + request.GET.urlencode()
        context = self.context(
            filterset=filterset,
            table=table,
            export_url=export_url,
            record_count=count,
            record_count_exact=exact,
            record_cap=f"{count:,}",
            **extra,
        )
        if getattr(request, "htmx", False):
            return render(request, "core/partials/object_table.html", context)
        return render(request, self.views.list_template, context)


class ObjectLookupView(ScopedView):
    """A picker's matches as JSON: ``{"results": [{"id": …, "label": …}]}``, at most ``LOOKUP_LIMIT``.

    Guarantee: only rows ``restrict(user, "view")`` opens, like the list (a user whose roles do
    not open the model gets 403); a row outside the scope is never named, whatever ``q``. The
    model's own list filters narrow it further (``?kind=enterprise``); ``q`` matches the
    declaration's ``lookup_fields``, and without ``q`` the first rows in the list's order answer.
    """

    route_kind = "list"

    def get(self, request: HttpRequest) -> JsonResponse:
        self.require_permission()
        params = request.GET.copy()
        text = params.pop("q", [""])[-1]
        filterset = self.filters(params, self.scoped())
        rows = filterset.qs if filterset.is_valid() else self.scoped().none()
        if self.views.list_ordering:
            rows = rows.order_by(*self.views.list_ordering)
        found = lookup_rows(rows, text, self.views.lookup_fields)
        return JsonResponse(
            {"results": [{"id": row.pk, "label": str(row)} for row in found]},
            # Names as UTF-8, not \\u escapes: what the page shows is what the isolation sweep reads.
            json_dumps_params={"ensure_ascii": False},
        )


class ObjectExportView(ScopedView):
    """The filtered rows of the list, all pages, as an .xlsx file.

    The rows are the list table's own cells (``table.as_values()``), read from the database
    in chunks of tuples and written row by row to a temporary file (core.export_rows,
    core.exports): memory does not grow with the rows.
    """

    route_kind = "export"
    replica_reads = True

    def get(self, request: HttpRequest) -> HttpResponseBase:
        self.require_permission()
        queryset = self.views.list_queryset(self.scoped())
        filterset = self.filters(request.GET or None, queryset)
        table = self.views.table(filterset.qs)
        tables.RequestConfig(request, paginate=False).configure(table)
        title = str(self.views.model._meta.verbose_name_plural)
        return xlsx_response(title, table_header(table), table_rows(table))


def _display(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if field.many_to_many:
        return "、".join(str(related) for related in getattr(obj, field.name).all()) or "—"
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else value


class ObjectDetailView(ScopedView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        names = self.views.detail_fields or list(self.views.form._meta.fields or [])  # type: ignore[union-attr]
        fields = [obj._meta.get_field(name) for name in names]
        rows = [(field.verbose_name, _display(obj, field)) for field in fields]
        context = self.context(object=obj, rows=rows, tab="detail", **self.views.detail_context(request, obj))
        return render(request, self.views.detail_template, context)


def _history_value(field: Any, value: Any) -> Any:
    """A logged value as a person reads it: choice labels, related rows by name, local times."""
    if value is None or field is None:
        return value
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if field.many_to_many and isinstance(value, list):
        return "、".join(str(o) for o in field.related_model._base_manager.filter(pk__in=value)) or "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M:%S") if parsed else value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def history_rows(model: type[models.Model], records: Any) -> list[tuple[ChangeRecord, list[tuple[Any, Any, Any]]]]:
    """Each change record with its changed fields as (label, before, after), readable."""
    fields: dict[str, Any] = {f.attname: f for f in model._meta.concrete_fields}
    fields.update({f.name: f for f in model._meta.many_to_many})

    def row(name: str, before: Any, after: Any) -> tuple[Any, Any, Any]:
        field = fields.get(name)
        label = field.verbose_name if field is not None else name
        return label, _history_value(field, before), _history_value(field, after)

    return [
        (record, [row(*change) for change in record.changed_fields() if change[0] not in BOOKKEEPING_FIELDS])
        for record in records
    ]


#: Kept by the database, not given by the file: left out of "created with these values".
_NOT_CREATION = {*BOOKKEEPING_FIELDS, "id", "created_at", "created_in_id"}


def created_by_import(obj: models.Model, records: list[ChangeRecord]) -> tuple[ChangeRecord, list[Any]] | None:
    """The creation of a bulk-loaded row: its import batch's change record and the values it was created with.

    Rows an import creates (a model with a ``created_in`` import batch) have no change
    record each; their batch's record says who, when and from where. The values as
    created are the "before" of the row's first change since, or its values now.
    """
    batch_id = getattr(obj, "created_in_id", None)
    if batch_id is None:
        return None
    record = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(ImportBatch), object_id=str(batch_id), action=ChangeAction.CREATE
    ).first()
    if record is None:
        return None
    first = records[-1] if records else None
    values = first.before if first is not None and first.before is not None else snapshot(obj)
    creation = ChangeRecord(
        timestamp=record.timestamp,
        actor_name=record.actor_name,
        ip=record.ip,
        source=record.source,
        action=ChangeAction.CREATE,
        before=None,
        after={k: v for k, v in values.items() if k not in _NOT_CREATION and v not in (None, "")},
    )
    creation.import_file = record.after.get("file_name", "") if record.after else ""  # type: ignore[attr-defined]
    return creation, history_rows(type(obj), [creation])[0][1]


class ObjectHistoryView(ScopedView):
    """The change log of one object: visible to whoever may see the object."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        records = list(
            ChangeRecord.objects.filter(
                content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
            ).order_by("-id")
        )
        history = history_rows(type(obj), records)
        if (creation := created_by_import(obj, records)) is not None:
            history.append(creation)
        return render(request, "core/object_history.html", self.context(object=obj, history=history, tab="history"))


class ObjectEditView(ScopedView):
    """Add (no pk) or edit (pk) one object through the model's services."""

    def setup_object(self) -> Any:
        if "pk" in self.kwargs:
            self.action = "change"
            return self.get_object("change")
        self.action = "add"
        if scope_for(self.request.user, self.views.model, "add") is None:
            raise Http404
        return None

    def form_class(self, obj: Any) -> type[forms.ModelForm]:
        form = self.views.form if obj is not None else (self.views.create_form or self.views.form)
        assert form is not None  # nosec B101 # type narrowing: a page with an edit route declares a form
        return form

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.setup_object()
        form_class = self.form_class(obj)
        # An add link may preset fields (?fund=3&stage=40): only the form's own fields.
        initial = {k: v for k, v in request.GET.items() if obj is None and k in form_class.base_fields}
        form = form_class(instance=obj, initial=initial, user=request.user)  # type: ignore[call-arg]
        return self.render_form(form, obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        obj = self.setup_object()
        form = self.form_class(obj)(request.POST, request.FILES, instance=obj, user=request.user)  # type: ignore[call-arg]
        if form.is_valid():
            origin = Origin.web(request)
            try:
                if obj is None:
                    assert self.views.create is not None  # nosec B101 # type narrowing: create routes exist only with a create service
                    obj = self.views.create(actor=request.user, origin=origin, data=form.cleaned_data)
                else:
                    assert self.views.update is not None  # nosec B101 # type narrowing: edit routes exist only with an update service
                    # Re-read: the form has already written its values onto ``obj``,
                    # and the service records before and after from the database.
                    fresh = self.get_object("change")
                    obj = self.views.update(
                        actor=request.user, origin=origin, data=form.cleaned_data, **{self.views.model_name(): fresh}
                    )
            except EditConflict as conflict:
                return self.render_conflict(form, obj, conflict)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(safe_next(request) or obj.get_absolute_url())
        return self.render_form(form, obj, status=400)

    def render_conflict(self, form: forms.ModelForm, obj: Any, conflict: EditConflict) -> HttpResponse:
        """Someone saved first: keep the user's input, show what the other person changed.

        The form now carries the current version, so saving again is a deliberate
        choice made with the other change in view: nothing is overwritten unseen.
        """
        add_service_error(form, conflict)
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: the POST
        data["version"] = str(conflict.current)
        form.data = data
        changes = history_rows(type(obj), changes_since(type(obj), obj.pk, conflict.edited))
        return self.render_form(form, obj, status=409, conflict=changes)

    def render_form(self, form: forms.ModelForm, obj: Any, status: int = 200, **extra: Any) -> HttpResponse:
        return render(
            request=self.request,
            template_name="core/object_edit.html",
            context=self.context(form=form, object=obj, **extra),
            status=status,
        )


class ObjectDeleteView(ScopedView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "core/object_delete.html", self.context(object=self.get_object()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        obj = self.get_object()
        assert self.views.delete is not None  # nosec B101 # type narrowing: delete routes exist only with a delete service
        seen = request.POST.get("version", "")
        if isinstance(obj, Versioned) and seen.isdigit() and int(seen) != obj.version:
            # Saved by someone else since the confirmation page was shown: show what, delete nothing.
            message = _(
                "Changed by someone else since you opened this page (now version %(current)s): nothing was deleted."
            ) % {"current": obj.version}
            changes = history_rows(type(obj), changes_since(type(obj), obj.pk, int(seen)))
            context = self.context(object=obj, errors=[message], conflict=changes)
            return render(request, "core/object_delete.html", context, status=409)
        try:
            self.views.delete(actor=request.user, origin=Origin.web(request), **{self.views.model_name(): obj})
        except ValidationError as error:
            return render(
                request, "core/object_delete.html", self.context(object=obj, errors=error.messages), status=400
            )
        messages.success(request, _("Deleted."))
        return HttpResponseRedirect(reverse(self.views.url_name("list")))


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal onto the form: beside the field it names, above the form otherwise.

    A service may name a field the form does not show (``unit``, ``version``): those
    errors go above the form instead of making ``add_error`` fail.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` page a form came from, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def model_urls(views: type[ObjectViews]) -> list[URLPattern]:
    """The routes of one model's pages; only those its declaration supports."""
    REGISTRY[views.model] = views
    name = views.model_name()
    prefix = name.replace("_", "-")

    def route(suffix: str, view: type[ScopedView], action: str) -> URLPattern:
        return path(f"{prefix}/{suffix}", view.as_view(views=views), name=f"{name}_{action}")

    patterns = [
        route("", ObjectListView, "list"),
        route("export/", ObjectExportView, "export"),
        route("<int:pk>/", ObjectDetailView, "detail"),
    ]
    if views.lookup_fields:
        patterns.append(route("lookup/", ObjectLookupView, "lookup"))
    if views.has_history:
        patterns.append(route("<int:pk>/history/", ObjectHistoryView, "history"))
    if views.create is not None:
        patterns.append(route("add/", ObjectEditView, "add"))
    if views.update is not None:
        patterns.append(route("<int:pk>/edit/", ObjectEditView, "edit"))
    if views.delete is not None:
        patterns.append(route("<int:pk>/delete/", ObjectDeleteView, "delete"))
    return patterns
