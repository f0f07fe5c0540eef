"""政务公开: published reports on pages that need no sign-in.

Only a report's published text is public: the document as generated, without the
links to the records behind its figures, the findings or who generated it.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guozi.reports.models import GeneratedReport


def _published():  # type: ignore[no-untyped-def]
    return GeneratedReport.objects.filter(published_on__isnull=False, published_on__lte=timezone.localdate())


@login_not_required
@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    by_year: dict[int, list[GeneratedReport]] = defaultdict(list)
    for report in _published().order_by("-published_on").only("pk", "title", "year", "published_on"):
        by_year[report.year].append(report)
    context = {"by_year": sorted(by_year.items(), reverse=True), "site_owner": settings.SITE_OWNER}
    return render(request, "reports/public_list.html", context)


@login_not_required
@require_GET
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _published().filter(pk=pk).first()
    if report is None:
        raise Http404
    context = {"report": report, "document": report.document(), "site_owner": settings.SITE_OWNER}
    return render(request, "reports/public_detail.html", context)
