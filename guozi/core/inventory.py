"""The route inventory: every page and API operation, walked from the URL resolver and OpenAPI.

The isolation sweep (tests/test_route_isolation.py) probes what this lists and
fails on a route it cannot classify; ``guozi security report`` hands the same
list to an assessor (GB/T 28448: 测试验证是否可越权访问).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from guozi.core.views import generic


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # with "{pk}" where the object id goes
    kind: str
    model: type[models.Model] | None
    duty: str = ""  # a page of one administrator's duty only (``ScopedView.duty``)


def walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, name, view) of every URL pattern, names with their namespaces."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern.callback


def openapi_path(path: str) -> str:
    return re.sub(r"<int:(\w+)>", r"{\1}", path)


def generic_routes() -> list[Route]:
    """The pages built from model declarations, with the kind the sweep probes them as."""
    routes = []
    for path, name, callback in walk():
        view_class = getattr(callback, "view_class", None)
        if view_class is None or not issubclass(view_class, generic.ScopedView):
            continue
        model = callback.view_initkwargs["views"].model
        kind = view_class.route_kind if "<int:pk>" in path or view_class.route_kind != "object" else "create"
        routes.append(Route(name, openapi_path(path), kind, model, view_class.duty))
    return routes


def api_operations() -> dict[tuple[str, str], dict[str, Any]]:
    from guozi.api import api

    schema = api.get_openapi_schema()
    return {(method, path): operation for path, ops in schema["paths"].items() for method, operation in ops.items()}


def api_routes() -> list[Route]:
    """Every API operation, classified by the ``isolation()`` extension it declares."""
    routes = []
    for (method, path), operation in api_operations().items():
        model = apps.get_model(operation["x-guozi-model"]) if "x-guozi-model" in operation else None
        routes.append(Route(f"{method} {path}", path, operation.get("x-guozi-kind", "unclassified"), model))
    return routes


def is_public(view: Any) -> bool:
    """Whether the view opts out of the default sign-in requirement (``login_not_required``)."""
    return getattr(view, "login_required", True) is False
