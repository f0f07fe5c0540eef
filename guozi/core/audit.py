"""Security events for the audit trail (GB/T 22239-2019 8.1.4.3; SECURITY.md 4.5).

Writes are in the change log and sign-ins in the login log; this records the rest:
access refused, exports and downloads, imports, and the auditor's own reading of
the logs. :class:`AuditMiddleware` sees every response, so a page or API route
cannot forget to record a refusal or a file leaving the system: that is decided
here, once, from the response (a resolved route answering 401/403/404 to a
request; an attachment). Imports record themselves (:func:`record_import`),
inside their transaction when they succeed.

Fail closed: if an event cannot be written, the response is an error instead of
the export (8.1.4.3 d).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponseBase

from guozi.core.models import AuditEvent, AuditEventKind, User

#: Route names of the audit trail's own pages: reading them is itself an event.
AUDIT_ROUTES = ("core:changerecord_", "core:loginrecord_", "core:auditevent_")
DENIAL_STATUSES = {401, 403, 404}


def client_of(request: HttpRequest | None) -> tuple[str | None, str]:
    """(IP address, user agent) of a request, as every log stores them."""
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")[:300]


def _client(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    ip, agent = client_of(request)
    return {
        "ip": ip,
        "user_agent": agent,
        "method": request.method or "",
        "path": request.get_full_path()[:500],
        "route": (request.resolver_match.view_name if request.resolver_match else "")[:200],
    }


def record_event(
    kind: AuditEventKind,
    *,
    request: HttpRequest | None = None,
    actor: User | None = None,
    success: bool = True,
    status: int | None = None,
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    if actor is None and request is not None and isinstance(request.user, User):
        actor = request.user
    client = _client(request)
    if ip is not None:
        client["ip"] = ip
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        organization_id=actor.organization_id if actor is not None else None,
        success=success,
        status=status,
        object_repr=object_repr[:300],
        detail=detail or {},
        **client,
    )


def record_import(
    *, actor: User, ip: str | None, what: str, file_name: str, sha256: str, rows: int, errors: int
) -> AuditEvent:
    """An import, accepted (call inside its transaction) or refused (call after the rollback)."""
    return record_event(
        AuditEventKind.IMPORT,
        actor=actor,
        ip=ip,
        success=errors == 0,
        object_repr=file_name,
        detail={"what": what, "sha256": sha256, "rows": rows, "errors": errors},
    )


def _attachment_name(response: HttpResponseBase) -> str | None:
    """The file name of a download (``filename*=UTF-8''…`` preferred, as our exports write it)."""
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith("attachment"):
        return None
    params = dict(part.strip().split("=", 1) for part in disposition.split(";")[1:] if "=" in part)
    if "filename*" in params:
        return unquote(params["filename*"].split("''", 1)[-1])[:300]
    return params.get("filename", "").strip('"')[:300]


def classify(request: HttpRequest, response: HttpResponseBase) -> tuple[AuditEventKind, dict[str, Any]] | None:
    """Which event, if any, this request and its response make."""
    route = request.resolver_match.view_name if request.resolver_match else ""
    if not route:
        return None  # no such route: a mistyped address, not a refusal
    status = response.status_code
    if status in DENIAL_STATUSES:
        return AuditEventKind.DENIED, {}
    if status >= 400:
        return None
    file_name = _attachment_name(response)
    if route.startswith(AUDIT_ROUTES):
        return AuditEventKind.AUDIT_READ, {"file": file_name} if file_name else {}
    if file_name is not None:
        kind = AuditEventKind.EXPORT if "export" in route or "export" in request.path else AuditEventKind.DOWNLOAD
        return kind, {"file": file_name, "content_type": response.get("Content-Type", "")}
    return None


class AuditMiddleware:
    """Records refusals, exports, downloads and audit reading from each response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        event = classify(request, response)
        if event is not None:
            kind, detail = event
            record_event(
                kind,
                request=request,
                success=kind != AuditEventKind.DENIED,
                status=response.status_code,
                object_repr=detail.get("file") or "",
                detail=detail,
            )
        return response
