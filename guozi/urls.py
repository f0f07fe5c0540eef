from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from guozi.api import api_urls
from guozi.core.views import pages, second_factor
from guozi.reports import public

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", pages.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", pages.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/otp/", second_factor.verify, name="otp_verify"),
    path("accounts/otp/enrol/", second_factor.enrol, name="otp_enrol"),
    # The language switch works on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("core/", include("guozi.core.urls")),
    path("supervision/", include("guozi.supervision.urls")),
    path("funds/", include("guozi.funds.urls")),
    path("assets/", include("guozi.assets.urls")),
    path("enterprises/", include("guozi.enterprises.urls")),
    path("reports/", include("guozi.reports.urls")),
    path("public/reports/", public.published_list, name="public_reports"),
    path("public/reports/<int:pk>/", public.published_detail, name="public_report"),
    path("api/", api_urls()),
]
