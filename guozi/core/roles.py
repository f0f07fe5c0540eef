"""The platform's standard roles, declared once: code, name, data scope, permissions.

``roles_ensure`` creates or updates them (demo data, fresh installs). Apps add
permissions to these roles in their own ``roles.py``: ``GRANTS = {role code: [...]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import transaction

from guozi.core.changes import Origin, create_object, record_change
from guozi.core.choices import ChangeAction, DataScope, SeparatedRole
from guozi.core.models import Role, User
from guozi.core.registry import app_modules


@dataclass
class RoleSpec:
    code: str
    name: str
    scope: DataScope
    permissions: list[str] = field(default_factory=list)  # "app_label.codename"
    separated_duty: str = ""
    description: str = ""


ROLES: list[RoleSpec] = [
    RoleSpec(
        "supervision_office",
        "督查室人员",
        DataScope.ALL,
        ["core.view_organization", "core.view_user", "core.view_attachment"],
        description="市政府政务督查室：下达、催办、审核、汇总",
    ),
    RoleSpec(
        "sasac_staff",
        "国资委人员",
        DataScope.ALL,
        [
            "core.view_organization",
            "core.add_organization",
            "core.change_organization",
            "core.view_user",
            "core.view_attachment",
            "core.add_attachment",
            "core.delete_attachment",
        ],
        description="市政府国资委：分解任务、填报进度、审核企业数据",
    ),
    RoleSpec(
        "enterprise_staff",
        "企业填报人员",
        DataScope.SUBTREE,
        [
            "core.view_organization",
            "core.add_organization",
            "core.change_organization",
            "core.view_user",
            "core.view_attachment",
            "core.add_attachment",
            "core.delete_attachment",
        ],
        description="国有企业：维护本企业及下属企业的数据",
    ),
    RoleSpec(
        "leader",
        "领导",
        DataScope.ALL,
        ["core.view_organization", "core.view_user", "core.view_attachment"],
        description="只读查看",
    ),
    RoleSpec(
        "sysadmin",
        "系统管理员",
        DataScope.ALL,
        [
            "core.view_organization",
            "core.add_organization",
            "core.change_organization",
            "core.delete_organization",
            "core.view_user",
            "core.add_user",
            "core.change_user",
        ],
        separated_duty=SeparatedRole.SYSADMIN,
        description="用户、机构与系统参数",
    ),
    RoleSpec(
        "secadmin",
        "安全管理员",
        DataScope.ALL,
        # view_attachment: the labelled documents the security administrator labels (8.1.5.3);
        # a file's content stays behind its record's scope (core.views.attachments).
        ["core.view_user", "core.view_role", "core.change_role", "core.view_attachment"],
        separated_duty=SeparatedRole.SECADMIN,
        description="角色授权与安全策略",
    ),
    RoleSpec(
        "auditor",
        "审计管理员",
        DataScope.ALL,
        ["core.view_changerecord", "core.view_loginrecord", "core.view_auditevent"],
        separated_duty=SeparatedRole.AUDITOR,
        description="只读审计记录",
    ),
]


def _grants(spec: RoleSpec) -> list[str]:
    """The role's own permissions plus those each app's ``roles.GRANTS`` adds to it."""
    names = list(spec.permissions)
    for module in app_modules("roles"):
        names += module.GRANTS.get(spec.code, [])
    return names


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def roles_ensure(*, actor: User | None, origin: Origin) -> dict[str, Role]:
    """Create missing standard roles and bring their permissions up to date.

    ``actor=None`` only while bootstrapping, before any account exists: the
    changes are then recorded once the first account can act (see ``demo``).
    """
    result: dict[str, Role] = {}
    with transaction.atomic():
        for spec in ROLES:
            role = Role.objects.filter(code=spec.code).first()
            if role is None:
                role = Role(
                    code=spec.code,
                    name=spec.name,
                    scope=spec.scope,
                    separated_duty=spec.separated_duty,
                    description=spec.description,
                )
                if actor is None:
                    role.full_clean()
                    role.save()
                else:
                    create_object(actor=actor, origin=origin, instance=role)
            wanted = _permissions(_grants(spec))
            before = sorted(role.permissions.values_list("codename", flat=True))
            role.permissions.set(wanted)
            after = sorted(p.codename for p in wanted)
            if actor is not None and before != after:
                record_change(
                    actor=actor,
                    origin=origin,
                    action=ChangeAction.UPDATE,
                    instance=role,
                    before={"permissions": before},
                    after={"permissions": after},
                )
            result[spec.code] = role
    return result
