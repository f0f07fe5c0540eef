from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Where an enterprise stands in its group: the group itself (一级) or a subsidiary below it."""

    FIRST = 1, _("First-tier enterprise")
    SECOND = 2, _("Second-tier enterprise")
    THIRD = 3, _("Third-tier enterprise")


class Ownership(models.TextChoices):
    """Which government owns the enterprise: the city's SASAC (市属) or a county's (县属)."""

    CITY = "city", _("City-owned")
    COUNTY = "county", _("County-owned")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("In operation")
    MERGED = "merged", _("Merged away")
    DEREGISTERED = "deregistered", _("Deregistered")


class GovernanceKind(models.TextChoices):
    BOARD = "board", _("Board building")
    SUPERVISORY_BOARD = "supervisory_board", _("Supervisory-board reform")
    EXTERNAL_DIRECTORS = "external_directors", _("External directors appointed")
    PARTY_PRE_STUDY = "party_pre_study", _("Party committee's pre-study list")
    DECOUPLING = "decoupling", _("Decoupling and restructuring")


#: What a governance record's ``count`` counts, by kind ("483家", "6名"). Board building
#: is not counted; every other kind must say how many.
COUNT_UNITS = {
    GovernanceKind.SUPERVISORY_BOARD: "家",
    GovernanceKind.EXTERNAL_DIRECTORS: "名",
    GovernanceKind.PARTY_PRE_STUDY: "家",
    GovernanceKind.DECOUPLING: "家",
}


class CreditGrade(models.TextChoices):
    """Long-term issuer grades of China's rating agencies, best first (AAA … C)."""

    AAA = "AAA", "AAA"
    AA_PLUS = "AA+", "AA+"
    AA = "AA", "AA"
    AA_MINUS = "AA-", "AA-"
    A_PLUS = "A+", "A+"
    A = "A", "A"
    A_MINUS = "A-", "A-"
    BBB_PLUS = "BBB+", "BBB+"
    BBB = "BBB", "BBB"
    BBB_MINUS = "BBB-", "BBB-"
    BB_PLUS = "BB+", "BB+"
    BB = "BB", "BB"
    BB_MINUS = "BB-", "BB-"
    B_PLUS = "B+", "B+"
    B = "B", "B"
    B_MINUS = "B-", "B-"
    CCC = "CCC", "CCC"
    CC = "CC", "CC"
    C = "C", "C"
