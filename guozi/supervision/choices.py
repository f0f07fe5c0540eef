from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    WORK_REPORT = "work_report", _("Government Work Report")
    CAMPAIGN = "campaign", _("Campaign")


class Adjustment(models.TextChoices):
    NONE = "", _("As planned")
    ADJUSTED = "adjusted", _("Adjusted")
    DROPPED = "dropped", _("No longer pursued")
