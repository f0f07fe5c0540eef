from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class ChineseFirstMiddleware:
    """Chinese unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    office PCs run browsers set to en-US; the platform's working language is
    Chinese, so only the language cookie (set by the switch) may change it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The browser-side hardening headers on every response (SECURITY.md SEC-WEB-01, SEC-RES-01).

    Guarantee: every response carries ``settings.CONTENT_SECURITY_POLICY`` (no inline
    or evaluated script: a stored ``<script>`` that slipped past escaping does not run),
    ``Permissions-Policy`` and ``X-Frame-Options``; every response that is not a static
    file also carries ``Cache-Control: no-store``, so no page, export or API answer with
    business data stays in a browser or proxy cache after the session (GB/T 22239-2019
    8.1.4.10 b). Django's SecurityMiddleware adds nosniff, Referrer-Policy and HSTS.
    Django 5.2 has no CSP of its own and django-csp is not a dependency: one header
    string is all Guozi needs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}" for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if not request.path_info.startswith(self.static_prefix):
            patch_cache_control(response, no_store=True, private=True)
        return response


#: Browser features no page of Guozi uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
