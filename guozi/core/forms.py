from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from guozi.core.models import Organization, Role, User
from guozi.core.models.base import Versioned
from guozi.core.scope import ScopedQuerySet


def style_fields(form: forms.BaseForm) -> None:
    """Give each widget its Bootstrap class, so templates stay free of per-field markup."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


class ScopedModelForm(forms.ModelForm):
    """A model form whose choices of related rows are limited to what the user may see.

    A foreign id posted anyway fails as "not one of the available choices", so a
    form can never point a row at another organisation's data.

    Editing a :class:`Versioned` row, the form carries the version it was opened at
    as a hidden field; the service refuses the save if the row has moved on since.
    """

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if isinstance(self.instance, Versioned) and self.instance.pk is not None:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version, min_value=1
            )
            self.initial.setdefault("version", self.instance.version)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if isinstance(queryset, ScopedQuerySet):
                field.queryset = queryset.restrict(user, "view")  # type: ignore[attr-defined]
        style_fields(self)


class OrganizationForm(ScopedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "parent", "region", "sort_order", "is_active"]


class UserForm(ScopedModelForm):
    class Meta:
        model = User
        fields = ["full_name", "organization", "email", "phone", "is_active"]


class UserCreateForm(ScopedModelForm):
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, strip=False)
    roles = forms.ModelMultipleChoiceField(label=_("roles"), queryset=Role.objects.all(), required=False)

    class Meta:
        model = User
        fields = ["username", "full_name", "organization", "email", "phone"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password
