"""The registry's pages, one declaration per model; a profile's page shows its whole record."""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from guozi.core.views.generic import ObjectViews
from guozi.enterprises import filtersets, forms, tables
from guozi.enterprises.choices import EnterpriseStatus
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring
from guozi.enterprises.selectors import enterprise_record
from guozi.enterprises.services.governance import (
    credit_rating_create,
    credit_rating_delete,
    credit_rating_update,
    governance_record_create,
    governance_record_delete,
    governance_record_update,
    headcount_create,
    headcount_delete,
    headcount_update,
)
from guozi.enterprises.services.profiles import enterprise_profile_create, enterprise_profile_update
from guozi.enterprises.services.restructurings import restructuring_create, restructuring_update


class EnterpriseProfileViews(ObjectViews):
    model = EnterpriseProfile
    filterset = filtersets.EnterpriseProfileFilterSet
    table = tables.EnterpriseProfileTable
    form = forms.EnterpriseProfileForm
    create_form = forms.EnterpriseProfileCreateForm
    create = enterprise_profile_create
    update = enterprise_profile_update
    # A profile is not deleted: an enterprise that ends is merged away or deregistered.
    detail_fields = ["organization", "credit_code", "level", "ownership", "industry", "status", "merged_into", "note"]
    list_template = "enterprises/enterpriseprofile_list.html"
    detail_template = "enterprises/enterpriseprofile_detail.html"

    @classmethod
    def list_context(cls, request: HttpRequest, queryset: QuerySet[Any], filterset: Any) -> dict[str, Any]:
        """How many of the filtered enterprises are in operation, merged away, deregistered: one query."""
        counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
        by_status = [(status.label, counts[status]) for status in EnterpriseStatus if status in counts]
        return {"by_status": by_status, "total": sum(counts.values())}

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """Everything the registry holds on the enterprise, each part read through the user's scope."""
        visible = EnterpriseProfile.objects.restrict(request.user)
        return {
            "record": enterprise_record(request.user, obj.organization),  # type: ignore[arg-type]
            "merged_into_profile": visible.filter(organization=obj.merged_into_id).first()
            if obj.merged_into_id
            else None,
        }


class GovernanceRecordViews(ObjectViews):
    model = GovernanceRecord
    filterset = filtersets.GovernanceRecordFilterSet
    table = tables.GovernanceRecordTable
    form = forms.GovernanceRecordForm
    create = governance_record_create
    update = governance_record_update
    delete = governance_record_delete


class CreditRatingViews(ObjectViews):
    model = CreditRating
    filterset = filtersets.CreditRatingFilterSet
    table = tables.CreditRatingTable
    form = forms.CreditRatingForm
    create = credit_rating_create
    update = credit_rating_update
    delete = credit_rating_delete


class HeadcountViews(ObjectViews):
    model = Headcount
    filterset = filtersets.HeadcountFilterSet
    table = tables.HeadcountTable
    form = forms.HeadcountForm
    create = headcount_create
    update = headcount_update
    delete = headcount_delete


class RestructuringViews(ObjectViews):
    model = Restructuring
    filterset = filtersets.RestructuringFilterSet
    table = tables.RestructuringTable
    form = forms.RestructuringForm
    create_form = forms.RestructuringCreateForm
    create = restructuring_create
    update = restructuring_update
    detail_fields = ["done_on", "document_number", "result", "merged", "note"]

    @classmethod
    def list_queryset(cls, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().list_queryset(queryset).annotate(merged_count=Count("merged", distinct=True))
