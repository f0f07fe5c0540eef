"""The change log: every write of every model, recorded in the transaction that makes it.

Services call :func:`create_object`, :func:`update_object` and :func:`delete_object`
(or :func:`record_change` directly). Each validates with ``full_clean()``, writes,
and records who, when, from where, before and after inside one
``transaction.atomic`` block: if the record cannot be written, the change is
rolled back too (GB/T 22239-2019 8.1.4.3 d, fail closed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, ProtectedError, Q
from django.utils.translation import gettext as _

from guozi.core.choices import ChangeAction, ChangeSource
from guozi.core.models import ChangeRecord, ImportBatch, User
from guozi.core.models.base import Versioned
from guozi.core.scope import owning_organization_id

M = TypeVar("M", bound=models.Model)

#: Never copied into the change log: a field name anywhere, or "app_label.Model.field" for one
#: model (second-factor keys and backup codes; "key" alone is an ordinary field elsewhere).
SECRET_FIELDS = {"password", "otp_totp.TOTPDevice.key", "otp_static.StaticToken.token"}
#: Kept out of the change log as file contents are: a large value whose SHA-256 is a field of
#: the same row, which the log does keep (a generated report's document, 350 KB at 200 tasks,
#: had been serialised three more times and stored a second time by every generation;
#: ``guozi audit verify`` rechecks the digest against the row).
DIGESTED_FIELDS = {"reports.GeneratedReport.content"}
#: Bookkeeping that changes on every save and is no change in itself.
BOOKKEEPING_FIELDS = {"updated_at", "version"}


class EditConflict(ValidationError):
    """Someone saved the row after the editor read it: nothing was written.

    ``current`` is the version now stored; the form shows what changed since
    ``edited`` (:func:`changes_since`) and lets the editor save again on purpose.
    """

    def __init__(self, instance: models.Model, *, edited: int, current: int) -> None:
        super().__init__(
            {
                "version": _(
                    "Someone else saved this record while you were editing (now version %(current)s, "
                    "you started from version %(edited)s). Nothing of yours was saved: compare with "
                    "their change, then save again."
                )
                % {"current": current, "edited": edited}
            },
            code="conflict",
        )
        self.instance = instance
        self.edited = edited
        self.current = current


@dataclass(frozen=True)
class Origin:
    """Where a write comes from: the web, the API, an import batch or a command."""

    source: ChangeSource
    ip: str | None = None
    import_batch: ImportBatch | None = None

    @classmethod
    def web(cls, request: Any) -> Origin:
        return cls(ChangeSource.WEB, ip=request.META.get("REMOTE_ADDR"))

    @classmethod
    def api(cls, request: Any) -> Origin:
        return cls(ChangeSource.API, ip=request.META.get("REMOTE_ADDR"))


COMMAND = Origin(ChangeSource.COMMAND)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's stored values as JSON-safe data (foreign keys as ids, many-to-many as id lists)."""
    data = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        # File contents stay out of the log: their SHA-256 is a field of its own.
        if field.name not in SECRET_FIELDS
        and f"{instance._meta.label}.{field.name}" not in SECRET_FIELDS
        and f"{instance._meta.label}.{field.name}" not in DIGESTED_FIELDS
        and not isinstance(field, models.BinaryField)
    }
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def _without_bookkeeping(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in BOOKKEEPING_FIELDS}


def change_record(
    *,
    actor: User,
    origin: Origin,
    action: ChangeAction,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
) -> ChangeRecord:
    """An unsaved change record: bulk writers (imports) insert many with ``bulk_create``."""
    return ChangeRecord(
        actor=actor,
        actor_name=actor.get_username(),
        source=origin.source,
        ip=origin.ip,
        import_batch=origin.import_batch,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:200],
        organization_id=owning_organization_id(instance),
        before=before,
        after=after,
    )


def record_change(
    *,
    actor: User,
    origin: Origin,
    action: ChangeAction,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
) -> ChangeRecord:
    record = change_record(
        actor=actor, origin=origin, action=action, instance=instance, before=before, after=after, object_id=object_id
    )
    record.save(force_insert=True)
    return record


