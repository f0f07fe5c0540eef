"""Storage integrity (8.1.4.7 b): a stored document changed behind the application's back is found and named.

"篡改存储数据，是否能够检测到" (GB/T 28448-2019): each kind of hashed document is altered in
the database as someone with the database file would, and ``guozi audit verify`` names it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from guozi.core import integrity
from guozi.core.models import Attachment
from guozi.core.services import audit_trail
from guozi.reports.models import GeneratedReport
from guozi.reports.testing import demo_report
from guozi.supervision.models import ReportVersion

pytestmark = pytest.mark.usefixtures("demo_world")


def _tamper(sql: str, params: list[object]) -> None:
    """Change a row behind the triggers' back (the documents are frozen by them)."""
    from guozi.core import appendonly

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # the test database's owner is a superuser
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            with appendonly.unlocked():
                cursor.execute(sql, params)


@pytest.fixture
def generated() -> GeneratedReport:
    return demo_report()


def test_every_kind_of_stored_document_is_checked_and_the_demo_is_intact(generated: GeneratedReport) -> None:
    counts = integrity.counts()
    for model in (Attachment, ReportVersion, GeneratedReport):
        assert counts[model._meta.db_table] > 0, model
    assert list(integrity.breaks()) == []
    call_command("audit", "verify")


@pytest.mark.parametrize("kind", ["attachment", "version", "generated"])
def test_a_document_altered_in_the_database_is_named(kind: str, generated: GeneratedReport) -> None:
    if kind == "attachment":
        victim = Attachment.objects.order_by("pk").first()
        table = Attachment._meta.db_table
        _tamper(f"UPDATE {table} SET data = %s WHERE id = %s", [b"%PDF-1.7 forged", victim.pk])  # noqa: S608
    elif kind == "version":
        victim = ReportVersion.objects.order_by("pk").first()
        table = ReportVersion._meta.db_table
        forged = {**victim.content, "progress": victim.content.get("progress", "") + "（已完成）"}
        _tamper(f"UPDATE {table} SET content = %s WHERE id = %s", [_json(forged), victim.pk])  # noqa: S608
    else:
        victim = generated
        table = GeneratedReport._meta.db_table
        forged = {**victim.content, "title": victim.content["title"] + "（修订）"}
        _tamper(f"UPDATE {table} SET content = %s WHERE id = %s", [_json(forged), victim.pk])  # noqa: S608
    assert victim is not None
    breaks = [str(b) for b in audit_trail.verify().breaks]
    assert breaks == [f"{table} #{victim.pk}: content does not match its SHA-256"]
    with pytest.raises(CommandError, match="1 breaks"):
        call_command("audit", "verify")


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
