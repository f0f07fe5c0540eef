"""`guozi install` on a fresh database: three separate administrators, and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

INSTALL = ("install", "--organization", "咸宁市人民政府", "--short-name", "市政府", "--region", "咸宁市")
#: Reads the accounts back through the models (the real process, the real database).
READ_BACK = """
import json
from guozi.core.choices import SeparatedRole
from guozi.core.models import Organization, Role, User
print(json.dumps({
    "organizations": list(Organization.objects.values_list("name", "parent_id")),
    "roles": Role.objects.count(),
    "users": {
        u.username: {
            "duties": [d.value for d in SeparatedRole if u.holds_duty(d)],
            "organization": u.organization.name,
            "must_change": u.must_change_password,
            "password_ok": u.check_password(PASSWORDS[u.username]),
        }
        for u in User.objects.all()
    },
}))
"""


def _guozi(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(  # our own CLI with fixed arguments
        [sys.executable, "-m", "guozi", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    database = tmp_path / "new.sqlite3"
    assert _guozi(database, "migrate", "-v0").returncode == 0
    return database


def test_a_new_installation_gets_three_separate_administrators_who_must_change_their_passwords(fresh: Path) -> None:
    done = _guozi(fresh, *INSTALL, "--auditor", "shenji")
    assert done.returncode == 0, done.stderr
    passwords = {line.split()[1]: line.split()[2] for line in done.stdout.splitlines()[1:]}
    assert set(passwords) == {"sysadmin", "secadmin", "shenji"}
    read = _guozi(fresh, "shell", "-v", "0", "-c", f"PASSWORDS = {passwords!r}\n{READ_BACK}")
    assert read.returncode == 0, read.stderr
    found = json.loads(read.stdout)
    assert found["organizations"] == [["咸宁市人民政府", None]]
    assert found["roles"] > 3  # the other standard roles too, for the accounts to come
    assert found["users"] == {
        username: {"duties": [duty], "organization": "咸宁市人民政府", "must_change": True, "password_ok": True}
        for username, duty in (("sysadmin", "sysadmin"), ("secadmin", "secadmin"), ("shenji", "auditor"))
    }


def test_install_refuses_a_database_that_is_not_empty_and_one_person_as_two_administrators(fresh: Path) -> None:
    same = _guozi(fresh, *INSTALL, "--secadmin", "sysadmin")
    assert same.returncode != 0
    assert "three different usernames" in same.stderr
    assert _guozi(fresh, *INSTALL).returncode == 0
    again = _guozi(fresh, *INSTALL)
    assert again.returncode != 0
    assert "already holds" in again.stderr
    roles = _guozi(fresh, "install", "--roles")
    assert roles.returncode == 0, roles.stderr
    assert "standard roles up to date" in roles.stdout
