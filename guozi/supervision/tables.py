import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.supervision.models import Plan, TargetTask


class PlanTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Plan
        fields = ["name", "kind", "year", "end_year", "issuer"]


class TargetTaskTable(tables.Table):
    number = tables.Column(verbose_name=_("number"), linkify=True)
    lead_unit = tables.Column(verbose_name=_("lead unit"), accessor="lead_unit__short_name")

    class Meta:
        model = TargetTask
        fields = ["plan", "number", "heading", "text", "lead_unit", "deadline", "adjustment"]
