from django.urls import path

from guozi.core.views.generic import model_urls
from guozi.enterprises.views import registry
from guozi.enterprises.views.pages import ConsolidationView, FiguresView

app_name = "enterprises"

urlpatterns = [
    path("consolidation/", ConsolidationView.as_view(views=registry.RestructuringViews), name="consolidation"),
    path("figures/", FiguresView.as_view(views=registry.GovernanceRecordViews), name="figures"),
    *model_urls(registry.EnterpriseProfileViews),
    *model_urls(registry.GovernanceRecordViews),
    *model_urls(registry.CreditRatingViews),
    *model_urls(registry.HeadcountViews),
    *model_urls(registry.RestructuringViews),
]