def split_many_to_many(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain fields, many-to-many fields) of ``data``: the latter are set after saving."""
    names = {field.name for field in model._meta.many_to_many}
    plain = {key: value for key, value in data.items() if key not in names}
    return plain, {key: value for key, value in data.items() if key in names}


def full_clean_not_null(instance: models.Model) -> None:
    """``full_clean()``, and no ``None`` in a column that cannot hold NULL.

    Django's validation skips an empty value of a ``blank=True`` field, ``None``
    included, so ``{"short_name": null}`` in an API PATCH passed validation and
    failed in the database as a 500 (found by tests/test_api_fuzz.py).
    """
    instance.full_clean()
    errors = {
        field.name: [field.error_messages["null"]]
        for field in instance._meta.concrete_fields
        if not field.null
        and not field.primary_key
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and getattr(instance, field.attname) is None
    }
    if errors:
        raise ValidationError(errors)


def create_object(*, actor: User, origin: Origin, instance: M, many: Mapping[str, Any] | None = None) -> M:
    """Validate and insert ``instance`` (then set its many-to-many ``many``), recording the creation."""
    full_clean_not_null(instance)
    with transaction.atomic():
        instance.save(force_insert=True)
        for name, values in (many or {}).items():
            getattr(instance, name).set(values)
        record_change(
            actor=actor,
            origin=origin,
            action=ChangeAction.CREATE,
            instance=instance,
            before=None,
            after=snapshot(instance),
        )
    return instance


def _stored_version(model: type[models.Model], pk: Any) -> int:
    return int(model._base_manager.filter(pk=pk).values_list("version", flat=True).get())


def claim_version(instance: Versioned, edited: int, **expected: Any) -> None:
    """Compare-and-swap the row's version from ``edited`` to ``edited + 1``, or raise :class:`EditConflict`.

    Guarantee: of two writers that started from the same version, exactly one gets
    past this line; the other changes nothing. It is one conditional UPDATE, so it
    holds on PostgreSQL under READ COMMITTED and without ``select_for_update``
    (which SQLite ignores). ``expected`` adds conditions (``state="submitted"`` for a
    workflow step). Call inside the transaction that then saves the row.
    """
    model = type(instance)
    claimed = model._base_manager.filter(pk=instance.pk, version=edited, **expected).update(version=F("version") + 1)
    if claimed != 1:
        raise EditConflict(instance, edited=edited, current=_stored_version(model, instance.pk))
    instance.version = edited + 1


def claim_versions(model: type[Versioned], instances: list[Any], batch_size: int = 200) -> None:
    """:func:`claim_version` for many rows at once (imports): all claimed, or :class:`EditConflict`."""
    for start in range(0, len(instances), batch_size):
        chunk = instances[start : start + batch_size]
        condition = Q()
        for instance in chunk:
            condition |= Q(pk=instance.pk, version=instance.version)
        claimed = model._base_manager.filter(condition).update(version=F("version") + 1)
        if claimed != len(chunk):
            stored = dict(model._base_manager.filter(pk__in=[i.pk for i in chunk]).values_list("pk", "version"))
            stale = next(i for i in chunk if stored.get(i.pk) != i.version)
            raise EditConflict(stale, edited=stale.version, current=stored.get(stale.pk, 0))
    for instance in instances:
        instance.version += 1


def changes_since(model: type[models.Model], pk: Any, version: int) -> list[ChangeRecord]:
    """The change records of one row written after ``version``, oldest first: what a late editor missed."""
    return list(
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk), after__version__gt=version
        ).order_by("id")
    )


def update_object(*, actor: User, origin: Origin, instance: M, data: Mapping[str, Any]) -> M:
    """Set ``data`` on ``instance``, validate and save, recording before and after.

    ``before`` is read from the database, not from the object in hand, so the log
    shows what was really overwritten.

    A :class:`Versioned` row is saved only if it is still at the version the editor
    started from: ``data["version"]`` (a form's hidden field, the API's ``If-Match``)
    or else the version of ``instance`` as read. Otherwise :class:`EditConflict`,
    and nothing is written: no lost updates (SECURITY.md 4.2).
    """
    plain, many = split_many_to_many(type(instance), data)
    edited = plain.pop("version", None)
    with transaction.atomic():
        stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        before = snapshot(stored)
        versioned = instance if isinstance(instance, Versioned) else None
        if versioned is not None:
            edited = int(edited) if edited is not None else versioned.version
            if edited != getattr(stored, "version", None):
                raise EditConflict(versioned, edited=edited, current=_stored_version(type(instance), instance.pk))
        for name, value in plain.items():
            setattr(instance, name, value)
        full_clean_not_null(instance)
        if versioned is not None:
            claim_version(versioned, edited)
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
        # As stored, not as handed in: Decimal("60000") reads back as 60000.00, like "before".
        after = snapshot(type(instance)._base_manager.get(pk=instance.pk))
        if _without_bookkeeping(after) != _without_bookkeeping(before):
            record_change(
                actor=actor,
                origin=origin,
                action=ChangeAction.UPDATE,
                instance=instance,
                before=before,
                after=after,
            )
    return instance


def delete_object(*, actor: User, origin: Origin, instance: models.Model) -> None:
    """Delete ``instance``, keeping its last values in the change log.

    A :class:`Versioned` row is deleted only if still at the version of ``instance``:
    a row saved by someone else since it was read is not deleted unseen.
    """
    with transaction.atomic():
        if isinstance(instance, Versioned):
            claim_version(instance, instance.version)
        pk = instance.pk
        before = snapshot(instance)
        # Recorded first: the record names the row's organisation while it still exists.
        record_change(
            actor=actor,
            origin=origin,
            action=ChangeAction.DELETE,
            instance=instance,
            before=before,
            after=None,
            object_id=pk,
        )
        try:
            instance.delete()
        except ProtectedError as error:
            # Other records still point here: refuse and name a few, rather than fail with a 500.
            names = "、".join(str(obj) for obj in list(error.protected_objects)[:3])
            raise ValidationError(
                _("Still referred to by other records (%(names)s): remove or move them first.") % {"names": names}
            ) from error
