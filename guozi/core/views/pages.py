"""Pages of their own: home, health check, sign-in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guozi.core.menu import visible_menu
from guozi.core.models import Organization


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 ``ok`` once the database answers; 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.restrict(request.user, "view")
    return render(
        request,
        "core/home.html",
        {
            "organization_count": organizations.count(),
            "enterprise_count": organizations.filter(kind="enterprise").count(),
            "roles": list(request.user.roles),  # type: ignore[union-attr]
            "sections": visible_menu(request.user),
        },
    )


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
    extra_context = {"site_owner": settings.SITE_OWNER}


login_view = login_not_required(LoginView.as_view())
