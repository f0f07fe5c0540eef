"""What the standard roles may do with funds: the sponsor edits its own, the SASAC sees all."""

_MODELS = ["fund", "partner", "contribution", "stageentry", "gate", "managerterm"]
_READ = [f"funds.view_{m}" for m in _MODELS]
_WRITE = [f"funds.{action}_{m}" for m in _MODELS for action in ("add", "change")] + ["funds.delete_fund"]

GRANTS = {
    "enterprise_staff": [*_READ, *_WRITE],
    "sasac_staff": _READ,
    "supervision_office": _READ,
    "leader": _READ,
}
