"""Every list page speaks Chinese: no column header left as its English msgid or field name."""

from __future__ import annotations

import re

import pytest

from guozi.core import inventory
from guozi.core.testing import client_for

pytestmark = pytest.mark.usefixtures("demo_world")

#: Latin words of two letters or more, outside tags: a header like "Code" or "Book value".
ENGLISH = re.compile(r"\b[A-Za-z]{2,}\b")
#: What a Chinese header may hold in Latin letters anyway.
ALLOWED = {"ID", "SHA", "IP", "TOTP", "API", "URL"}


def test_every_list_pages_column_headers_are_translated() -> None:
    """As the business user and the three administrators: together they reach every list page."""
    clients = [client_for(name) for name in ("guoziwei", "sysadmin", "secadmin", "auditor")]
    checked = set()
    english: dict[str, list[str]] = {}
    for route in inventory.generic_routes():
        if route.kind != "list" or "{" in route.path:
            continue
        for client in clients:
            response = client.get(route.path)
            if response.status_code != 200:
                continue  # not this account's page: the isolation sweep covers who gets what
            for head in re.findall(r"<thead.*?</thead>", response.content.decode(), re.S):
                text = re.sub(r"<[^>]+>", " ", head)
                words = {word for word in ENGLISH.findall(text) if word.upper() not in ALLOWED}
                if words:
                    english[route.path] = sorted(words)
            checked.add(route.path)
    assert english == {}
    assert "/assets/asset/" in checked
    assert len(checked) >= 15
