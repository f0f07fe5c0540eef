"""The read replica router (core.routers): what a marked page reads where, and that writes never go there."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guozi.assets.models import Asset
from guozi.core.models import Organization
from guozi.core.routers import REPLICA, ReplicaRouter, replica_reads

PROJECT = Path(__file__).resolve().parents[3]


def test_without_a_replica_every_query_goes_to_default() -> None:
    with replica_reads():
        assert Asset.objects.all().db == "default"
        assert Organization.objects.all().db == "default"


def test_writes_and_migrations_never_go_to_the_replica() -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Asset) == "default"
    assert router.allow_migrate(REPLICA, "assets", "asset") is False
    assert router.allow_migrate("default", "assets", "asset") is None


@pytest.mark.timeout(300)
def test_marked_pages_read_the_replica_and_writes_go_to_the_primary(tmp_path: Path) -> None:
    """Two real SQLite files: the replica a snapshot, then one asset more on the primary only."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guozi.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "guozi.core.tests.replica_probe"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    lagging = seen["replica_assets"]
    assert seen["primary_assets"] == lagging + 1  # the late asset is on the primary only
    assert seen["unmarked_count"] == lagging + 1  # unmarked code reads the primary
    assert seen["marked_count"] == lagging  # marked code reads the replica
    assert seen["marked_user_db"] == "default"  # identity is read from the primary even then
    # The dashboards and exports, through HTTP: the replica's figures, without the late asset.
    assert seen["census_page_count"] == lagging
    assert seen["census_api_chengfa_count"] == seen["chengfa_primary_count"] - 1
    assert seen["export_rows"] == lagging
    assert seen["list_page_count"] == lagging + 1  # the list page is not marked
    # Writes in a marked block: on the primary, with the service's reads there too.
    assert seen["primary_late_utilisation"] == "idle"
    assert seen["primary_assets_after"] == lagging + 2
    assert seen["replica_assets_after"] == lagging
    assert seen["replica_file_unchanged"] is True
    assert seen["summary_differences"] == 0
