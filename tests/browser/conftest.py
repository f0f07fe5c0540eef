"""Browser tests: Playwright drives the Debian Chromium against pytest-django's live server."""

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent

# Playwright's sync API keeps an asyncio loop running in this thread, so Django
# would refuse ORM calls from the test (SynchronousOnlyOperation). The loop never
# runs Django code concurrently, so the check is a false alarm here. It is set at
# import time: the Playwright session outlives the first browser test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Serve on 127.0.0.1 rather than pytest-django's default "localhost", so the
# "no request leaves 127.0.0.1" check compares against one literal host.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.hookimpl(tryfirst=True)  # before "-m" deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Launch the system Chromium: Playwright's own browsers cannot be downloaded here."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)"
        # CI sets GUOZI_REQUIRE_BROWSER=1: there a missing browser must not pass as a skip.
        if os.environ.get("GUOZI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GUOZI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            # No update checks, sync or other phoning home: the tests assert no traffic leaves 127.0.0.1.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
