"""Production settings pass Django's deployment checklist with no warning (SEC-WEB-01, SEC-CRY-01).

Each check runs ``guozi check --deploy --fail-level WARNING`` in a fresh process with a
production environment: settings are read once at start-up, so only a new process sees them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from guozi.config import SettingError, env_proxy_ssl_header

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
            "DJANGO_SETTINGS_MODULE": "guozi.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "guozi.example.gov.cn",
            "CSRF_TRUSTED_ORIGINS": "https://guozi.example.gov.cn",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'guozi.sqlite3'}",
        }
    )
    env.update(overrides)
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guozi", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path: Path) -> None:
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_COOKIES": "false"}, "security.W012"),
    ],
)
def test_switching_off_https_is_reported(tmp_path: Path, override: dict[str, str], warning: str) -> None:
    """The check above would pass vacuously if the warnings were silenced; these show they are not."""
    result = deploy_check(production_env(tmp_path, **override))
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "must be set"),
        ("short", "50 or more"),
        ("a" * 60, "not random"),
        ("django-insecure-" + "k1" * 30, "not random"),
    ],
)
def test_a_weak_or_missing_secret_key_stops_start_up(tmp_path: Path, key: str, problem: str) -> None:
    result = deploy_check(production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode == 2
    assert "setting SECRET_KEY" in result.stderr
    assert problem in result.stderr


def test_the_gateway_header_is_read_as_https(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_proxy_ssl_header("GUOZI_TEST_PROXY_HEADER") is None
    monkeypatch.setenv("GUOZI_TEST_PROXY_HEADER", "X-Forwarded-Proto")
    assert env_proxy_ssl_header("GUOZI_TEST_PROXY_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("GUOZI_TEST_PROXY_HEADER", "X-Forwarded-Proto: https")
    with pytest.raises(SettingError):
        env_proxy_ssl_header("GUOZI_TEST_PROXY_HEADER")
