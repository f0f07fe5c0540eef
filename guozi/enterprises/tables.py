import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring


def _linked(**kwargs: object) -> tables.Column:
    """A column that links to the row's own page (not to the organisation it names)."""
    return tables.Column(linkify=lambda record: record.get_absolute_url(), **kwargs)


class EnterpriseProfileTable(tables.Table):
    name = _linked(verbose_name=_("enterprise name"), accessor="organization__name", order_by="organization__name")
    region = tables.Column(verbose_name=_("region"), accessor="organization__region")
    merged_into = tables.Column(verbose_name=_("merged into"), accessor="merged_into__name")

    class Meta:
        model = EnterpriseProfile
        fields = ["name", "credit_code", "level", "ownership", "region", "industry", "status", "merged_into"]


class GovernanceRecordTable(tables.Table):
    title = _linked()
    organization = tables.Column(verbose_name=_("organisation"), accessor="organization__name")
    count = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta:
        model = GovernanceRecord
        fields = ["done_on", "organization", "kind", "title", "count"]


class CreditRatingTable(tables.Table):
    organization = _linked(verbose_name=_("enterprise"), accessor="organization__name")

    class Meta:
        model = CreditRating
        fields = ["organization", "grade", "agency", "rated_on"]


class HeadcountTable(tables.Table):
    organization = _linked(verbose_name=_("enterprise"), accessor="organization__name")
    staff_quota = tables.Column(attrs={"td": {"class": "text-end"}})
    management_posts = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Headcount
        fields = ["organization", "as_of", "staff_quota", "management_posts", "note"]


class RestructuringTable(tables.Table):
    document_number = _linked()
    region = tables.Column(verbose_name=_("region"), accessor="result__region")
    result = tables.Column(verbose_name=_("resulting enterprise"), accessor="result__name")
    merged_count = tables.Column(verbose_name=_("number merged"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Restructuring
        fields = ["done_on", "document_number", "region", "result", "merged_count"]
