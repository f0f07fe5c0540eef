"""The left-hand menu, by module. Apps add their sections in ``AppConfig.ready``.

An entry shows only to users whose roles may view its model, so the menu never
offers a page that would answer 404; an entry of an administrator's duty (the
security administrator's pages) only to the holder of that duty.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import SeparatedRole
from guozi.core.scope import holds_duty, scope_for


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    model: str  # "app_label.ModelName": shown when the user may view it
    duty: str = ""  # and, if set, only to the holder of this administrator's duty


@dataclass(frozen=True)
class MenuSection:
    label: str | Promise
    items: list[MenuItem] = field(default_factory=list)


SECTIONS: list[MenuSection] = [
    MenuSection(
        _("System"),
        [
            MenuItem(_("Organisations"), "core:organization_list", "core.Organization"),
            MenuItem(_("Users"), "core:user_list", "core.User"),
        ],
    ),
    MenuSection(
        _("Security management"),
        [MenuItem(_("Accounts and clearances"), "core:security_accounts", "core.User", SeparatedRole.SECADMIN)],
    ),
    MenuSection(
        _("Audit"),
        [
            MenuItem(_("Change log"), "core:changerecord_list", "core.ChangeRecord"),
            MenuItem(_("Login log"), "core:loginrecord_list", "core.LoginRecord"),
            MenuItem(_("Security events"), "core:auditevent_list", "core.AuditEvent"),
        ],
    ),
]


@functools.cache
def _url(url_name: str, urlconf: str | None, script_prefix: str) -> str:
    """A menu entry's address: the same for every request with the same URLconf and prefix."""
    return reverse(url_name, urlconf=urlconf)


def visible_menu(user: Any, path: str = "") -> list[dict[str, Any]]:
    sections = []
    urlconf, script_prefix = get_urlconf(), get_script_prefix()
    for section in SECTIONS:
        items = []
        for item in section.items:
            if scope_for(user, apps.get_model(item.model), "view") is None:
                continue
            if item.duty and not holds_duty(user, item.duty):
                continue
            url = _url(item.url_name, urlconf, script_prefix)
            items.append({"label": item.label, "url": url, "url_name": item.url_name, "active": path.startswith(url)})
        if items:
            sections.append({"label": section.label, "items": items})
    return sections


def menu(request: HttpRequest) -> dict[str, Any]:
    """Template context processor.

    Worked out once per request: a page that renders more than one template with the request
    (django-tables2's ``render_table`` does) runs the context processors again.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached: tuple[Any, list[dict[str, Any]]] | None = request.__dict__.get("_guozi_menu")
    if cached is None or cached[0] is not user:  # the user signed in or out meanwhile
        cached = request.__dict__["_guozi_menu"] = (user, visible_menu(user, request.path))
    return {"menu_sections": cached[1]}
