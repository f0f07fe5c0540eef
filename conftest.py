"""Fixtures shared by every test: the demo world, users by name, logged-in clients."""

from typing import Any

import pytest
from django.core.management.commands import flush

from guozi.core import appendonly, demo

_flush_handle = flush.Command.handle


def _flush_unlocked(self: flush.Command, *args: Any, **options: Any) -> Any:
    # Transactional tests empty the database between tests; on SQLite the
    # append-only triggers would refuse, so the test flush alone is let through.
    with appendonly.unlocked():
        return _flush_handle(self, *args, **options)


flush.Command.handle = _flush_unlocked  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The demo organisations and accounts, loaded once for the whole session."""
    with django_db_blocker.unblock():
        if not demo.is_loaded():
            demo.load()


@pytest.fixture
def demo_world(db: None) -> None:
    """Marks a test as using the demo data (loaded once per session)."""


@pytest.fixture
def live_demo(transactional_db: None) -> None:
    """The demo data for tests against a live server (their database is emptied after each)."""
    if not demo.is_loaded():
        demo.load()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the tenant isolation figures the sweep records (issue 8: printed by the test run)."""
    lines = [
        f"{report.nodeid.split('::')[-1]}: {value}"
        for status in ("passed", "failed")
        for report in terminalreporter.stats.get(status, [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "isolation"
    ]
    if lines:
        terminalreporter.section("tenant isolation")
        for line in lines:
            terminalreporter.write_line(line)
