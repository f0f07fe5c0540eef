"""Writes to plans and target tasks."""

from collections.abc import Mapping
from typing import Any

from guozi.core.changes import Origin, create_object, split_many_to_many, update_object
from guozi.core.models import User
from guozi.core.services.access import ensure_in_scope
from guozi.core.services.generic import scoped_delete
from guozi.supervision.models import Plan, TargetTask


def plan_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Plan:
    plan = Plan(**data)
    ensure_in_scope(actor, plan, "add")
    return create_object(actor=actor, origin=origin, instance=plan)


def plan_update(*, actor: User, origin: Origin, plan: Plan, data: Mapping[str, Any]) -> Plan:
    ensure_in_scope(actor, plan, "change")
    if "issuer" in data:
        ensure_in_scope(actor, Plan(issuer=data["issuer"]), "change")
    return update_object(actor=actor, origin=origin, instance=plan, data=data)


def target_task_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> TargetTask:
    plain, many = split_many_to_many(TargetTask, data)
    task = TargetTask(**plain)
    ensure_in_scope(actor, task, "add")
    return create_object(actor=actor, origin=origin, instance=task, many=many)


def target_task_update(*, actor: User, origin: Origin, targettask: TargetTask, data: Mapping[str, Any]) -> TargetTask:
    ensure_in_scope(actor, targettask, "change")
    if "lead_unit" in data:
        # Handing a task to a unit outside the actor's scope is refused too.
        ensure_in_scope(actor, TargetTask(lead_unit=data["lead_unit"]), "change")
    return update_object(actor=actor, origin=origin, instance=targettask, data=data)


def target_task_delete(*, actor: User, origin: Origin, targettask: TargetTask) -> None:
    scoped_delete(actor=actor, origin=origin, instance=targettask)
