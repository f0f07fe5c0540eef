from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from guozi.core.api.base import get_scoped, isolation, scoped
from guozi.supervision.models import Plan, TargetTask

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
@paginate(PageNumberPagination, page_size=50)
def plan_list(request: HttpRequest) -> Any:
    return scoped(request, Plan)


@router.get("/plans/{int:pk}", response=PlanOut, openapi_extra=isolation("supervision.Plan", "object"))
def plan_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, Plan, pk)


@router.get("/tasks", response=list[TargetTaskOut], openapi_extra=isolation(TASK, "list"))
@paginate(PageNumberPagination, page_size=50)
def task_list(request: HttpRequest, plan: int | None = None) -> Any:
    tasks = scoped(request, TargetTask).prefetch_related("partner_units")
    return tasks.filter(plan_id=plan) if plan else tasks


@router.get("/tasks/{int:pk}", response=TargetTaskOut, openapi_extra=isolation(TASK, "object"))
def task_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, TargetTask, pk)
