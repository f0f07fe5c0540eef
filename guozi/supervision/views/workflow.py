"""The workflow steps as pages: submit, return (with a reason), approve.

Each is an object route on a progress report: out of scope answers 404 like any
other; a step the user may not take answers 403; an illegal step is refused with
its message and changes nothing.
"""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guozi.core.changes import Origin
from guozi.core.services.attachments import attachment_add
from guozi.core.views.generic import ScopedView
from guozi.supervision.forms import ApproveForm, ReturnForm
from guozi.supervision.services.reports import cross_checks, report_approve, report_return, report_submit


class WorkflowStepView(ScopedView):
    step: ClassVar[str]
    title: ClassVar[Any]
    form_class: ClassVar[type[ReturnForm] | type[ApproveForm] | None] = None

    def perform(self, report: Any, origin: Origin, cleaned: dict[str, Any]) -> None:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_object()
        form = self.form_class(initial={"verified_status": report.self_status}) if self.form_class else None
        context = self.context(object=report, form=form, title=self.title, findings=self.findings(report))
        return render(request, "supervision/workflow_step.html", context)

    def findings(self, report: Any) -> list[Any]:
        """What the cross-checks find, shown to the reviewer before approving."""
        return cross_checks(report, self.actor) if self.step == "approve" else []

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = self.get_object()
        form = self.form_class(request.POST) if self.form_class else None
        if form is None or form.is_valid():
            try:
                self.perform(report, Origin.web(request), form.cleaned_data if form else {})
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": self.title})
                return HttpResponseRedirect(report.get_absolute_url())
        else:
            errors = []
        context = self.context(
            object=report, form=form, title=self.title, errors=errors, findings=self.findings(report)
        )
        return render(request, "supervision/workflow_step.html", context, status=400)


class SubmitView(WorkflowStepView):
    step = "submit"
    title = gettext_lazy("Submit")

    def perform(self, report: Any, origin: Origin, cleaned: dict[str, Any]) -> None:
        report_submit(actor=self.actor, origin=origin, progressreport=report)


class ReturnView(WorkflowStepView):
    step = "return"
    title = gettext_lazy("Return")
    form_class = ReturnForm

    def perform(self, report: Any, origin: Origin, cleaned: dict[str, Any]) -> None:
        report_return(actor=self.actor, origin=origin, progressreport=report, reason=cleaned["reason"])


class ApproveView(WorkflowStepView):
    step = "approve"
    title = gettext_lazy("Approve")
    form_class = ApproveForm

    def perform(self, report: Any, origin: Origin, cleaned: dict[str, Any]) -> None:
        report_approve(
            actor=self.actor,
            origin=origin,
            progressreport=report,
            verified_status=cleaned["verified_status"],
            explanation=cleaned.get("explanation", ""),
        )


class AttachView(ScopedView):
    """Attach an evidence file to a report the user's unit may still change."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file first."))
        else:
            try:
                attachment_add(
                    actor=self.actor,
                    origin=Origin.web(request),
                    obj=report,
                    file_name=upload.name or "",
                    content=upload.read(),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Saved."))
        return HttpResponseRedirect(report.get_absolute_url())
