"""Run by ``test_routers`` in a process of its own: Guozi with a primary and a read replica, two
SQLite files, and what each kind of read and write touched. Prints one JSON object.

The replica is a snapshot of the primary (SQLite's online backup: what replication had
delivered at that moment); after it, an asset is created on the primary only, so a read that
counts it came from the primary and a read that misses it came from the replica.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import django


def file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def count(path: str, sql: str) -> Any:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchone()[0]


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_test_environment
    from openpyxl import load_workbook

    from guozi.assets.choices import CertificateStatus, Utilisation
    from guozi.assets.models import Asset, AssetCategory
    from guozi.assets.services.assets import asset_create, asset_update
    from guozi.core import demo
    from guozi.core.changes import COMMAND
    from guozi.core.models import User
    from guozi.core.routers import replica_reads
    from guozi.core.testing import client_for, org, user

    setup_test_environment()  # responses carry their template context
    call_command("migrate", verbosity=0)
    demo.load()
    primary, replica = (str(connections[alias].settings_dict["NAME"]) for alias in ("default", "replica"))
    connections.close_all()
    with sqlite3.connect(primary) as source, sqlite3.connect(replica) as target:
        source.backup(target)
    table = Asset._meta.db_table
    chengfa = user("chengfa")

    def data(code: str) -> dict[str, Any]:
        return {
            "enterprise": org("市城发集团"),
            "code": code,
            "name": "副本延迟测试楼",
            "category": AssetCategory.objects.get(name="房屋"),
            "book_value": 1000000,
            "certificate": CertificateStatus.MISSING,
            "utilisation": Utilisation.IN_USE,
        }

    late = asset_create(actor=chengfa, origin=COMMAND, data=data("REPLICA-LAG-1"))
    replica_before = file_hash(replica)
    seen: dict[str, Any] = {
        "primary_assets": count(primary, f"SELECT COUNT(*) FROM {table}"),  # noqa: S608
        "replica_assets": count(replica, f"SELECT COUNT(*) FROM {table}"),  # noqa: S608
        "unmarked_count": Asset.objects.count(),
    }
    with replica_reads():
        seen["marked_count"] = Asset.objects.count()
        seen["marked_user_db"] = User.objects.all().db  # identity: always the primary
    sasac = client_for("guoziwei")
    seen["census_page_count"] = sasac.get("/assets/census/").context["census"].total.count
    api = sasac.get(f"/api/organizations/{org('市城发集团').pk}/asset-census").json()
    seen["census_api_chengfa_count"] = api["total"]["count"]
    group = org("市城发集团").descendants(include_self=True)
    seen["chengfa_primary_count"] = Asset.objects.filter(enterprise__in=group).count()
    export = sasac.get("/assets/asset/export/")
    sheet = load_workbook(io.BytesIO(export.getvalue()), read_only=True).active
    seen["export_rows"] = sum(1 for _ in sheet.iter_rows(min_row=2))
    list_page = sasac.get("/assets/asset/")  # not marked: the primary
    seen["list_page_count"] = list_page.context["record_count"]

    # Writes inside a marked block: to the primary; the service's reads inside its transaction
    # (the summary row it updates) from the primary too, or the late asset would not be found.
    with replica_reads():
        asset_update(actor=chengfa, origin=COMMAND, asset=late, data={"utilisation": Utilisation.IDLE})
        asset_create(actor=chengfa, origin=COMMAND, data=data("REPLICA-LAG-2"))
    connections.close_all()
    seen["primary_late_utilisation"] = count(primary, f"SELECT utilisation FROM {table} WHERE code = 'REPLICA-LAG-1'")  # noqa: S608
    seen["primary_assets_after"] = count(primary, f"SELECT COUNT(*) FROM {table}")  # noqa: S608
    seen["replica_assets_after"] = count(replica, f"SELECT COUNT(*) FROM {table}")  # noqa: S608
    seen["replica_file_unchanged"] = file_hash(replica) == replica_before
    from guozi.assets import summaries

    seen["summary_differences"] = len(summaries.differences())
    sys.stdout.write(json.dumps(seen) + "\n")


if __name__ == "__main__":
    main()
