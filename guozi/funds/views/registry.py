"""The funds models' pages, one declaration each; the fund's own pages show more."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from guozi.core.views.asof import as_of_date
from guozi.core.views.generic import ObjectViews
from guozi.funds import filtersets, forms, tables
from guozi.funds.models import Contribution, Fund, Gate, ManagerTerm, Partner, StageEntry
from guozi.funds.selectors import fund_states, fund_totals
from guozi.funds.services.funds import fund_create, fund_delete, fund_update, manager_term_create
from guozi.funds.services.partners import contribution_create, partner_create, partner_update
from guozi.funds.services.stages import gate_create, gate_update, stage_entry_create


class FundViews(ObjectViews):
    model = Fund
    filterset = filtersets.FundFilterSet
    table = tables.FundTable
    form = forms.FundForm
    create = fund_create
    update = fund_update
    delete = fund_delete
    # Sizes show in the figure cards above, in 亿元.
    detail_fields = ["name", "short_name", "kind", "focus_industries", "sponsor", "parent", "target_task", "note"]
    list_template = "funds/fund_list.html"
    detail_template = "funds/fund_detail.html"

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any], filterset: Any) -> dict[str, Any]:
        as_of = as_of_date(request)
        return {"totals": fund_totals(fund_states(queryset, as_of)), "as_of": as_of}

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        as_of = as_of_date(request)
        (state,) = fund_states(Fund.objects.filter(pk=obj.pk), as_of)
        return {"state": state, "as_of": as_of, "managers": obj.manager_terms.all()}


class PartnerViews(ObjectViews):
    model = Partner
    filterset = filtersets.PartnerFilterSet
    table = tables.PartnerTable
    form = forms.PartnerForm
    list_related = ["organization"]
    create = partner_create
    update = partner_update


class ContributionViews(ObjectViews):
    model = Contribution
    filterset = filtersets.ContributionFilterSet
    table = tables.ContributionTable
    form = forms.ContributionForm
    create = contribution_create
    list_related = ["partner__fund", "partner__organization"]


class StageEntryViews(ObjectViews):
    model = StageEntry
    filterset = filtersets.StageEntryFilterSet
    table = tables.StageEntryTable
    form = forms.StageEntryForm
    create = stage_entry_create


class GateViews(ObjectViews):
    model = Gate
    filterset = filtersets.GateFilterSet
    table = tables.GateTable
    form = forms.GateForm
    create = gate_create
    update = gate_update


class ManagerTermViews(ObjectViews):
    model = ManagerTerm
    filterset = filtersets.ManagerTermFilterSet
    table = tables.ManagerTermTable
    form = forms.ManagerTermForm
    create = manager_term_create
