"""Writes to a task's work items, milestones, indicators and their values, and problems."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guozi.core.changes import Origin
from guozi.core.models import User
from guozi.core.services.generic import scoped_create, scoped_update
from guozi.supervision.models import Indicator, IndicatorValue, Milestone, Problem, WorkItem


def _check_work_item(item: WorkItem) -> None:
    if item.parent is not None and item.parent.task_id != item.task_id:
        raise ValidationError({"parent": _("A sub-item belongs to the same task as its parent.")})


def work_item_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> WorkItem:
    _check_work_item(WorkItem(**data))
    return scoped_create(actor=actor, origin=origin, model=WorkItem, data=data)


def work_item_update(*, actor: User, origin: Origin, workitem: WorkItem, data: Mapping[str, Any]) -> WorkItem:
    _check_work_item(WorkItem(**{"task": workitem.task, "parent": workitem.parent, **data}))
    return scoped_update(actor=actor, origin=origin, instance=workitem, data=data)


def milestone_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Milestone:
    return scoped_create(actor=actor, origin=origin, model=Milestone, data=data)


def milestone_update(*, actor: User, origin: Origin, milestone: Milestone, data: Mapping[str, Any]) -> Milestone:
    return scoped_update(actor=actor, origin=origin, instance=milestone, data=data)


def indicator_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Indicator:
    return scoped_create(actor=actor, origin=origin, model=Indicator, data=data)


def indicator_update(*, actor: User, origin: Origin, indicator: Indicator, data: Mapping[str, Any]) -> Indicator:
    return scoped_update(actor=actor, origin=origin, instance=indicator, data=data)


def indicator_value_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> IndicatorValue:
    return scoped_create(actor=actor, origin=origin, model=IndicatorValue, data=data)


def problem_create(*, actor: User, origin: Origin, data: Mapping[str, Any]) -> Problem:
    return scoped_create(actor=actor, origin=origin, model=Problem, data=data)


def problem_update(*, actor: User, origin: Origin, problem: Problem, data: Mapping[str, Any]) -> Problem:
    if (
        "closed_on" in data
        and data["closed_on"] != problem.closed_on
        and not actor.has_perm("supervision.review_progressreport")
    ):
        # 销号 is the supervision office's word that a problem is resolved.
        raise ValidationError({"closed_on": _("Only the supervision office closes a problem.")})
    return scoped_update(actor=actor, origin=origin, instance=problem, data=data)
