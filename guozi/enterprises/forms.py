from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guozi.core.forms import ScopedModelForm
from guozi.enterprises.choices import EnterpriseStatus
from guozi.enterprises.creditcode import normalize
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring
from guozi.enterprises.models.profiles import CLASSIFICATION_FIELDS
from guozi.enterprises.services.profiles import CLASSIFY

DATE = forms.DateInput(attrs={"type": "date"})
NOTE = forms.Textarea(attrs={"rows": 3})


class CreditCodeField(forms.CharField):
    """Takes the code as people type it (full-width, lower case, spaces); the model checks it."""

    def to_python(self, value: Any) -> str:
        return normalize(super().to_python(value) or "")


class EnterpriseProfileForm(ScopedModelForm):
    """The profile's edit form. The SASAC's classification shows to everyone but is locked
    for an enterprise's own staff (the service refuses the change too)."""

    credit_code = CreditCodeField(label=_("unified social credit code"), max_length=40)

    class Meta:
        model = EnterpriseProfile
        fields = ["credit_code", "level", "ownership", "industry", "status", "merged_into", "note"]
        widgets = {"note": NOTE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.user.has_perm(CLASSIFY):
            for name in CLASSIFICATION_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True


class EnterpriseProfileCreateForm(EnterpriseProfileForm):
    class Meta(EnterpriseProfileForm.Meta):
        fields = ["organization", *EnterpriseProfileForm.Meta.fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = organization.queryset.filter(enterprise_profile__isnull=True)  # type: ignore[attr-defined]


class GovernanceRecordForm(ScopedModelForm):
    class Meta:
        model = GovernanceRecord
        fields = ["organization", "kind", "title", "done_on", "count", "note"]
        widgets = {"done_on": DATE, "note": NOTE}


class CreditRatingForm(ScopedModelForm):
    class Meta:
        model = CreditRating
        fields = ["organization", "agency", "grade", "rated_on", "note"]
        widgets = {"rated_on": DATE, "note": NOTE}


class HeadcountForm(ScopedModelForm):
    class Meta:
        model = Headcount
        fields = ["organization", "as_of", "staff_quota", "management_posts", "note"]
        widgets = {"as_of": DATE}


class RestructuringForm(ScopedModelForm):
    """Corrections of a recorded restructuring: who merged into whom stays."""

    class Meta:
        model = Restructuring
        fields = ["done_on", "document_number", "note"]
        widgets = {"done_on": DATE, "note": NOTE}


class RestructuringCreateForm(ScopedModelForm):
    class Meta:
        model = Restructuring
        fields = ["done_on", "document_number", "result", "merged", "note"]
        widgets = {"done_on": DATE, "note": NOTE, "merged": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only enterprises in operation take part in a restructuring.
        for name in ("result", "merged"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(  # type: ignore[attr-defined]
                enterprise_profile__status=EnterpriseStatus.ACTIVE
            )
