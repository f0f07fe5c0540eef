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
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import SeparatedRole
from guozi.core.scope import grants, holds_duty, scope_for


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


@dataclass
class _Menu:
    """The entries one set of roles sees, and their markup by language and active entry."""

    #: (section label, [(label, URL name, URL)]) of every section with an entry the roles open.
    sections: list[tuple[Any, list[tuple[Any, str, str]]]]
    #: ``menu_html`` of them by (language, each entry active or not): the same markup for every
    #: request that asks for it, where writing it translated and escaped every label again.
    markup: dict[tuple[str | None, tuple[bool, ...]], SafeString] = field(default_factory=dict)


#: The entries each set of roles sees, by what decides them (Grants.roles and duties, whether the
#: account is active, URLconf and script prefix): worked out once per process, not per request.
#: A role granted, revoked or changed is another key, so it shows from the next request on.
_ENTRIES: dict[tuple[Any, ...], _Menu] = {}
_ENTRIES_KEPT = 256


def _entries(user: Any) -> _Menu:
    """The sections and entries ``user`` may open, kept for every user with the same roles."""
    access = grants(user)
    urlconf, script_prefix = get_urlconf(), get_script_prefix()
    key = (access.roles, access.duties, user.is_active, urlconf, script_prefix)
    found = _ENTRIES.get(key)
    if found is not None:
        return found
    sections = []
    for section in SECTIONS:
        items = []
        for item in section.items:
            if scope_for(user, apps.get_model(item.model), "view") is None:
                continue
            if item.duty and not holds_duty(user, item.duty):
                continue
            items.append((item.label, item.url_name, _url(item.url_name, urlconf, script_prefix)))
        if items:
            sections.append((section.label, items))
    if len(_ENTRIES) >= _ENTRIES_KEPT:
        _ENTRIES.clear()
    found = _ENTRIES[key] = _Menu(sections)
    return found


def visible_menu(user: Any, path: str = "") -> list[dict[str, Any]]:
    if user is None or not user.is_authenticated:
        return []
    return _sections(_entries(user), path)


def _sections(entries: _Menu, path: str) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "items": [
                {"label": item, "url": url, "url_name": url_name, "active": path.startswith(url)}
                for item, url_name, url in items
            ],
        }
        for label, items in entries.sections
    ]


def menu_html(sections: list[dict[str, Any]]) -> SafeString:
    """The menu's entries as ``<li>`` markup, written here rather than by two nested template loops
    (about 90 template variables a page, a tenth of a list page's time). base.html puts them in
    its ``<ul>``; the markup is the one it had (guozi/core/tests/test_scope.py)."""
    parts = []
    for section in sections:
        parts.append(f'<li class="nav-item mt-2 px-3 text-secondary small fw-bold">{escape(section["label"])}</li>')
        for item in section["items"]:
            active = " active" if item["active"] else ""
            parts.append(
                f'<li class="nav-item"><a class="nav-link ps-4{active}" href="{escape(item["url"])}">'
                f"{escape(item['label'])}</a></li>"
            )
    return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703 # every value escaped above


def menu(request: HttpRequest) -> dict[str, Any]:
    """Template context processor.

    Worked out once per request: a page that renders more than one template with the request
    (django-tables2's ``render_table`` did) runs the context processors again.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached: tuple[Any, list[dict[str, Any]], SafeString] | None = request.__dict__.get("_guozi_menu")
    if cached is None or cached[0] is not user:  # the user signed in or out meanwhile
        entries = _entries(user)
        sections = _sections(entries, request.path)
        shown = (get_language(), tuple(item["active"] for section in sections for item in section["items"]))
        markup = entries.markup.get(shown)
        if markup is None:
            markup = entries.markup[shown] = menu_html(sections)
        cached = request.__dict__["_guozi_menu"] = (user, sections, markup)
    return {"menu_sections": cached[1], "menu_html": cached[2]}
