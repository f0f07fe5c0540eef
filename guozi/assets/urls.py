from django.urls import path

from guozi.assets.views import registry
from guozi.assets.views.census import CensusView
from guozi.assets.views.finance import FinanceView
from guozi.assets.views.imports import ImportErrorsView, ImportProgressView, ImportResultView, ImportView
from guozi.assets.views.revitalizations import RevitalizationOverviewView
from guozi.core.views.generic import model_urls

app_name = "assets"

uploads = registry.LedgerUploadViews

urlpatterns = [
    path("census/", CensusView.as_view(views=registry.AssetViews), name="census"),
    path(
        "revitalization-overview/",
        RevitalizationOverviewView.as_view(views=registry.RevitalizationViews),
        name="revitalization_overview",
    ),
    path("finance/", FinanceView.as_view(views=registry.FinancialSnapshotViews), name="finance"),
    path("import/", ImportView.as_view(views=uploads), name="import"),
    path("import/<int:pk>/", ImportResultView.as_view(views=uploads), name="import_result"),
    path("import/<int:pk>/progress/", ImportProgressView.as_view(views=uploads), name="import_progress"),
    path("import/<int:pk>/errors/", ImportErrorsView.as_view(views=uploads), name="import_errors"),
    *model_urls(registry.AssetViews),
    *model_urls(registry.AssetCategoryViews),
    *model_urls(registry.RevitalizationViews),
    *model_urls(registry.AssetTransferViews),
    *model_urls(registry.FinancialSnapshotViews),
]
