"""What the standard roles may do with the asset ledger.

An enterprise keeps its own ledger (and its subsidiaries'): it edits rows and imports
files. The SASAC, the supervision office and leaders read every enterprise's ledger.
Asset classes are reference data, read by all of them and changed by none (migration).
"""

_READ = ["assets.view_asset", "assets.view_assetcategory"]

GRANTS = {
    "enterprise_staff": [
        *_READ,
        "assets.add_asset",
        "assets.change_asset",
        "assets.delete_asset",
        # The import pages' working copy of a file, and the batch an import records.
        "assets.view_ledgerupload",
        "assets.add_ledgerupload",
        "core.add_importbatch",
    ],
    "sasac_staff": _READ,
    "supervision_office": _READ,
    "leader": _READ,
}
