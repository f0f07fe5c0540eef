"""Lists that cost the same on page 1 and on page 10,000: keyset (seek) pages and bounded counts.

Why: ``OFFSET n`` reads and throws away n rows, and ``COUNT(*)`` reads every row the filters
leave; over millions of ledger rows either takes seconds (docs/lists.md). A keyset page starts
where the previous one ended, ``WHERE (k1, id) > (v1, v7) ORDER BY k1, id LIMIT n``: given an
index on ``(k1, id)`` that is one index seek, whatever the page. A bounded count counts at most
``CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT … LIMIT 10001)``): exact below the cap,
"more than 10,000" above it.

The order is the queryset's own (``order_by`` or the model's ``Meta.ordering``), made total by
the primary key as the last key. Keyset paging needs keys that are never NULL (a NULL compares
as unknown, so a row holding one would be skipped); an order with a nullable key, an
expression or ``?`` falls back to ``OFFSET`` pages, which are correct and cost what they cost.

A cursor names the order it was taken in: a cursor of another order (a clerk clicked another
column header) is ignored and the list starts at its first page, never answers an error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.expressions import OrderBy

#: Counts stop here: beyond it a list says "more than 10,000".
CAP = 10_000


@dataclass(frozen=True)
class Key:
    """One column of a list's order: an ORM path (``book_value``, ``enterprise_id``, ``pk``)."""

    path: str
    descending: bool
    field: models.Field[Any, Any]

    @property
    def term(self) -> str:
        return ("-" if self.descending else "") + self.path


def _terms(item: Any) -> tuple[str, bool] | None:
    """An ``order_by`` item as (path, descending); None for what keyset paging cannot follow."""
    if isinstance(item, str):
        if item == "?" or "." in item:
            return None
        return item.lstrip("-+"), item.startswith("-")
    if isinstance(item, F):
        return str(item.name), False  # type: ignore[attr-defined]  # F has a name; the stubs omit it
    if isinstance(item, OrderBy) and isinstance(item.expression, F) and not (item.nulls_first or item.nulls_last):
        return str(item.expression.name), item.descending  # type: ignore[attr-defined]
    return None


def _expand(model: type[models.Model], item: Any, flip: bool, depth: int = 0) -> list[Key] | None:
    """``item`` as keys on concrete columns; a relation orders by its model's ordering, as Django does."""
    found = _terms(item)
    if found is None or depth > 3:
        return None
    path, descending = found
    descending ^= flip
    current, prefix = model, ""
    parts = path.split("__")
    for part in parts[:-1]:
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        # Only a required forward link: an outer join would bring NULLs into the key.
        if not (field.many_to_one or field.one_to_one) or field.null or not field.concrete:
            return None
        current, prefix = field.related_model, f"{prefix}{part}__"  # type: ignore[assignment]
    last = parts[-1]
    try:
        field = current._meta.pk if last == "pk" else current._meta.get_field(last)
    except FieldDoesNotExist:
        return None
    if field is None or not field.concrete or field.null:
        return None
    if field.is_relation and last != field.attname:
        # ``enterprise``: Django orders by the related model's ordering, or by the id.
        related: type[models.Model] = field.related_model  # type: ignore[assignment]
        ordering = related._meta.ordering
        if not ordering:
            return [Key(f"{prefix}{field.attname}", descending, field)]
        keys: list[Key] = []
        for sub in ordering:
            expanded = _expand(related, sub, descending, depth + 1)
            if expanded is None:
                return None
            keys += [Key(f"{prefix}{last}__{key.path}", key.descending, key.field) for key in expanded]
        return keys
    return [Key(f"{prefix}{last}", descending, field)]


def ordering_keys(queryset: models.QuerySet[Any]) -> list[Key] | None:
    """The queryset's order as keys ending in the primary key, or None if keyset paging cannot follow it."""
    query = queryset.query
    order = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    keys: list[Key] = []
    for item in order:
        expanded = _expand(queryset.model, item, flip=False)
        if expanded is None:
            return None
        keys += [key for key in expanded if key.path not in {k.path for k in keys}]
    pk = queryset.model._meta.pk
    assert pk is not None  # nosec B101 # type narrowing: every concrete model has one
    if not any(key.path in {"pk", pk.attname} for key in keys):
        # The tie-breaker runs the way the last key runs, so one index serves both directions.
        keys.append(Key("pk", keys[-1].descending if keys else False, pk))
    return keys


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)  # Decimal, UUID: exact as text


def _value(row: Any, path: str, index: int) -> Any:
    # A joined key was read with the row (``page_of`` annotates it): no query per cursor.
    return getattr(row, f"keyset_{index}") if "__" in path else getattr(row, path)


