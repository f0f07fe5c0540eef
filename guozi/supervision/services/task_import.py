"""Loading a year's task list from a spreadsheet (序号, 任务内容, 牵头单位, 配合单位, 完成时限).

Upsert by number within the plan, never deleting; a dry run first, then the real
run. Any bad row and nothing is written; every bad row is reported with its row
number, column and reason. A unit name that matches no organisation is an error
with the closest names as suggestions.
"""

from __future__ import annotations

import calendar
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guozi.core import audit
from guozi.core.changes import Origin, create_object
from guozi.core.choices import ChangeSource
from guozi.core.importing import filecheck, values
from guozi.core.importing.problems import FileRefused, RowError
from guozi.core.importing.reader import Cell, read_rows
from guozi.core.models import ImportBatch, Organization, User
from guozi.core.services.access import ensure_in_scope
from guozi.supervision.models import Plan, TargetTask
from guozi.supervision.services.plans import target_task_create, target_task_update

COLUMNS = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]
REQUIRED = {"序号", "任务内容", "牵头单位"}
#: How far down the sheet the header row may be (a title and a note above it are common).
HEADER_SEARCH_ROWS = 10
UNIT_SEPARATORS = re.compile(r"[、，,；;/\s]+")
MONTH_END = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月底前?$")
YEAR_END = re.compile(r"^(\d{4})年(?:底|末)前?$")


@dataclass
class TaskRow:
    row: int
    number: int
    text: str
    lead_unit: Organization
    partner_units: list[Organization]
    deadline: date | None


@dataclass
class TaskListCheck:
    sha256: str = ""
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Units:
    """Organisation names and short names the actor may see, with suggestions for the rest."""

    def __init__(self, actor: User) -> None:
        self.by_name: dict[str, Organization] = {}
        for org in Organization.objects.restrict(actor, "view"):
            self.by_name[org.name] = org
            if org.short_name:
                self.by_name.setdefault(org.short_name, org)

    def find(self, name: str) -> Organization:
        if name in self.by_name:
            return self.by_name[name]
        close = difflib.get_close_matches(name, list(self.by_name), n=3, cutoff=0.4)
        if close:
            raise values.BadValue(
                _("No organisation is called this. Did you mean: %(names)s?") % {"names": "、".join(close)}
            )
        raise values.BadValue(_("No organisation is called this."))


def _deadline(cell: Cell, plan: Plan) -> date | None:
    if values.is_blank(cell):
        return None
    raw = values.normalized(values.display(cell)).strip()
    if match := MONTH_END.match(raw):
        year, month = int(match.group(1) or plan.year), int(match.group(2))
        if 1 <= month <= 12:
            return date(year, month, calendar.monthrange(year, month)[1])
    if match := YEAR_END.match(raw):
        return date(int(match.group(1)), 12, 31)
    return values.day(cell, allow_future=True)


