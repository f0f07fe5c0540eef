from guozi.core.views.generic import model_urls
from guozi.supervision.views.registry import PlanViews, TargetTaskViews

app_name = "supervision"

urlpatterns = [*model_urls(PlanViews), *model_urls(TargetTaskViews)]
