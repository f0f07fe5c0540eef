"""The audit trail: SM3, the hash chains and their verification, security events, retention."""

import gzip
import itertools
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from guozi.core import appendonly, audit, chain
from guozi.core.models import AuditEvent, AuditEventKind, ChangeRecord, LoginRecord
from guozi.core.services import audit_trail
from guozi.core.sm3 import sm3_hex, sm3_pure
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")

# GB/T 32905-2016, appendix A.
VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("message", "digest"), VECTORS)
def test_sm3_matches_the_standards_vectors(message: bytes, digest: str) -> None:
    assert sm3_pure(message) == digest
    assert sm3_hex(message) == digest


def _tamper(sql: str, params: list[object]) -> None:
    """Change a chained table behind the triggers' back, as someone with the database file would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser's way round every trigger (the test database's owner is one).
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            with appendonly.unlocked():
                cursor.execute(sql, params)


def _breaks() -> list[str]:
    return [str(b) for b in audit_trail.verify().breaks]


def test_every_record_is_chained_to_the_one_before() -> None:
    LoginRecord.objects.create(username="x", event="login", success=False)
    LoginRecord.objects.bulk_create([LoginRecord(username=f"y{i}", event="login", success=False) for i in range(3)])
    records = list(LoginRecord.objects.order_by("id"))
    assert records[0].prev_hash == chain.GENESIS
    for before, after in itertools.pairwise(records):
        assert after.prev_hash == before.hash
        assert len(after.hash) == 64
    assert _breaks() == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("UPDATE core_changerecord SET object_repr = 'forged' WHERE id = %s", "altered"),
        ("DELETE FROM core_changerecord WHERE id = %s", "removed or inserted"),
    ],
)
def test_verify_names_an_altered_or_removed_record(change: str, reason: str) -> None:
    ids = list(ChangeRecord.objects.order_by("id").values_list("id", flat=True))
    victim = ids[len(ids) // 2]
    _tamper(change, [victim])
    named = victim if "UPDATE" in change else ids[ids.index(victim) + 1]
    breaks = _breaks()
    assert len(breaks) == 1
    assert breaks[0].startswith(f"core_changerecord #{named}: ")
    assert reason in breaks[0]
    with pytest.raises(CommandError, match="1 breaks"):
        call_command("audit", "verify")
    # The check is itself an event, and a failed one.
    assert AuditEvent.objects.filter(kind=AuditEventKind.INTEGRITY_CHECK, success=False).exists()


def test_a_record_slipped_in_breaks_the_chain() -> None:
    last = ChangeRecord.objects.order_by("-id").first()
    assert last is not None
    _tamper(
        "INSERT INTO core_changerecord (timestamp, prev_hash, hash, actor_id, actor_name, source, action, "
        "content_type_id, object_id, object_repr, before, after, organization_id, import_batch_id, ip) "
        "SELECT timestamp, hash, hash, actor_id, actor_name, source, action, content_type_id, object_id, "
        "'slipped in', before, after, organization_id, import_batch_id, ip FROM core_changerecord WHERE id = %s",
        [last.pk],
    )
    assert any("altered" in b for b in _breaks())


def test_audit_events_are_append_only() -> None:
    event = audit.record_event(AuditEventKind.EXPORT, actor=user("guoziwei"), object_repr="x.xlsx")
    for attempt in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(success=False),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: connection.cursor().execute("UPDATE core_auditevent SET success = %s WHERE id = %s", [False, event.pk]),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_a_refused_object_is_on_the_audit_trail() -> None:
    foreign = org("市高投集团")
    response = client_for("chengfa").get(f"/core/organization/{foreign.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(kind=AuditEventKind.DENIED, path=f"/core/organization/{foreign.pk}/")
    assert (event.actor_name, event.success, event.status, event.route) == (
        "chengfa",
        False,
        404,
        "core:organization_detail",
    )


def test_a_mistyped_address_is_no_refusal() -> None:
    assert client_for("chengfa").get("/no/such/page/").status_code == 404
    assert not AuditEvent.objects.filter(path="/no/such/page/").exists()


def test_exports_and_audit_reading_are_recorded() -> None:
    response = client_for("guoziwei").get("/core/organization/export/")
    assert response.status_code == 200
    export = AuditEvent.objects.get(kind=AuditEventKind.EXPORT, actor_name="guoziwei")
    assert export.object_repr.startswith("机构")
    assert export.object_repr.endswith(".xlsx")
    assert client_for("auditor").get("/core/changerecord/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEventKind.AUDIT_READ, actor_name="auditor").count() == 1


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "guoziwei", "chengfa"])
# Not "page": pytest-playwright's fixture of that name would make this a browser test.
@pytest.mark.parametrize("log", ["changerecord", "loginrecord", "auditevent"])
def test_only_the_auditor_reads_the_audit_trail(username: str, log: str) -> None:
    assert client_for(username).get(f"/core/{log}/").status_code == 403
    assert client_for("auditor").get(f"/core/{log}/").status_code == 200


def test_no_event_no_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed (8.1.4.3 d): an export whose event cannot be written is not delivered."""

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(audit.AuditEvent.objects, "create", broken)
    client = client_for("guoziwei")
    client.raise_request_exception = False
    assert client.get("/core/organization/export/").status_code == 500


