from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guozi.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Login records and the SQLite append-only guard hook into Django's signals;
        # the system checks make sure the upload parser is defused (SEC-FILE-02).
        from guozi.core import checks, signals  # noqa: F401
