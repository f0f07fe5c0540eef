from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "guozi.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        # Before core's own sections (system, audit), like the other business sections.
        position = next(
            (i for i, s in enumerate(SECTIONS) if any(item.url_name.startswith("core:") for item in s.items)),
            len(SECTIONS),
        )
        SECTIONS.insert(
            position,
            MenuSection(
                _("Enterprises"),
                [
                    MenuItem(
                        _("Enterprise registry"), "enterprises:enterpriseprofile_list", "enterprises.EnterpriseProfile"
                    ),
                    MenuItem(_("Reform figures"), "enterprises:figures", "enterprises.GovernanceRecord"),
                    MenuItem(_("County consolidation"), "enterprises:consolidation", "enterprises.Restructuring"),
                    MenuItem(
                        _("Governance records"), "enterprises:governancerecord_list", "enterprises.GovernanceRecord"
                    ),
                    MenuItem(_("Credit ratings"), "enterprises:creditrating_list", "enterprises.CreditRating"),
                    MenuItem(_("Headcount"), "enterprises:headcount_list", "enterprises.Headcount"),
                    MenuItem(_("Restructurings"), "enterprises:restructuring_list", "enterprises.Restructuring"),
                ],
            ),
        )
