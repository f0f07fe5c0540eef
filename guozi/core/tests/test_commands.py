import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guozi.core.choices import ChangeSource
from guozi.core.models import ChangeRecord
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def test_edit_command_records_its_acting_user() -> None:
    target = org("城发绿能")
    call_command("edit", "core.Organization", str(target.pk), "--actor", "guoziwei", "--set", "region=咸安区")
    assert org("城发绿能").region == "咸安区"
    record = ChangeRecord.objects.latest("id")
    assert (record.actor_name, record.source) == ("guoziwei", ChangeSource.COMMAND)
    assert (record.before["region"], record.after["region"]) == ("咸宁市", "咸安区")


def test_edit_command_keeps_to_the_actors_scope() -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("edit", "core.Organization", str(org("市高投集团").pk), "--actor", "chengfa", "--set", "region=x")


def test_edit_command_validates_values() -> None:
    with pytest.raises(CommandError, match="kind"):
        call_command("edit", "core.Organization", str(org("城发绿能").pk), "--actor", "guoziwei", "--set", "kind=bank")


def test_serve_refuses_while_an_account_has_the_demo_password() -> None:
    with pytest.raises(CommandError, match="demo password"):
        call_command("serve", "--check-only")


def test_serve_starts_once_demo_passwords_are_gone() -> None:
    from django.contrib.auth import get_user_model

    for account in get_user_model().objects.all():
        account.set_password("Another-Strong-Pass-9")
        account.save()
    call_command("serve", "--check-only")


def test_demo_does_not_load_twice(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--no-serve")
    assert "not loaded again" in capsys.readouterr().out
    assert user("chengfa").organization == org("市城发集团")


def _guozi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "guozi", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://db/guozi"}, "DATABASE_URL"),
        ({"SECRET_KEY": "short", "DEBUG": "off"}, "SECRET_KEY"),
    ],
)
def test_bad_settings_give_one_line_naming_the_setting(env: dict[str, str], setting: str, tmp_path: Path) -> None:
    result = _guozi({**env, "GUOZI_HOME": str(tmp_path)}, "check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]
    assert "Traceback" not in result.stderr


def test_a_new_installation_has_no_account_at_all(tmp_path: Path) -> None:
    """No default account outside the demo (GB/T 22239-2019 8.1.4.2 b): migrating creates none."""
    database = tmp_path / "fresh.sqlite3"
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}
    assert _guozi(env, "migrate", "-v0").returncode == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM core_user").fetchone() == (0,)
