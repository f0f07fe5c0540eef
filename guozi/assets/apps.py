from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "guozi.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        # After the business sections (supervision, funds), before core's own (system, audit).
        position = next(
            (i for i, s in enumerate(SECTIONS) if any(item.url_name.startswith("core:") for item in s.items)),
            len(SECTIONS),
        )
        SECTIONS.insert(
            position,
            MenuSection(
                _("Assets"),
                [
                    MenuItem(_("Asset ledger"), "assets:asset_list", "assets.Asset"),
                    MenuItem(_("Census"), "assets:census", "assets.Asset"),
                    MenuItem(_("Revitalisations"), "assets:revitalization_list", "assets.Revitalization"),
                    MenuItem(_("Revitalisation overview"), "assets:revitalization_overview", "assets.Revitalization"),
                    MenuItem(_("Transfers and injections"), "assets:assettransfer_list", "assets.AssetTransfer"),
                    MenuItem(_("Financial snapshots"), "assets:financialsnapshot_list", "assets.FinancialSnapshot"),
                    MenuItem(_("Financial comparison"), "assets:finance", "assets.FinancialSnapshot"),
                    MenuItem(_("Import a ledger"), "assets:import", "assets.LedgerUpload"),
                    MenuItem(_("Asset classes"), "assets:assetcategory_list", "assets.AssetCategory"),
                ],
            ),
        )
