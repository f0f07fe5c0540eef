"""Assets and their change records, written in bulk, in the caller's transaction.

An import writes thousands of rows: one INSERT per row and one change record per
INSERT through ``core.changes`` would take minutes. This writes each chunk with
``bulk_create``/``bulk_update`` and records every created and every changed asset in
the change log with one ``bulk_create`` of the records ``core.changes.change_record``
builds, the same ``record_change`` writes one by one, and adds the chunk's difference to the asset
summary (``guozi.assets.summaries``) in one upsert batch. Nothing here opens a transaction:
the import service wraps the whole file in one, so a failure anywhere leaves neither
assets nor records behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from guozi.assets import summaries
from guozi.assets.models import LEDGER_FIELDS, Asset
from guozi.core.changes import Origin, change_record, claim_versions, snapshot
from guozi.core.choices import ChangeAction
from guozi.core.models import ChangeRecord, User


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
    if not connection.features.can_return_rows_from_bulk_insert:
        # A real check, not an assert: under python -O the change records would name no ids.
        raise ImproperlyConfigured("the database must return ids from bulk inserts (SQLite 3.35+, PostgreSQL)")
    for asset in [*creates, *(asset for asset, _ in updates)]:
        asset.full_clean(
            exclude=["enterprise", "category", "import_batch"], validate_unique=False, validate_constraints=False
        )
    Asset.objects.bulk_create(creates)
    now = timezone.now()
    for asset, _ in updates:
        asset.updated_at = now
    # Each asset only if still at the version read: an edit saved during the import is
    # not overwritten, the import fails instead (and rolls back as a whole).
    claim_versions(Asset, [asset for asset, _ in updates])
    Asset.objects.bulk_update(
        [asset for asset, _ in updates], [*LEDGER_FIELDS, "import_batch", "updated_at", "version"], batch_size=200
    )
    records = [
        change_record(
            actor=actor, origin=origin, action=ChangeAction.CREATE, instance=asset, before=None, after=snapshot(asset)
        )
        for asset in creates
    ]
    records += [
        change_record(
            actor=actor, origin=origin, action=ChangeAction.UPDATE, instance=asset, before=before, after=snapshot(asset)
        )
        for asset, before in updates
    ]
    ChangeRecord.objects.bulk_create(records)
    summaries.apply(
        [(None, summaries.row_of(asset)) for asset in creates]
        + [(before, summaries.row_of(asset)) for asset, before in updates]
    )
