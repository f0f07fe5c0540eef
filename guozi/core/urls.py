from django.urls import path

from guozi.core.views.attachments import AttachmentDeleteView, AttachmentDownloadView, AttachmentViews
from guozi.core.views.generic import model_urls
from guozi.core.views.registry import AuditEventViews, ChangeRecordViews, LoginRecordViews, OrganizationViews, UserViews
from guozi.core.views.security_admin import security_urls

app_name = "core"

urlpatterns = [
    path("attachment/<int:pk>/", AttachmentDownloadView.as_view(views=AttachmentViews), name="attachment_download"),
    path("attachment/<int:pk>/delete/", AttachmentDeleteView.as_view(views=AttachmentViews), name="attachment_delete"),
    *model_urls(OrganizationViews),
    *model_urls(UserViews),
    *model_urls(ChangeRecordViews),
    *model_urls(AuditEventViews),
    *model_urls(LoginRecordViews),
    *security_urls(),
]