@dataclass(frozen=True)
class Cursor:
    """A position in a list: after (or before) the row with these key values, in this order."""

    values: tuple[Any, ...]
    forward: bool

    @staticmethod
    def of(row: Any, keys: Sequence[Key]) -> str:
        """The token of the position at ``row``: its order and its key values, as URL-safe text."""
        values = [_plain(_value(row, key.path, i)) for i, key in enumerate(keys)]
        text = json.dumps({"k": [key.term for key in keys], "v": values}, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @staticmethod
    def read(token: str | None, keys: Sequence[Key], *, forward: bool) -> Cursor | None:
        """The cursor in ``token`` if it was taken in this order and its values fit the columns; else None."""
        if not token or len(token) > 2000:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(payload, dict) or payload.get("k") != [key.term for key in keys]:
                return None
            raw = payload["v"]
            if not isinstance(raw, list) or len(raw) != len(keys):
                return None
            values = tuple(key.field.to_python(value) for key, value in zip(keys, raw, strict=True))
        except (ValueError, TypeError, KeyError, ValidationError, binascii.Error, OverflowError):
            return None
        if any(value is None for value in values):
            return None
        return Cursor(values, forward)


class Row(Func):
    """A row value ``(a, b, c)``; compared as a whole it is one index range on an index (a, b, c)."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = models.Field()


def beyond(keys: Sequence[Key], cursor: Cursor) -> tuple[Q, dict[str, Row]]:
    """The rows after (forward) or before the cursor's row in the keys' order.

    When the keys all run one way: ``(k1, k2, id) > (v1, v2, v7)``, a row-value comparison
    (SQL-92; SQLite ≥ 3.15, PostgreSQL) that both databases turn into one index range, so the
    scan starts at the cursor however deep the page, also inside a run of equal ``k1``. Keys
    that run both ways cannot be one row value: ``(k1 > v1) OR (k1 = v1 AND k2 < v2) …``,
    AND-ed with the redundant ``k1 >= v1``, the one range the databases then see. Returns the
    condition and the row values it names (to ``alias``).
    """
    first = keys[0]
    op = "lte" if first.descending == cursor.forward else "gte"
    if len({key.descending for key in keys}) > 1:
        either = Q()
        equal: dict[str, Any] = {}
        for key, value in zip(keys, cursor.values, strict=True):
            strict = "lt" if key.descending == cursor.forward else "gt"
            either |= Q(**equal, **{f"{key.path}__{strict}": value})
            equal[key.path] = value
        return Q(**{f"{first.path}__{op}": cursor.values[0]}) & either, {}
    # No single-column range beside the row values: SQLite would take it instead of theirs.
    condition = Q()
    rows = {"keyset_row": (keys, "lt" if first.descending == cursor.forward else "gt")}
    if len(keys) > 2:
        # SQLite takes a row value as an index range only on the index's own columns: the
        # keys before the id, ``(enterprise_id, code) >= (5, 'ZC-89470')``, not the rowid too.
        rows["keyset_prefix"] = (keys[:-1], op)
    aliases: dict[str, Row] = {}
    for name, (part, lookup) in rows.items():
        aliases[name] = Row(*[F(key.path) for key in part])
        values = [Value(value, output_field=key.field) for key, value in zip(part, cursor.values, strict=False)]
        condition &= Q(**{f"{name}__{lookup}": Row(*values)})
    return condition, aliases


def _beyond(queryset: models.QuerySet[Any], keys: Sequence[Key], cursor: Cursor) -> models.QuerySet[Any]:
    condition, aliases = beyond(keys, cursor)
    return queryset.alias(**aliases).filter(condition)


@dataclass
class Page:
    """One page of a list: its rows, whether there are more either side, and how to get there."""

    rows: list[Any]
    has_next: bool
    has_previous: bool
    #: Query parameters of the neighbouring pages (``after=…``/``before=…`` or ``page=n``).
    next_params: dict[str, str]
    previous_params: dict[str, str]
    keyset: bool


def page_of(
    queryset: models.QuerySet[Any], *, per_page: int, after: str | None = None, before: str | None = None, page: int = 1
) -> Page:
    """The page of ``queryset`` after/before a cursor (keyset) or, where the order allows none, page ``page``.

    Reads ``per_page + 1`` rows: the extra one only says whether another page follows.
    """
    keys = ordering_keys(queryset)
    if keys is None:
        return _offset_page(queryset, per_page, page)
    joined = {f"keyset_{i}": F(key.path) for i, key in enumerate(keys) if "__" in key.path}
    ordered = queryset.annotate(**joined).order_by(*[key.term for key in keys])
    cursor = Cursor.read(after, keys, forward=True) or Cursor.read(before, keys, forward=False)
    if cursor is None:
        # Page n without a cursor (a page number typed in): OFFSET, once; its links are cursors.
        start = (max(page, 1) - 1) * per_page
        rows = list(ordered[start : start + per_page + 1])
        has_next, has_previous = len(rows) > per_page, start > 0
        rows = rows[:per_page]
    elif cursor.forward:
        rows = list(_beyond(ordered, keys, cursor)[: per_page + 1])
        has_next, has_previous = len(rows) > per_page, True
        rows = rows[:per_page]
    else:
        backwards = _beyond(ordered, keys, cursor).reverse()
        rows = list(backwards[: per_page + 1])
        has_next, has_previous = True, len(rows) > per_page
        rows = rows[:per_page][::-1]
    return Page(
        rows=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_params={"after": Cursor.of(rows[-1], keys)} if rows else {},
        previous_params={"before": Cursor.of(rows[0], keys)} if rows else {},
        keyset=True,
    )


def _offset_page(queryset: models.QuerySet[Any], per_page: int, page: int) -> Page:
    start = (max(page, 1) - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(
        rows=rows[:per_page],
        has_next=len(rows) > per_page,
        has_previous=page > 1,
        next_params={"page": str(page + 1)},
        previous_params={"page": str(page - 1)},
        keyset=False,
    )


def bounded_count(queryset: models.QuerySet[Any], cap: int = CAP) -> tuple[int, bool]:
    """(count, exact): the exact count up to ``cap``, else (``cap``, False), reading at most cap + 1 rows."""
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return (found, True) if found <= cap else (cap, False)
