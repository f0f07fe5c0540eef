"""The benchmark server's routes: all of Guozi's, and the throughput baseline.

The baseline answers with one query by primary key and a few bytes of text: the least a
database-backed Django request costs on this server, behind the same middleware as every
page. Bench only (``bench.settings``): it reads one asset code without a scope, which no
production route may do, and it is never in ``guozi.urls``.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from guozi.assets.models import Asset
from guozi.urls import urlpatterns as guozi_urlpatterns


def one_query(request: HttpRequest, pk: int) -> HttpResponse:
    """One indexed query: the code of the asset with primary key ``pk``."""
    code = Asset.objects.filter(pk=pk).values_list("code", flat=True).first()
    return HttpResponse(code or "", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/one-query/<int:pk>/", login_not_required(require_GET(one_query)), name="bench_one_query"),
    # The same view behind the sign-in: the floor of a signed-in request (session read and
    # saved, the user loaded), for the table only.
    path("bench/one-query-signed-in/<int:pk>/", require_GET(one_query), name="bench_one_query_signed_in"),
    *guozi_urlpatterns,
]
