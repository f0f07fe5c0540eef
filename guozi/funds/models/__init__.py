from guozi.funds.models.funds import Fund, ManagerTerm
from guozi.funds.models.partners import Contribution, Partner
from guozi.funds.models.stages import Gate, StageEntry

__all__ = ["Contribution", "Fund", "Gate", "ManagerTerm", "Partner", "StageEntry"]
