from guozi.assets.models.assets import LEDGER_FIELDS, Asset
from guozi.assets.models.categories import AssetCategory
from guozi.assets.models.uploads import LedgerUpload

__all__ = ["LEDGER_FIELDS", "Asset", "AssetCategory", "LedgerUpload"]
