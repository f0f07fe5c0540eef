from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "guozi.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        SECTIONS.insert(
            1,
            MenuSection(
                _("Funds"),
                [
                    MenuItem(_("Funds"), "funds:fund_list", "funds.Fund"),
                    MenuItem(_("Pipeline"), "funds:pipeline", "funds.Fund"),
                    MenuItem(_("Charts"), "funds:charts", "funds.Fund"),
                ],
            ),
        )
