"""Reading settings from the environment, with errors a person can act on.

A wrong or missing setting raises :class:`SettingError`, which the ``guozi``
command prints as one line naming the variable instead of a traceback.
"""

import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_SUPPORTED_DATABASES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}
#: Used only when DEBUG is on and no SECRET_KEY is set: a development key is
#: harmless there and saves a setup step.
_DEV_SECRET_KEY = "guozi-development-only-key-not-for-production-use-0123456789"  # noqa: S105  # nosec B105 # DEBUG only


class SettingError(ImproperlyConfigured):
    """A setting is wrong or missing; ``str()`` is the one-line message."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"setting {name}: {problem}")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(name, f"expected true or false, got {raw!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret_key(name: str, *, debug: bool) -> str:
    value = os.environ.get(name, "")
    if not value:
        if debug:
            return _DEV_SECRET_KEY
        raise SettingError(name, "must be set when DEBUG is off (50 or more random characters)")
    if len(value) < 50:
        raise SettingError(name, f"is {len(value)} characters long; use 50 or more random characters")
    # Django's own test of a weak key (security.W009): few distinct characters, or
    # the placeholder startproject writes.
    if len(set(value)) < 5 or value.startswith("django-insecure-"):
        raise SettingError(name, "is not random; use 50 or more random characters")
    return value


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` → Django's ``("HTTP_X_FORWARDED_PROTO", "https")``; unset → None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not all(part.isalnum() for part in raw.split("-")):
        raise SettingError(name, f"expected a header name such as X-Forwarded-Proto, got {raw!r}")
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


def env_database(name: str, *, default_sqlite: Path) -> dict[str, Any]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        config: dict[str, Any] = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    else:
        scheme = raw.split("://", 1)[0] if "://" in raw else ""
        if scheme not in _SUPPORTED_DATABASES:
            raise SettingError(
                name,
                f"cannot use {raw!r}; expected postgres://user@host:5432/name or sqlite:////path/to/file.sqlite3",
            )
        try:
            config = environ.Env.db_url_config(raw)
        except Exception as exc:  # environ raises several kinds for bad URLs
            raise SettingError(name, f"cannot parse {raw!r}: {exc}") from exc
        if not config.get("NAME"):
            raise SettingError(name, f"{raw!r} names no database")
    if config["ENGINE"].endswith("sqlite3"):
        # WAL and IMMEDIATE transactions let concurrent writers queue instead of
        # failing with "database is locked" (SECURITY.md §4.1).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("CONN_MAX_AGE", 60)
    config["ATOMIC_REQUESTS"] = False
    return config
