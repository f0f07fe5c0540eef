from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import LEDGER_FIELDS, Asset
from guozi.core.choices import OrganizationKind
from guozi.core.forms import ScopedModelForm, style_fields
from guozi.core.importing.filecheck import MAX_FILE_BYTES
from guozi.core.money import MoneyField


class AssetForm(ScopedModelForm):
    """Correct a ledger row; enterprise and code stay (a move between enterprises is a transfer)."""

    original_value = MoneyField(label=_("original value (万元)"), unit="万元", required=False)
    book_value = MoneyField(label=_("book value (万元)"), unit="万元")

    class Meta:
        model = Asset
        fields = LEDGER_FIELDS
        widgets = {"acquired_on": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 3})}


class AssetCreateForm(AssetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        enterprise.queryset = enterprise.queryset.filter(kind=OrganizationKind.ENTERPRISE)  # type: ignore[attr-defined]

    class Meta(AssetForm.Meta):
        fields = ["enterprise", "code", *LEDGER_FIELDS]


class LedgerFileForm(forms.Form):
    file = forms.FileField(
        label=_("ledger file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory; the file checks repeat the limit on the bytes.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB: split the ledger into several files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload
