"""What the standard roles may do with the enterprise registry.

The SASAC keeps the registry: it enters enterprises, classifies them, and records
governance steps, ratings, headcount and restructurings. An enterprise reads its own
record and its subsidiaries', and corrects its own profile's facts (credit code,
industry, note) but not its classification (``classify_enterpriseprofile``). The
supervision office and leaders read everything.
"""

_MODELS = ["enterpriseprofile", "governancerecord", "creditrating", "headcount", "restructuring"]
_READ = [f"enterprises.view_{m}" for m in _MODELS]

GRANTS = {
    "sasac_staff": [
        *_READ,
        *(f"enterprises.{action}_{m}" for m in _MODELS for action in ("add", "change")),
        *(f"enterprises.delete_{m}" for m in ("governancerecord", "creditrating", "headcount")),
        "enterprises.classify_enterpriseprofile",
    ],
    "enterprise_staff": [*_READ, "enterprises.change_enterpriseprofile"],
    "supervision_office": _READ,
    "leader": _READ,
}