def _header(rows: list[tuple[int, list[Cell]]]) -> tuple[int, dict[str, int]]:
    for index, (_number, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [values.normalized(values.display(c)).strip() for c in row]
        if set(names) >= REQUIRED:
            return index, {name: names.index(name) for name in COLUMNS if name in names}
    raise FileRefused(_("No header row with 序号, 任务内容 and 牵头单位 was found in the first rows."))


def task_list_check(*, actor: User, plan: Plan, file_name: str, content: bytes) -> TaskListCheck:
    """The dry run: what the file would create, update and leave alone, or why it cannot be loaded."""
    check = TaskListCheck(sha256=hashlib.sha256(content).hexdigest())
    try:
        kind = filecheck.check_file(file_name, content)
        all_rows = list(read_rows(kind, content))
        header_at, columns = _header(all_rows)
    except FileRefused as refused:
        check.errors.append(RowError(0, "", file_name, refused.message))
        return check
    units = _Units(actor)
    existing = {t.number: t for t in TargetTask.objects.filter(plan=plan).prefetch_related("partner_units")}
    seen: dict[int, int] = {}
    for offset, cells in all_rows[header_at + 1 :]:

        def cell(name: str, cells: list[Cell] = cells) -> Cell:
            at = columns.get(name)
            return cells[at] if at is not None and at < len(cells) else None

        if all(values.is_blank(c) for c in cells):
            continue
        parsed: dict[str, Any] = {}
        for name, parse in (
            ("序号", values.whole_number),
            ("任务内容", lambda c: values.text(c, max_length=2000)),
            ("牵头单位", lambda c: units.find(values.text(c, max_length=100))),
            ("配合单位", lambda c: [units.find(n) for n in UNIT_SEPARATORS.split(values.display(c)) if n]),
            ("完成时限", lambda c: _deadline(c, plan)),
        ):
            value = cell(name)
            if name in REQUIRED and values.is_blank(value):
                check.errors.append(RowError(offset, name, "", _("This column must be filled in.")))
                continue
            try:
                parsed[name] = parse(value) if not values.is_blank(value) else None
            except values.BadValue as bad:
                check.errors.append(RowError(offset, name, values.display(value), bad.reason))
        number = parsed.get("序号")
        if number is not None:
            if number in seen:
                check.errors.append(
                    RowError(
                        offset,
                        "序号",
                        str(number),
                        _("Number %(n)s is also on row %(row)s.") % {"n": number, "row": seen[number]},
                    )
                )
            seen.setdefault(number, offset)
        if number is not None and len(parsed) == len(COLUMNS) and all(parsed.get(n) is not None for n in REQUIRED):
            row = TaskRow(
                offset, number, parsed["任务内容"], parsed["牵头单位"], parsed["配合单位"] or [], parsed["完成时限"]
            )
            check.rows.append(row)
            current = existing.get(number)
            if current is None:
                check.creates += 1
            elif _changes(current, row):
                check.updates += 1
            else:
                check.unchanged += 1
    return check


def _data(row: TaskRow) -> dict[str, Any]:
    return {"text": row.text, "lead_unit": row.lead_unit, "partner_units": row.partner_units, "deadline": row.deadline}


def _changes(task: TargetTask, row: TaskRow) -> dict[str, Any]:
    data = _data(row)
    changed = {k: v for k, v in data.items() if k != "partner_units" and getattr(task, k) != v}
    if {u.pk for u in task.partner_units.all()} != {u.pk for u in row.partner_units}:
        changed["partner_units"] = row.partner_units
    return changed


def _audit(actor: User, origin: Origin, file_name: str, check: TaskListCheck) -> None:
    audit.record_import(
        actor=actor,
        ip=origin.ip,
        what="target tasks",
        file_name=file_name,
        sha256=check.sha256,
        rows=len(check.rows),
        errors=len(check.errors),
    )


def task_list_import(*, actor: User, origin: Origin, plan: Plan, file_name: str, content: bytes) -> TaskListCheck:
    """The real run: checked again, then every create and update in one transaction, or nothing."""
    ensure_in_scope(actor, TargetTask(plan=plan, lead_unit=actor.organization), "add")
    check = task_list_check(actor=actor, plan=plan, file_name=file_name, content=content)
    if not check.ok:
        _audit(actor, origin, file_name, check)
        return check
    try:
        with transaction.atomic():
            batch = create_object(
                actor=actor,
                origin=origin,
                instance=ImportBatch(
                    file_name=file_name[:200],
                    sha256=check.sha256,
                    rows=len(check.rows),
                    organization=actor.organization,
                    created_by=actor,
                ),
            )
            from_import = Origin(ChangeSource.IMPORT, ip=origin.ip, import_batch=batch)
            existing = {t.number: t for t in TargetTask.objects.filter(plan=plan).prefetch_related("partner_units")}
            for row in check.rows:
                task = existing.get(row.number)
                if task is None:
                    target_task_create(
                        actor=actor, origin=from_import, data={"plan": plan, "number": row.number, **_data(row)}
                    )
                elif changes := _changes(task, row):
                    target_task_update(actor=actor, origin=from_import, targettask=task, data=changes)
            _audit(actor, origin, file_name, check)
    except ValidationError as invalid:
        # A rule of the model the row checks could not see (a constraint): report it, write nothing.
        check.errors.append(RowError(0, "", file_name, "; ".join(invalid.messages)))
        _audit(actor, origin, file_name, check)
        return check
    check.imported = True
    return check
