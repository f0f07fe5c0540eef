from django import forms
from django.utils.translation import gettext_lazy as _

from guozi.core.forms import ScopedModelForm
from guozi.core.models import Organization
from guozi.reports.models import GeneratedReport


def default_addressee() -> str:
    """The supervision office, as the city's organisation tree names it."""
    office = Organization.objects.filter(name__endswith="政务督查室").first()
    return office.name if office else ""


class GenerateForm(ScopedModelForm):
    addressee = forms.CharField(label=_("addressee"), max_length=100)
    published_on = forms.DateField(label=_("publication date"), required=False)
    index_number = forms.CharField(
        label=_("index number"),
        max_length=50,
        required=False,
        help_text=_("索引号 of the public disclosure, e.g. 764137824/2025-27843."),
    )
    draft = forms.BooleanField(label=_("draft: include reports not yet approved, stamped 草稿"), required=False)

    class Meta:
        model = GeneratedReport
        fields = ["plan", "year", "quarter", "unit"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].initial = default_addressee()
        self.fields["quarter"].widget = forms.Select(
            choices=[(q, f"第{q}季度") for q in range(1, 5)], attrs={"class": "form-select form-select-sm"}
        )
