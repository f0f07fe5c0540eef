from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guozi.assets.models import LEDGER_FIELDS, Asset, AssetTransfer, FinancialSnapshot, Revitalization
from guozi.core.choices import OrganizationKind
from guozi.core.forms import ScopedModelForm, style_fields
from guozi.core.importing.filecheck import MAX_FILE_BYTES
from guozi.core.money import MoneyField

DATE = forms.DateInput(attrs={"type": "date"})


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


def _enterprises_only(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        field.queryset = field.queryset.filter(kind=OrganizationKind.ENTERPRISE)  # type: ignore[attr-defined]


class RevitalizationForm(ScopedModelForm):
    value = MoneyField(label=_("value revitalised (万元)"), unit="万元")
    cash = MoneyField(label=_("cash realised (万元)"), unit="万元")

    class Meta:
        model = Revitalization
        fields = ["asset", "method", "revitalized_on", "value", "cash", "counterparty", "note"]
        widgets = {"revitalized_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class AssetTransferForm(ScopedModelForm):
    """Correct what describes a carried-out transfer; what it moved stays."""

    value = MoneyField(label=_("value (万元)"), unit="万元", required=False)

    class Meta:
        model = AssetTransfer
        fields = ["title", "transferred_on", "value", "document_number", "note"]
        widgets = {"transferred_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class AssetTransferCreateForm(AssetTransferForm):
    class Meta(AssetTransferForm.Meta):
        fields = [
            "kind",
            "title",
            "from_organization",
            "to_organization",
            "transferred_on",
            "value",
            "document_number",
            "assets",
            "organizations",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _enterprises_only(self, "to_organization", "organizations")
        self.fields["assets"].widget.attrs["size"] = 12


class FinancialSnapshotForm(ScopedModelForm):
    total_assets = MoneyField(label=_("total assets (亿元)"), unit="亿元")
    total_liabilities = MoneyField(label=_("total liabilities (亿元)"), unit="亿元")
    revenue = MoneyField(label=_("revenue (亿元)"), unit="亿元", required=False)
    profit = MoneyField(label=_("total profit (亿元)"), unit="亿元", allow_negative=True, required=False)

    class Meta:
        model = FinancialSnapshot
        fields = [
            "enterprise",
            "as_of",
            "total_assets",
            "total_liabilities",
            "financing_cost_rate",
            "revenue",
            "profit",
            "note",
        ]
        widgets = {"as_of": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _enterprises_only(self, "enterprise")
