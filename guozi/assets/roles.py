"""What the standard roles may do with the asset ledger and what is recorded around it.

An enterprise keeps its own ledger (and its subsidiaries'): it edits rows, imports
files, records its revitalisations and reports its financial figures. Transfers and
injections are the SASAC's decisions: the SASAC records them (which carries them out),
both sides read them. The SASAC, the supervision office and leaders read everything.
Asset classes are reference data, read by all of them and changed by none (migration).
"""

_READ = [
    "assets.view_asset",
    "assets.view_assetcategory",
    "assets.view_revitalization",
    "assets.view_assettransfer",
    "assets.view_financialsnapshot",
]

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
        "assets.add_revitalization",
        "assets.change_revitalization",
        "assets.delete_revitalization",
        "assets.add_financialsnapshot",
        "assets.change_financialsnapshot",
        "assets.delete_financialsnapshot",
    ],
    # Recording a transfer moves assets and companies: it needs core.change_organization
    # too, which the role has (core/roles.py).
    "sasac_staff": [*_READ, "assets.add_assettransfer", "assets.change_assettransfer"],
    "supervision_office": _READ,
    "leader": _READ,
}
