from guozi.assets.models.assets import LEDGER_FIELDS, Asset
from guozi.assets.models.categories import AssetCategory
from guozi.assets.models.finance import FinancialSnapshot
from guozi.assets.models.revitalizations import Revitalization
from guozi.assets.models.summaries import AssetRollup, AssetSummary
from guozi.assets.models.transfers import AssetTransfer
from guozi.assets.models.uploads import LedgerUpload

__all__ = [
    "LEDGER_FIELDS",
    "Asset",
    "AssetCategory",
    "AssetRollup",
    "AssetSummary",
    "AssetTransfer",
    "FinancialSnapshot",
    "LedgerUpload",
    "Revitalization",
]
