"""Writing supervision records through the API: the same services as the pages.

Related rows are named by id and looked up in the caller's scope first, so a
foreign id is refused like a wrong one (422).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema, Status
from ninja.pagination import paginate

from guozi.core.api.base import Pages, actor, edited_version, get_related, get_scoped, isolation, origin, scoped, tag
from guozi.core.models import Organization
from guozi.supervision.api import tasks
from guozi.supervision.choices import ProgressMethod, WorkItemKind, WorkItemStatus
from guozi.supervision.models import (
    Indicator,
    Milestone,
    Plan,
    Problem,
    ProgressReport,
    ReportingRound,
    TargetTask,
    WorkItem,
)
from guozi.supervision.services import decomposition as dec
from guozi.supervision.services import reports as rep

# The same router as the reads: a path with GET and POST must live on one router.
router = tasks.router


class Created(Schema):
    id: int


class WorkItemIn(Schema):
    task_id: int
    parent_id: int | None = None
    title: str
    kind: WorkItemKind = WorkItemKind.KEY_WORK
    owner_unit_id: int
    deadline: date | None = None
    weight: Decimal = Decimal(1)
    status: WorkItemStatus = WorkItemStatus.NOT_STARTED
    done_on: date | None = None
    progress_method: ProgressMethod = ProgressMethod.STATUS


class WorkItemPatch(Schema):
    #: The version the edit started from, for clients that do not send ``If-Match``.
    version: int | None = None
    title: str | None = None
    status: WorkItemStatus | None = None
    done_on: date | None = None
    deadline: date | None = None
    weight: Decimal | None = None


class MilestoneIn(Schema):
    task_id: int
    title: str
    planned_on: date
    done_on: date | None = None


class MilestonePatch(Schema):
    #: The version the edit started from, for clients that do not send ``If-Match``.
    version: int | None = None
    title: str | None = None
    planned_on: date | None = None
    done_on: date | None = None


class MilestoneOut(Schema):
    id: int
    task_id: int
    title: str
    planned_on: date
    done_on: date | None


class ProblemIn(Schema):
    task_id: int
    description: str
    found_on: date
    owner_unit_id: int
    due_on: date


class ProblemPatch(Schema):
    #: The version the edit started from, for clients that do not send ``If-Match``.
    version: int | None = None
    resolution: str | None = None
    resolved_on: date | None = None
    closed_on: date | None = None


class ValueIn(Schema):
    period_end: date
    value: Decimal
    note: str = ""


class RoundIn(Schema):
    plan_id: int
    year: int
    quarter: int
    period_end: date
    due_on: date
    grace_days: int = 0
    task_ids: list[int]


class SectionIn(Schema):
    text: str


@router.post("/work-items", response={201: Created}, openapi_extra=isolation("supervision.WorkItem", "create"))
def work_item_add(request: HttpRequest, payload: WorkItemIn) -> Any:
    data = payload.dict()
    data["task"] = get_related(request, TargetTask, data.pop("task_id"), "task_id")
    data["parent"] = get_related(request, WorkItem, data.pop("parent_id"), "parent_id")
    data["owner_unit"] = get_related(request, Organization, data.pop("owner_unit_id"), "owner_unit_id")
    item = dec.work_item_create(actor=actor(request), origin=origin(request), data=data)
    return Status(201, {"id": item.pk})


@router.patch("/work-items/{int:pk}", response=Created, openapi_extra=isolation("supervision.WorkItem", "object"))
def work_item_edit(request: HttpRequest, pk: int, payload: WorkItemPatch, response: HttpResponse) -> Any:
    item = get_scoped(request, WorkItem, pk, "change")
    data = payload.dict(exclude_unset=True)
    data["version"] = edited_version(request, item, data.pop("version", None))
    tag(response, dec.work_item_update(actor=actor(request), origin=origin(request), workitem=item, data=data))
    return {"id": item.pk}


@router.get("/milestones", response=list[MilestoneOut], openapi_extra=isolation("supervision.Milestone", "list"))
@paginate(Pages, page_size=100)
def milestone_list(request: HttpRequest, task: int | None = None) -> Any:
    milestones = scoped(request, Milestone)
    return milestones.filter(task_id=task) if task else milestones


@router.post("/milestones", response={201: Created}, openapi_extra=isolation("supervision.Milestone", "create"))
def milestone_add(request: HttpRequest, payload: MilestoneIn) -> Any:
    data = payload.dict()
    data["task"] = get_related(request, TargetTask, data.pop("task_id"), "task_id")
    milestone = dec.milestone_create(actor=actor(request), origin=origin(request), data=data)
    return Status(201, {"id": milestone.pk})


@router.patch("/milestones/{int:pk}", response=Created, openapi_extra=isolation("supervision.Milestone", "object"))
def milestone_edit(request: HttpRequest, pk: int, payload: MilestonePatch, response: HttpResponse) -> Any:
    milestone = get_scoped(request, Milestone, pk, "change")
    data = payload.dict(exclude_unset=True)
    data["version"] = edited_version(request, milestone, data.pop("version", None))
    tag(response, dec.milestone_update(actor=actor(request), origin=origin(request), milestone=milestone, data=data))
    return {"id": milestone.pk}


@router.post("/problems", response={201: Created}, openapi_extra=isolation("supervision.Problem", "create"))
def problem_add(request: HttpRequest, payload: ProblemIn) -> Any:
    data = payload.dict()
    data["task"] = get_related(request, TargetTask, data.pop("task_id"), "task_id")
    data["owner_unit"] = get_related(request, Organization, data.pop("owner_unit_id"), "owner_unit_id")
    problem = dec.problem_create(actor=actor(request), origin=origin(request), data=data)
    return Status(201, {"id": problem.pk})


@router.patch("/problems/{int:pk}", response=Created, openapi_extra=isolation("supervision.Problem", "object"))
def problem_edit(request: HttpRequest, pk: int, payload: ProblemPatch, response: HttpResponse) -> Any:
    problem = get_scoped(request, Problem, pk, "change")
    data = payload.dict(exclude_unset=True)
    data["version"] = edited_version(request, problem, data.pop("version", None))
    tag(response, dec.problem_update(actor=actor(request), origin=origin(request), problem=problem, data=data))
    return {"id": problem.pk}


@router.post(
    "/indicators/{int:pk}/values", response={201: Created}, openapi_extra=isolation("supervision.Indicator", "object")
)
def indicator_value_add(request: HttpRequest, pk: int, payload: ValueIn) -> Any:
    indicator = get_scoped(request, Indicator, pk, "change")
    value = dec.indicator_value_create(
        actor=actor(request), origin=origin(request), data={"indicator": indicator, **payload.dict()}
    )
    return Status(201, {"id": value.pk})


@router.post("/rounds", response={201: Created}, openapi_extra=isolation("supervision.ReportingRound", "create"))
def round_add(request: HttpRequest, payload: RoundIn) -> Any:
    data = payload.dict()
    data["plan"] = get_related(request, Plan, data.pop("plan_id"), "plan_id")
    data["tasks"] = [get_related(request, TargetTask, pk, "task_ids") for pk in data.pop("task_ids")]
    round_ = rep.round_open(actor=actor(request), origin=origin(request), data=data)
    return Status(201, {"id": round_.pk})


@router.get("/rounds/{int:pk}", response=Created, openapi_extra=isolation("supervision.ReportingRound", "object"))
def round_detail(request: HttpRequest, pk: int) -> Any:
    return {"id": get_scoped(request, ReportingRound, pk).pk}


@router.post(
    "/reports/{int:pk}/sections",
    response={201: Created},
    openapi_extra=isolation("supervision.ProgressReport", "object"),
)
def report_section_add(request: HttpRequest, pk: int, payload: SectionIn) -> Any:
    report = get_scoped(request, ProgressReport, pk)
    section = rep.contribution_create(
        actor=actor(request), origin=origin(request), data={"report": report, "text": payload.text}
    )
    return Status(201, {"id": section.pk})
