from guozi.core.views.generic import model_urls
from guozi.core.views.registry import ChangeRecordViews, LoginRecordViews, OrganizationViews, UserViews

app_name = "core"

urlpatterns = [
    *model_urls(OrganizationViews),
    *model_urls(UserViews),
    *model_urls(ChangeRecordViews),
    *model_urls(LoginRecordViews),
]
