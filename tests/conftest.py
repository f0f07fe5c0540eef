"""Fixtures of the backup and fault tests: a migrated, populated SQLite template made once."""

from pathlib import Path
from typing import Any

import pytest

from tests import scratch


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: Any) -> Path:
    """A migrated SQLite database with the benchmark's organisations and importer; copy, never write."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    scratch.populate(scratch.sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def small_ledger(tmp_path_factory: Any) -> Path:
    """A 300-row ledger of the template's enterprises."""
    return scratch.write_ledger(tmp_path_factory.mktemp("ledger") / "ledger-300.xlsx", 300)
