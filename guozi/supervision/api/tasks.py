from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate

from guozi.core.api.base import (
    Pages,
    actor,
    checked_if_match,
    edited_version,
    get_scoped,
    isolation,
    origin,
    scoped,
    tag,
)
from guozi.supervision.models import Plan, Problem, ProgressReport, TargetTask, WorkItem
from guozi.supervision.services import reports as rep

router = Router(tags=["supervision"])
TASK = "supervision.TargetTask"


class PlanOut(Schema):
    id: int
    name: str
    kind: str
    year: int
    end_year: int | None
    issuer_id: int


class TargetTaskOut(Schema):
    id: int
    plan_id: int
    number: int
    heading: str
    text: str
    lead_unit_id: int
    partner_unit_ids: list[int]
    leader: str
    deadline: date | None
    adjustment: str
    adjustment_reason: str

    @staticmethod
    def resolve_partner_unit_ids(task: TargetTask) -> list[int]:
        return [unit.pk for unit in task.partner_units.all()]


@router.get("/plans", response=list[PlanOut], openapi_extra=isolation("supervision.Plan", "list"))
@paginate(Pages, page_size=50)
def plan_list(request: HttpRequest) -> Any:
    return scoped(request, Plan)


@router.get("/plans/{int:pk}", response=PlanOut, openapi_extra=isolation("supervision.Plan", "object"))
def plan_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, Plan, pk)


@router.get("/tasks", response=list[TargetTaskOut], openapi_extra=isolation(TASK, "list"))
@paginate(Pages, page_size=50)
def task_list(request: HttpRequest, plan: int | None = None) -> Any:
    tasks = scoped(request, TargetTask).prefetch_related("partner_units")
    return tasks.filter(plan_id=plan) if plan else tasks


@router.get("/tasks/{int:pk}", response=TargetTaskOut, openapi_extra=isolation(TASK, "object"))
def task_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, TargetTask, pk)


REPORT = "supervision.ProgressReport"


class ReportOut(Schema):
    id: int
    round_id: int
    task_id: int
    state: str
    version: int
    progress: str
    problems: str
    next_steps: str
    self_status: str
    verified_status: str
    return_reason: str


class ReportPatch(Schema):
    """``version`` is the version the edit started from, if not sent as ``If-Match``; a stale one is refused (409)."""

    version: int | None = None
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    self_status: str | None = None


class ReturnIn(Schema):
    reason: str


class WorkItemOut(Schema):
    id: int
    task_id: int
    parent_id: int | None
    title: str
    kind: str
    owner_unit_id: int
    status: str
    done_on: date | None


class ProblemOut(Schema):
    id: int
    task_id: int
    description: str
    found_on: date
    owner_unit_id: int
    due_on: date
    resolved_on: date | None
    closed_on: date | None


@router.get("/reports", response=list[ReportOut], openapi_extra=isolation(REPORT, "list"))
@paginate(Pages, page_size=50)
def report_list(request: HttpRequest, state: str | None = None) -> Any:
    reports = scoped(request, ProgressReport)
    return reports.filter(state=state) if state else reports


@router.get("/reports/{int:pk}", response=ReportOut, openapi_extra=isolation(REPORT, "object"))
def report_detail(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    report = get_scoped(request, ProgressReport, pk)
    tag(response, report)
    return report


@router.patch(
    "/reports/{int:pk}",
    response={200: ReportOut, 409: dict[str, Any], 412: dict[str, Any]},
    openapi_extra=isolation(REPORT, "object"),
)
def report_edit(request: HttpRequest, pk: int, payload: ReportPatch, response: HttpResponse) -> Any:
    report = get_scoped(request, ProgressReport, pk, "change")
    data = payload.dict(exclude_unset=True)
    data["version"] = edited_version(request, report, data.pop("version", None))
    updated = rep.report_update(actor=actor(request), origin=origin(request), progressreport=report, data=data)
    tag(response, updated)
    return updated


# Workflow steps are guarded by their state compare-and-swap (a second approval is
# refused whatever it sends), so If-Match is optional here and honoured if sent.


@router.post("/reports/{int:pk}/submit", response=ReportOut, openapi_extra=isolation(REPORT, "object"))
def report_submit(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    report = get_scoped(request, ProgressReport, pk)
    checked_if_match(request, report)
    submitted = rep.report_submit(actor=actor(request), origin=origin(request), progressreport=report)
    tag(response, submitted)
    return submitted


@router.post("/reports/{int:pk}/return", response=ReportOut, openapi_extra=isolation(REPORT, "object"))
def report_return(request: HttpRequest, pk: int, payload: ReturnIn, response: HttpResponse) -> Any:
    report = get_scoped(request, ProgressReport, pk)
    checked_if_match(request, report)
    returned = rep.report_return(
        actor=actor(request),
        origin=origin(request),
        progressreport=report,
        reason=payload.reason,
    )
    tag(response, returned)
    return returned


@router.post("/reports/{int:pk}/approve", response=ReportOut, openapi_extra=isolation(REPORT, "object"))
def report_approve(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    report = get_scoped(request, ProgressReport, pk)
    checked_if_match(request, report)
    approved = rep.report_approve(actor=actor(request), origin=origin(request), progressreport=report)
    tag(response, approved)
    return approved


@router.get("/work-items", response=list[WorkItemOut], openapi_extra=isolation("supervision.WorkItem", "list"))
@paginate(Pages, page_size=100)
def work_item_list(request: HttpRequest, task: int | None = None) -> Any:
    items = scoped(request, WorkItem)
    return items.filter(task_id=task) if task else items


@router.get("/problems", response=list[ProblemOut], openapi_extra=isolation("supervision.Problem", "list"))
@paginate(Pages, page_size=100)
def problem_list(request: HttpRequest, task: int | None = None) -> Any:
    problems = scoped(request, Problem)
    return problems.filter(task_id=task) if task else problems
