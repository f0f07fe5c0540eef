"""The rows of a list's export, streamed from the database in the cells the table would give.

A list page's export holds what the page's django-tables2 table shows, every page of it.
``Table.as_values()`` gets there through a model instance per row and the table's cell
machinery per cell, and the export used to hold all of it in a list: at a million rows
that is most of the export's time and memory. :func:`table_rows` asks the database for
the table's columns only (``values_list`` over the table's own filtered, scoped, sorted
queryset, read in chunks), with the related fields the accessors name joined in SQL, and
turns each raw value into what ``as_values()`` would have written: the choice label, the
related row's ``str()``, the column's ``render``/``value`` (money in 万元, dates in ISO).

A column it cannot reproduce without a model instance (a ``render_<name>``/``value_<name>``
method on the table, a property accessor, a many-to-many field, a column type not known
here) makes the whole table fall back to ``as_values()``'s own cell code over instances
read in chunks: still streamed, never wrong, only slower.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from itertools import islice
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.encoding import force_str
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow

#: Rows read from the database at a time: large enough that round trips do not count,
#: small enough that a chunk's raw tuples stay a few MiB.
CHUNK = 2000
#: Related rows' names kept between chunks; cleared when it grows past this, so an export
#: whose rows each name a different related row (revitalisations → assets) stays bounded.
NAME_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class _Column:
    """How one table column's cell is made from one ``values_list`` value."""

    path: str
    empty_values: tuple[Any, ...]
    #: The choice labels of the field, when the field has choices (translated once, per export).
    labels: dict[Any, Any] | None
    #: The related model whose ``str()`` the cell shows, when the accessor ends at a foreign key.
    related: type[models.Model] | None
    #: The column's own ``render``/``value``, given the (labelled, related) value; None for the
    #: plain column, whose value is the value.
    finish: Callable[[Any], Any] | None


def _field_chain(model: type[models.Model], accessor: str) -> list[models.Field[Any, Any]] | None:
    """The fields an accessor walks through, when every step but the last is a forward foreign key."""
    if "." in accessor:
        return None
    fields: list[models.Field[Any, Any]] = []
    current = model
    parts = accessor.split("__")
    for index, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # a property or method: needs an instance
        if not getattr(field, "concrete", False) or field.many_to_many:
            return None
        fields.append(field)  # type: ignore[arg-type]
        if index < len(parts) - 1:
            if not (field.many_to_one or field.one_to_one) or field.related_model is None:
                return None
            current = field.related_model
    return fields


def _only_takes_value(method: Callable[..., Any]) -> bool:
    return list(inspect.signature(method).parameters) == ["value"]


def _date_or(iso: Callable[[Any], str], date_type: type, none: Any, value: Any) -> Any:
    return iso(value) if isinstance(value, date_type) else none


def _finisher(bound: Any, table: tables.Table) -> Callable[[Any], Any] | None:
    """The column's ``value()`` as a function of the cell value alone, or None if it needs more."""
    column = bound.column
    kind = type(column)
    for date_column, date_type, iso in (
        (tables.DateTimeColumn, datetime, lambda v: v.isoformat(sep=" ")),
        (tables.DateColumn, date, lambda v: v.isoformat()),
    ):
        if isinstance(column, date_column) and kind.value is date_column.value:
            # Anything but a date (an empty cell) is the column's template over no date: the
            # same every time, so rendered once here through the table's own cell call.
            none = BoundRow(None, table=table)._call_value(bound, None)
            return partial(_date_or, iso, date_type, none)
    if isinstance(column, tables.BooleanColumn) and kind.value is tables.BooleanColumn.value:
        return lambda v: str(bool(v))
    if isinstance(column, BaseLinkColumn) and kind.value is BaseLinkColumn.value:
        return (lambda v: v) if column.text is None else None
    if kind.value is tables.Column.value and kind.render is tables.Column.render:
        return _identity
    if kind.value is tables.Column.value and _only_takes_value(column.render):
        return column.render  # one like MoneyColumn's, which formats the value alone
    return None


def _identity(value: Any) -> Any:
    return value


