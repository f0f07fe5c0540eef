"""A new installation's first accounts: the three administrators, nobody else (三权分立).

A production database starts empty (no default account, GB/T 22239-2019 8.1.4.1): the
operator runs ``guozi install`` once, which creates the standard roles, the top
organisation and one system, one security and one audit administrator, each with a
random initial password that must be changed at the first sign-in. The system
administrator then creates the organisation tree and the other accounts in the pages.
On an existing installation ``guozi install --roles`` brings the standard roles'
permissions up to date after an upgrade (a new page's permission, say).
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from django.db import transaction

from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind
from guozi.core.demo import is_loaded
from guozi.core.models import Role
from guozi.core.roles import roles_ensure
from guozi.core.services.organizations import organization_create
from guozi.core.services.users import user_create, user_update

#: Role code and name of each of the three administrators.
ADMINISTRATORS = (("sysadmin", "系统管理员"), ("secadmin", "安全管理员"), ("auditor", "审计管理员"))


class InstallRefused(Exception):
    """The database is not empty: ``install`` creates first accounts only."""


@dataclass(frozen=True)
class FirstAccount:
    username: str
    role: str
    initial_password: str


def initial_password() -> str:
    """16 characters from all four classes (the password rules' three of four, and more)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        classes = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
        if all(any(test(c) for c in password) for test in classes):
            return password


def update_roles() -> dict[str, Role]:
    """The standard roles with their current permissions (creates any that are missing)."""
    return roles_ensure(actor=None, origin=COMMAND)


@transaction.atomic
def install(*, organization: str, short_name: str, region: str, usernames: dict[str, str]) -> list[FirstAccount]:
    """The roles, the top organisation and the three administrators, in one transaction."""
    if is_loaded():
        raise InstallRefused("The database already holds accounts or organisations.")
    if len(set(usernames.values())) != len(ADMINISTRATORS):
        raise InstallRefused("The three administrators need three different usernames (三权分立).")
    roles = update_roles()
    passwords = {code: initial_password() for code, _ in ADMINISTRATORS}
    (first_code, first_name), *others = ADMINISTRATORS
    sysadmin = user_create(
        actor=None,
        origin=COMMAND,
        data={"username": usernames[first_code], "full_name": first_name},
        password=passwords[first_code],
        roles=[roles[first_code]],
    )
    top = organization_create(
        actor=sysadmin,
        origin=COMMAND,
        data={"name": organization, "short_name": short_name, "kind": OrganizationKind.GOVERNMENT, "region": region},
    )
    user_update(actor=sysadmin, origin=COMMAND, user=sysadmin, data={"organization": top})
    for code, name in others:
        user_create(
            actor=sysadmin,
            origin=COMMAND,
            data={"username": usernames[code], "full_name": name, "organization": top},
            password=passwords[code],
            roles=[roles[code]],
        )
    return [FirstAccount(usernames[code], code, passwords[code]) for code, _ in ADMINISTRATORS]
