from django.urls import path

from guozi.core.views.generic import model_urls
from guozi.funds.views import registry
from guozi.funds.views.pages import ChartsView, PipelineView

app_name = "funds"

urlpatterns = [
    path("pipeline/", PipelineView.as_view(views=registry.FundViews), name="pipeline"),
    path("charts/", ChartsView.as_view(views=registry.FundViews), name="charts"),
    *model_urls(registry.FundViews),
    *model_urls(registry.PartnerViews),
    *model_urls(registry.ContributionViews),
    *model_urls(registry.StageEntryViews),
    *model_urls(registry.GateViews),
    *model_urls(registry.ManagerTermViews),
]
