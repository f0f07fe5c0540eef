"""Pages of their own: home, health check, sign-in."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guozi.core.changes import Origin
from guozi.core.menu import visible_menu
from guozi.core.models import Organization, User
from guozi.core.security import password_expired
from guozi.core.services.users import user_password_change


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


class PasswordChangeView(auth_views.PasswordChangeView):
    """The signed-in person changes their password, through the service that logs it."""

    template_name = "core/password_change.html"
    success_url = "/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["password_expired"] = password_expired(self.request.user)
        context["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        # The request's user is a lazy wrapper; the service (and its change record) wants the model.
        me = User.objects.get(pk=form.user.pk)
        user = user_password_change(
            actor=me, origin=Origin.web(self.request), user=me, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password is changed."))
        return HttpResponseRedirect(self.get_success_url())