def _plan(table: tables.Table) -> list[_Column] | None:
    model = table._meta.model
    if model is None:
        return None
    plan = []
    for bound in table.columns.iterall():
        if bound.column.exclude_from_export:
            continue
        name = bound.name
        if hasattr(table, f"render_{name}") or hasattr(table, f"value_{name}"):
            return None
        chain = _field_chain(model, str(bound.accessor))
        finish = _finisher(bound, table)
        if chain is None or finish is None:
            return None
        last = chain[-1]
        related = last.related_model if last.is_relation else None
        choices = getattr(last, "choices", None)
        plan.append(
            _Column(
                path=str(bound.accessor),
                empty_values=tuple(bound.column.empty_values),
                labels=(
                    {key: force_str(label, strings_only=True) for key, label in last.flatchoices}
                    if choices and related is None
                    else None
                ),
                related=related,
                finish=None if finish is _identity else finish,
            )
        )
    return plan


def table_header(table: tables.Table) -> list[str]:
    """The export's header row: the table's column headers, as ``as_values()`` gives them."""
    return [
        force_str(bound.header, strings_only=True)
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]


def _names(related: type[models.Model], pks: set[Any]) -> dict[Any, str]:
    """``str()`` of the related rows, one query: their own foreign keys joined, as ``__str__`` often reads them."""
    direct = [f.name for f in related._meta.concrete_fields if f.is_relation]
    return {obj.pk: str(obj) for obj in related._base_manager.select_related(*direct).filter(pk__in=pks)}


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _planned_rows(queryset: models.QuerySet[Any], plan: list[_Column]) -> Iterator[list[Any]]:
    names: dict[type[models.Model], dict[Any, str]] = {c.related: {} for c in plan if c.related is not None}
    # Tuples, not instances: prefetching has nothing to attach to (and the cells need none).
    raw = queryset.prefetch_related(None).values_list(*(c.path for c in plan)).iterator(chunk_size=CHUNK)
    for chunk in _chunks(raw):
        # The related rows' names this chunk needs and the cache lacks: one query per related model.
        for index, column in enumerate(plan):
            if column.related is None:
                continue
            known = names[column.related]
            needed = {row[index] for row in chunk if row[index] is not None}
            missing = needed - known.keys()
            if missing:
                if len(known) + len(missing) > NAME_CACHE_LIMIT:
                    known.clear()
                    missing = needed
                known.update(_names(column.related, missing))
        # The inner loop runs once per cell (ten million at a million rows): locals only.
        steps = [
            (c.labels, names[c.related] if c.related is not None else None, c.empty_values, c.finish) for c in plan
        ]
        for row in chunk:
            cells: list[Any] = []
            append = cells.append
            for (labels, related_names, empty, finish), value in zip(steps, row, strict=True):
                if value is not None:
                    if labels is not None:
                        value = labels.get(value, value)
                    elif related_names is not None:
                        value = related_names[value]  # the foreign key guarantees the row
                if value in empty:
                    append(None)
                    continue
                if finish is not None:
                    value = finish(value)
                append(value if type(value) is str else force_str(value, strings_only=True))
            yield cells


def _instance_rows(table: tables.Table, queryset: models.QuerySet[Any]) -> Iterator[list[Any]]:
    """``as_values()``'s own cells, over instances read in chunks instead of all at once."""
    names = [b.name for b in table.columns.iterall() if not b.column.exclude_from_export]
    for record in queryset.iterator(chunk_size=CHUNK):
        row = BoundRow(record, table=table)
        yield [force_str(row.get_cell_value(name), strings_only=True) for name in names]


def table_rows(table: tables.Table) -> Iterator[list[Any]]:
    """Every row of a configured table over a queryset, as ``table.as_values()`` gives them (header aside).

    Guarantee: the same rows, in the same order, with the same cell values as
    ``as_values()`` — the table's queryset (its scope, filters and sort) is the only source.
    """
    queryset = table.data.data
    plan = _plan(table)
    if plan is None:
        return _instance_rows(table, queryset)
    return _planned_rows(queryset, plan)
