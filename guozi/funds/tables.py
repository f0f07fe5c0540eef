import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.core.tables import MoneyColumn
from guozi.funds.models import Contribution, Fund, Gate, ManagerTerm, Partner, StageEntry


class FundTable(tables.Table):
    name = tables.Column(linkify=True)
    target_size = MoneyColumn(verbose_name=_("target size"))
    sponsor = tables.Column(verbose_name=_("sponsor"), accessor="sponsor__short_name")

    class Meta:
        model = Fund
        fields = ["name", "kind", "target_size", "focus_industries", "sponsor", "parent", "target_task"]


class PartnerTable(tables.Table):
    name = tables.Column(verbose_name=_("partner"), linkify=True, orderable=False, empty_values=())
    commitment = MoneyColumn(verbose_name=_("commitment"), unit="万元")

    class Meta:
        model = Partner
        fields = ["fund", "name", "role", "commitment"]


class ContributionTable(tables.Table):
    amount = MoneyColumn(verbose_name=_("amount"), unit="万元")
    paid_on = tables.Column(linkify=True)

    class Meta:
        model = Contribution
        fields = ["partner__fund", "partner", "paid_on", "amount", "note"]


class StageEntryTable(tables.Table):
    stage = tables.Column(linkify=True)

    class Meta:
        model = StageEntry
        fields = ["fund", "stage", "entered_on", "note"]


class GateTable(tables.Table):
    description = tables.Column(linkify=True)

    class Meta:
        model = Gate
        fields = ["fund", "kind", "description", "since", "cleared_on"]


class ManagerTermTable(tables.Table):
    manager = tables.Column(linkify=True)

    class Meta:
        model = ManagerTerm
        fields = ["fund", "manager", "started_on", "ended_on", "note"]
