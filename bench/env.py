"""The environment a benchmark process runs Django in: set before ``django.setup()``.

DEBUG stays off: with DEBUG on Django keeps every query in memory, which would
slow the import and inflate its peak memory. The parent sets these variables and the
import workers it starts inherit them.
"""

from __future__ import annotations

import os
import secrets


def prepare(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "guozi.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("GUOZI_FIELD_KEY", secrets.token_hex(16))  # `guozi serve` refuses to start without one
    # Django's test Client sends Host: testserver; plain-HTTP cookies for that client.
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_COOKIES"] = "false"
    # The test Client speaks plain HTTP: no redirect to HTTPS (a gateway terminates TLS in production).
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def setup() -> None:
    """Django, set up as a production worker is (``guozi.wsgi``: its heap settled)."""
    import django

    django.setup()
    from guozi.core.heap import settle

    settle()
