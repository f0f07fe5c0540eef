from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    PARENT = "parent", _("Parent fund")
    REGIONAL = "regional", _("Regional sub-parent fund")
    SPECIAL = "special", _("Special-purpose fund")
    VENTURE = "venture", _("Venture fund")
    OFFSHORE = "offshore", _("Offshore fund")


class Stage(models.IntegerChoices):
    """The set-up pipeline of a fund, in order; the values leave room between steps."""

    PROPOSAL = 10, _("Proposal")
    APPROVAL = 20, _("Decision and approval")
    NEGOTIATION = 30, _("Agreement negotiation")
    SIGNING = 40, _("Agreement signing")
    REGISTRATION = 50, _("Business registration")
    FIRST_PAYMENT = 60, _("First contribution")
    FILING = 70, _("Fund filing")
    INVESTING = 80, _("Investing")


class PartnerRole(models.TextChoices):
    GP = "gp", _("General partner (GP)")
    LP = "lp", _("Limited partner (LP)")


class GateKind(models.TextChoices):
    APPROVAL = "approval", _("Outside approval")
    FUND_FILING = "fund_filing", _("Another fund's filing")
    PAYMENT = "payment", _("A partner's payment")
