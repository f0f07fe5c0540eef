from guozi.enterprises.models.governance import CreditRating, GovernanceRecord, Headcount
from guozi.enterprises.models.profiles import EnterpriseProfile
from guozi.enterprises.models.restructurings import Restructuring

__all__ = ["CreditRating", "EnterpriseProfile", "GovernanceRecord", "Headcount", "Restructuring"]