def _age(days: int) -> None:
    """Give every chained record an age of ``days``, as if the system had run that long."""
    old = timezone.now() - timedelta(days=days)
    for table in ("core_changerecord", "core_loginrecord", "core_auditevent"):
        _tamper(f"UPDATE {table} SET timestamp = %s", [old])  # noqa: S608


def test_purge_archives_first_and_the_chain_still_verifies(tmp_path: Path) -> None:
    LoginRecord.objects.create(username="old", event="login", success=False)
    # Ages the records, which alters them: reseal so the chain is whole again for this test.
    _age(200)
    for model in audit_trail.CHAINED:
        _reseal(model)
    assert _breaks() == []
    newer = LoginRecord.objects.create(username="recent", event="login", success=True)
    archive = tmp_path / "audit-2025.jsonl.gz"
    done = audit_trail.purge(actor=user("auditor"), before=timezone.now() - timedelta(days=190), output=archive)
    assert done.tables["core_loginrecord"]["count"] >= 1
    assert list(LoginRecord.objects.values_list("pk", flat=True)) == [newer.pk]
    assert audit_trail.check_archive(archive) == done.tables
    with gzip.open(archive, "rt", encoding="utf-8") as lines:
        assert json.loads(next(lines))["format"] == audit_trail.ARCHIVE_FORMAT
    # The remaining records follow the anchor the purge recorded.
    assert _breaks() == []


def _reseal(model: type) -> None:
    previous = chain.GENESIS
    for record in model._base_manager.order_by("id"):
        new_hash = chain.link(previous, record)
        table = model._meta.db_table
        _tamper(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", [previous, new_hash, record.pk])  # noqa: S608
        previous = new_hash


def test_purge_is_refused_inside_the_retention_period(tmp_path: Path) -> None:
    with pytest.raises(audit_trail.AuditTrailError, match="180"):
        audit_trail.purge(actor=user("auditor"), before=timezone.now() - timedelta(days=30), output=tmp_path / "a.gz")
    assert not (tmp_path / "a.gz").exists()


@pytest.mark.parametrize("username", ["sysadmin", "secadmin"])
def test_only_the_auditor_archives(username: str, tmp_path: Path) -> None:
    with pytest.raises(audit_trail.AuditTrailError):
        audit_trail.archive(actor=user(username), before=timezone.now(), output=tmp_path / "a.gz")


def test_a_tampered_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.jsonl.gz"
    audit_trail.archive(actor=user("auditor"), before=timezone.now(), output=archive)
    with gzip.open(archive, "rt", encoding="utf-8") as lines:
        text = lines.read().splitlines()
    item = json.loads(text[2])
    item["content"]["actor_name" if item["table"] != "core_loginrecord" else "username"] = "someone else"
    text[2] = json.dumps(item, ensure_ascii=False)
    with gzip.open(archive, "wt", encoding="utf-8") as out:
        out.write("\n".join(text) + "\n")
    with pytest.raises(audit_trail.AuditTrailError, match="与其哈希不符"):
        audit_trail.check_archive(archive)


def test_retention_below_180_days_stops_start_up() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "guozi.settings", "DEBUG": "true", "AUDIT_RETENTION_DAYS": "30", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS" in result.stderr
