"""The task-list import page: upload, see the dry run, then import; errors as a page and as .xlsx."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from guozi.core.changes import Origin
from guozi.core.exports import xlsx_response
from guozi.core.forms import style_fields
from guozi.core.importing.problems import error_table
from guozi.core.views.generic import ScopedView
from guozi.supervision.services.task_import import COLUMNS, task_list_check, task_list_import

SESSION_KEY = "guozi_task_import_errors"


class TaskListForm(forms.Form):
    file = forms.FileField(label=_("task list (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("dry run: check and count, write nothing"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class TaskImportView(ScopedView):
    """Object route on a plan: only who may change the plan's tasks sees it."""

    action = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.get_object()
        return render(
            request, "supervision/task_import.html", self.context(object=plan, form=TaskListForm(), columns=COLUMNS)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.get_object()
        form = TaskListForm(request.POST, request.FILES)
        check = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            if form.cleaned_data["dry_run"]:
                check = task_list_check(actor=self.actor, plan=plan, file_name=upload.name, content=content)
            else:
                check = task_list_import(
                    actor=self.actor,
                    origin=Origin.web(request),
                    plan=plan,
                    file_name=upload.name,
                    content=content,
                )
            request.session[SESSION_KEY] = {str(plan.pk): [e.as_dict() for e in check.errors]}
        status = 400 if check is None or check.errors else 200
        return render(
            request,
            "supervision/task_import.html",
            self.context(object=plan, form=form, check=check, columns=COLUMNS),
            status=status,
        )


class TaskImportErrorsView(ScopedView):
    """The last check's errors for this plan, as .xlsx."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        plan = self.get_object()
        errors = request.session.get(SESSION_KEY, {}).get(str(plan.pk), [])
        header, rows = error_table(errors)
        return xlsx_response(str(_("task list errors")), header, rows)
