"""Keeping the audit trail: verify its chains, archive old records, purge them after.

GB/T 22239-2019 8.1.4.3 c and 网络安全法 第21条: records are kept at least
``AUDIT_RETENTION_DAYS`` (180 or more). Older ones may leave the database only
into an archive written and verified first; the purge then records, in the audit
trail itself, the hash each chain continues from, so :func:`verify` still holds
the remaining records to the chain.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guozi.core import appendonly, audit, chain, integrity
from guozi.core.chain import Break
from guozi.core.choices import SeparatedRole
from guozi.core.models import AuditEvent, AuditEventKind, ChangeRecord, LoginRecord, User
from guozi.core.models.chained import ChainedRecord
from guozi.core.sm3 import sm3_hex

#: Every chained table, in the order they are checked and archived.
CHAINED: list[type[ChainedRecord]] = [ChangeRecord, LoginRecord, AuditEvent]
ARCHIVE_FORMAT = "guozi-audit-archive/1"


class AuditTrailError(Exception):
    """A refused archive or purge, with the reason in Chinese for the operator."""


def _anchors() -> dict[str, set[str]]:
    """Per table, the hashes purges left the remaining records to follow."""
    found: dict[str, set[str]] = {}
    for detail in AuditEvent.objects.filter(kind=AuditEventKind.PURGE, success=True).values_list("detail", flat=True):
        for table, anchor in (detail or {}).get("anchors", {}).items():
            found.setdefault(table, set()).add(anchor)
    return found


@dataclass
class Verification:
    counts: dict[str, int] = field(default_factory=dict)
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify(*, actor: User | None = None) -> Verification:
    """Walk every chain and recompute every stored document's hash (``core.integrity``); the
    result (and its own event) names each record where one breaks."""
    result = Verification()
    anchors = _anchors()
    for model in CHAINED:
        table = model._meta.db_table
        result.counts[table] = model._base_manager.count()
        result.breaks += list(chain.verify(model, anchors.get(table, set())))
    result.counts.update(integrity.counts())
    result.breaks += list(integrity.breaks())
    audit.record_event(
        AuditEventKind.INTEGRITY_CHECK,
        actor=actor,
        success=result.ok,
        object_repr=_("hash chains of the audit trail and hashes of stored documents"),
        detail={"counts": result.counts, "breaks": [str(b) for b in result.breaks[:50]]},
    )
    return result


def _require_auditor(actor: User) -> None:
    if not actor.holds_duty(SeparatedRole.AUDITOR):
        raise AuditTrailError(_("Only an active auditor manages the audit trail."))


def _archived_ids(model: type[ChainedRecord], before: datetime) -> int | None:
    """The last id to archive: every record up to the newest one older than ``before``.

    A prefix by id, so the archive holds an unbroken stretch of the chain.
    """
    return model._base_manager.filter(timestamp__lt=before).order_by("-pk").values_list("pk", flat=True).first()


def _lines(before: datetime, last_ids: dict[str, int]) -> Iterator[dict[str, Any]]:
    for model in CHAINED:
        table = model._meta.db_table
        last = last_ids.get(table)
        if last is None:
            continue
        for record in model._base_manager.filter(pk__lte=last).order_by("pk").iterator(chunk_size=2000):
            yield {
                "table": table,
                "id": record.pk,
                "prev_hash": record.prev_hash,
                "hash": record.hash,
                "content": chain.content(record),
            }


@dataclass
class Archive:
    path: Path
    sm3: str
    tables: dict[str, dict[str, Any]]


def check_archive(path: Path) -> dict[str, dict[str, Any]]:
    """Read an archive back and check every record against its hash and its predecessor."""
    summary: dict[str, dict[str, Any]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        manifest = json.loads(next(lines))
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise AuditTrailError(_("%(path)s is not an audit archive.") % {"path": path})
        for line in lines:
            item = json.loads(line)
            table = summary.setdefault(item["table"], {"count": 0, "last_hash": None})
            if table["last_hash"] is not None and item["prev_hash"] != table["last_hash"]:
                raise AuditTrailError(_("Archive broken at %(table)s #%(id)s.") % item)
            if chain.link_content(item["prev_hash"], item["content"]) != item["hash"]:
                raise AuditTrailError(_("Archive record %(table)s #%(id)s does not match its hash.") % item)
            table["count"] += 1
            table["last_id"] = item["id"]
            table["last_hash"] = item["hash"]
    if summary != manifest["tables"]:
        raise AuditTrailError(_("The archive holds other records than its manifest lists."))
    return summary


def archive(*, actor: User, before: datetime, output: Path) -> Archive:
    """Write every chained record older than ``before`` to ``output`` (gzip JSON lines), then check it."""
    _require_auditor(actor)
    last_ids = {m._meta.db_table: i for m in CHAINED if (i := _archived_ids(m, before)) is not None}
    tables: dict[str, dict[str, Any]] = {}
    for item in _lines(before, last_ids):
        entry = tables.setdefault(item["table"], {"count": 0})
        entry["count"] += 1
        entry["last_id"] = item["id"]
        entry["last_hash"] = item["hash"]
    manifest = {
        "format": ARCHIVE_FORMAT,
        "before": before.isoformat(),
        "created": timezone.now().isoformat(),
        "tables": tables,
    }
    partial = output.with_name(output.name + ".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        out.write(json.dumps(manifest, ensure_ascii=False) + "\n")
        for item in _lines(before, last_ids):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    check_archive(partial)
    # Only a complete, checked archive takes the final name.
    partial.replace(output)
    digest = sm3_hex(output.read_bytes())
    audit.record_event(
        AuditEventKind.ARCHIVE,
        actor=actor,
        object_repr=output.name,
        detail={"before": before.isoformat(), "sm3": digest, "tables": tables},
    )
    return Archive(output, digest, tables)


def retention_cutoff() -> datetime:
    return timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def purge(*, actor: User, before: datetime, output: Path) -> Archive:
    """Archive, then delete, the records older than ``before``; refused inside the retention period."""
    _require_auditor(actor)
    if before > retention_cutoff():
        raise AuditTrailError(
            _("Audit records are kept %(days)d days: only records before %(cutoff)s may be purged.")
            % {"days": settings.AUDIT_RETENTION_DAYS, "cutoff": retention_cutoff().date().isoformat()}
        )
    done = archive(actor=actor, before=before, output=output)
    with transaction.atomic(), appendonly.purging():
        for model in CHAINED:
            entry = done.tables.get(model._meta.db_table)
            if entry:
                model._base_manager.filter(pk__lte=entry["last_id"]).delete()
        audit.record_event(
            AuditEventKind.PURGE,
            actor=actor,
            object_repr=output.name,
            detail={
                "archive_sm3": done.sm3,
                "anchors": {table: entry["last_hash"] for table, entry in done.tables.items()},
                "counts": {table: entry["count"] for table, entry in done.tables.items()},
            },
        )
    return done
