"""The figures pages: county consolidation, and the reform figures of governance, ratings and headcount."""

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from guozi.core.exports import xlsx_response
from guozi.core.views.generic import ScopedView
from guozi.enterprises.choices import Ownership
from guozi.enterprises.models import CreditRating, EnterpriseProfile, Headcount, Restructuring
from guozi.enterprises.selectors import by_grade, consolidation, governance_figures, headcount_changes, latest_ratings


class ConsolidationView(ScopedView):
    """County SOEs before and after consolidation, by county, from the records the user may see;
    ``?download=xlsx`` gives the same table as a workbook."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponseBase:
        self.require_permission()
        result = consolidation(EnterpriseProfile.objects.restrict(request.user, "view"), self.scoped())
        if request.GET.get("download") == "xlsx":
            header = [
                _("county"),
                _("before consolidation"),
                _("enterprises merged away"),
                _("after consolidation"),
                _("number of restructurings"),
            ]
            rows: list[list[object]] = [
                [c.region, c.before, c.merged, c.after, c.restructurings] for c in result.counties
            ]
            rows.append([_("Total"), result.before, result.merged, result.after, result.restructurings])
            return xlsx_response(_("County SOE consolidation"), header, rows)
        return render(request, "enterprises/consolidation.html", self.context(consolidation=result))


class FiguresView(ScopedView):
    """The reform figures of the registry: governance, credit ratings, headcount before and after."""

    route_kind = "list"
    replica_reads = True  # a dashboard: it only shows figures

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        user = request.user
        visible_ratings = CreditRating.objects.restrict(user, "view")
        ratings = latest_ratings(visible_ratings)
        city = latest_ratings(visible_ratings.filter(organization__enterprise_profile__ownership=Ownership.CITY))
        context = self.context(
            governance=governance_figures(self.scoped()),
            ratings=ratings,
            city_grades=[(grade, len(found)) for grade, found in by_grade(city).items()],
            headcounts=headcount_changes(Headcount.objects.restrict(user, "view")),
            consolidation=consolidation(
                EnterpriseProfile.objects.restrict(user, "view"), Restructuring.objects.restrict(user, "view")
            ),
        )
        return render(request, "enterprises/figures.html", context)
