"""The supervision models' pages, one declaration each."""

from guozi.core.views.generic import ObjectViews
from guozi.supervision import filtersets, forms, tables
from guozi.supervision.models import Plan, TargetTask
from guozi.supervision.services.plans import (
    plan_create,
    plan_update,
    target_task_create,
    target_task_delete,
    target_task_update,
)


class PlanViews(ObjectViews):
    model = Plan
    filterset = filtersets.PlanFilterSet
    table = tables.PlanTable
    form = forms.PlanForm
    create = plan_create
    update = plan_update


class TargetTaskViews(ObjectViews):
    model = TargetTask
    filterset = filtersets.TargetTaskFilterSet
    table = tables.TargetTaskTable
    form = forms.TargetTaskForm
    create = target_task_create
    update = target_task_update
    delete = target_task_delete
