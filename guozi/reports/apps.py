from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "guozi.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        SECTIONS.insert(
            0,
            MenuSection(
                _("Reports"),
                [MenuItem(_("Quarterly reports"), "reports:generatedreport_list", "reports.GeneratedReport")],
            ),
        )
