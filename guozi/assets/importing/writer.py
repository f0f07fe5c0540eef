"""Assets and their change records, written in bulk, in the caller's transaction.

An import writes thousands of rows: one INSERT per row and one change record per
INSERT through ``core.changes`` would take minutes. This writes each chunk with
``bulk_create``/``bulk_update`` and records every created and every changed asset in
the change log with one ``bulk_create`` of ``ChangeRecord`` rows: the same records
``core.changes.record_change`` writes one by one (the log is append-only; inserts are
all it takes). Nothing here opens a transaction: the import service wraps the whole
file in one, so a failure anywhere leaves neither assets nor records behind.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from guozi.assets.models import LEDGER_FIELDS, Asset
from guozi.core.changes import Origin, snapshot
from guozi.core.choices import ChangeAction
from guozi.core.models import ChangeRecord, User


def _record(
    actor: User,
    origin: Origin,
    content_type: ContentType,
    action: ChangeAction,
    asset: Asset,
    before: dict[str, Any] | None,
) -> ChangeRecord:
    # Field for field what core.changes.record_change writes.
    return ChangeRecord(
        actor=actor,
        actor_name=actor.get_username(),
        source=origin.source,
        ip=origin.ip,
        import_batch=origin.import_batch,
        action=action,
        content_type=content_type,
        object_id=str(asset.pk),
        object_repr=str(asset)[:200],
        organization_id=asset.enterprise_id,
        before=before,
        after=snapshot(asset),
    )


def write_assets(
    *,
    actor: User,
    origin: Origin,
    creates: list[Asset],
    updates: list[tuple[Asset, dict[str, Any]]],
) -> None:
    """Insert ``creates``, save ``updates`` (each with its snapshot from before), record each change.

    Each asset is validated field by field first; its foreign keys and uniqueness the
    caller has settled (they were resolved from, and checked against, the database).
    """
    # bulk_create must hand back the new ids: the change records name them.
    assert connection.features.can_return_rows_from_bulk_insert, "bulk inserts must return ids"
    for asset in [*creates, *(asset for asset, _ in updates)]:
        asset.full_clean(
            exclude=["enterprise", "category", "import_batch"], validate_unique=False, validate_constraints=False
        )
    Asset.objects.bulk_create(creates)
    now = timezone.now()
    for asset, _ in updates:
        asset.updated_at = now
    Asset.objects.bulk_update(
        [asset for asset, _ in updates], [*LEDGER_FIELDS, "import_batch", "updated_at"], batch_size=200
    )
    content_type = ContentType.objects.get_for_model(Asset)
    records = [_record(actor, origin, content_type, ChangeAction.CREATE, asset, None) for asset in creates]
    records += [_record(actor, origin, content_type, ChangeAction.UPDATE, asset, before) for asset, before in updates]
    ChangeRecord.objects.bulk_create(records)
