"""A fresh benchmark database: created, migrated, and given organisations and accounts.

SQLite: a file in a temporary folder. PostgreSQL: the database ``guozi_bench`` on
127.0.0.1, dropped and created here and dropped again at the end; no other database
is touched. The organisations and accounts go through the core services, as the demo's
do: a city government, its SASAC, a group enterprise and its subsidiaries, two levels
deep beyond 51 enterprises (the benchmark's K enterprises), an importer at the group (enterprise staff: the group's
subtree is its scope, so it may import into every benchmark enterprise) and a SASAC
user who reads everything (census, list, export).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from typing import Any

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
#: ``GUOZI_BENCH_DATABASE`` names another, so that two benchmark runs on one server do not
#: drop each other's database.
POSTGRES_NAME = os.environ.get("GUOZI_BENCH_DATABASE", "guozi_bench")
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", POSTGRES_NAME):
    raise SystemExit(f"GUOZI_BENCH_DATABASE={POSTGRES_NAME!r}: lower-case letters, digits and _ only")
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_NAME}"
IMPORTER = "bench_importer"
READER = "bench_sasac"
#: Subsidiaries directly under the group; any further ones sit one level below these.
FIRST_LEVEL = 50


def create_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_NAME}")
        connection.execute(f"CREATE DATABASE {POSTGRES_NAME}")


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_NAME} WITH (FORCE)")


@dataclass(frozen=True)
class Accounts:
    importer_id: int
    reader_id: int
    #: Both accounts' password (random per run): the throughput lines sign in with it.
    password: str


def populate(enterprise_count: int) -> Accounts:
    """Migrate, then create the organisations and accounts (in the empty database)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from bench.data import enterprises
    from guozi.assets.classification import ensure_standard_classes
    from guozi.core.changes import COMMAND
    from guozi.core.choices import OrganizationKind as Kind
    from guozi.core.roles import roles_ensure
    from guozi.core.services.organizations import organization_create
    from guozi.core.services.users import user_create, user_update

    ensure_standard_classes()
    roles = roles_ensure(actor=None, origin=COMMAND)
    password = secrets.token_urlsafe(16) + "Aa1!"
    admin = user_create(
        actor=None,
        origin=COMMAND,
        data={"username": "bench_admin", "full_name": "基准测试管理员"},
        password=password,
        initial_password=False,  # accounts of the benchmark, not people: no first-sign-in change
        roles=[roles["sysadmin"]],
    )

    def create(name: str, short: str, kind: str, region: str, parent: object, order: int) -> object:
        data = {
            "name": name,
            "short_name": short,
            "kind": kind,
            "region": region,
            "parent": parent,
            "sort_order": order,
        }
        return organization_create(actor=admin, origin=COMMAND, data=data)

    city = create("咸宁市人民政府", "市政府", Kind.GOVERNMENT, "咸宁市", None, 0)
    sasac = create("市政府国资委", "国资委", Kind.DEPARTMENT, "咸宁市", city, 0)
    group, *subsidiaries = enterprises(enterprise_count)
    group_org = create(group.name, group.short_name, Kind.ENTERPRISE, group.region, sasac, 0)
    # Three levels, as a province's groups have: up to FIRST_LEVEL subsidiaries of the group,
    # the rest spread over them (so subtree queries have subtrees to cut).
    first_level: list[object] = []
    for order, enterprise in enumerate(subsidiaries):
        parent = group_org if len(first_level) < FIRST_LEVEL else first_level[order % FIRST_LEVEL]
        created = create(enterprise.name, enterprise.short_name, Kind.ENTERPRISE, enterprise.region, parent, order)
        if parent is group_org:
            first_level.append(created)
    user_update(actor=admin, origin=COMMAND, user=admin, data={"organization": sasac})
    importer = user_create(
        actor=admin,
        origin=COMMAND,
        data={"username": IMPORTER, "full_name": "基准测试填报人员", "organization": group_org},
        password=password,
        initial_password=False,  # accounts of the benchmark, not people: no first-sign-in change
        roles=[roles["enterprise_staff"]],
    )
    reader = user_create(
        actor=admin,
        origin=COMMAND,
        data={"username": READER, "full_name": "基准测试国资委人员", "organization": sasac},
        password=password,
        initial_password=False,  # accounts of the benchmark, not people: no first-sign-in change
        roles=[roles["sasac_staff"]],
    )
    return Accounts(importer_id=importer.pk, reader_id=reader.pk, password=password)


def subsidiaries(accounts: Accounts) -> tuple[Any, Any, Any]:
    """The group (the importer's organisation), its first subsidiary and that one's first: the
    subtrees and the one enterprise alone the dashboard lines and ``bench.page_cpu`` show."""
    from guozi.core.models import Organization, User

    group = User.objects.get(pk=accounts.importer_id).organization
    first = Organization.objects.filter(parent=group).order_by("pk").first() or group
    leaf = Organization.objects.filter(parent=first).order_by("pk").first() or first
    return group, first, leaf
