"""The REST API under /api/, documented at /api/docs (OpenAPI at /api/openapi.json)."""

from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.security import django_auth

from guozi.assets.api import assets
from guozi.core.api import organizations, users
from guozi.core.api.base import JSONParser, install_error_handlers
from guozi.enterprises.api import enterprises
from guozi.funds.api import funds
from guozi.supervision.api import writes

api = NinjaAPI(
    title="Guozi 国资 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
    parser=JSONParser(),
)
install_error_handlers(api)
api.add_router("/", organizations.router)
api.add_router("/", users.router)
# writes adds its operations to tasks.router: one router per path.
api.add_router("/", writes.router)
api.add_router("/", funds.router)
api.add_router("/", assets.router)
api.add_router("/", enterprises.router)


#: The documentation pages stay behind the login page like every other page.
DOC_ROUTES = {"openapi-json", "openapi-view", "api-root"}


def api_urls() -> Any:
    """The API's routes; operations answer 401 themselves rather than redirecting to the login page."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in DOC_ROUTES:
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns, app_name, namespace
