from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "guozi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        SECTIONS.insert(
            0,
            MenuSection(
                _("Supervision"),
                [
                    MenuItem(_("Target tasks"), "supervision:targettask_list", "supervision.TargetTask"),
                    MenuItem(_("Plans"), "supervision:plan_list", "supervision.Plan"),
                ],
            ),
        )
