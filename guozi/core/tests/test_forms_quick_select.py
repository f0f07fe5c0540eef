"""QuickSelect writes the HTML Django's select template writes, byte for byte."""

from typing import Any

import pytest
from django import forms

from guozi.core.forms import QuickSelect


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 <乙>"), ("b&c", '"丙"')], required=False)
    grouped = forms.ChoiceField(choices=[("", "—"), ("组一", [("1", "一"), ("2", "二")]), ("3", "三")])
    number = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int)


@pytest.mark.parametrize(
    "data",
    [{}, {"plain": "a", "grouped": "2", "number": "2"}, {"plain": "b&c", "grouped": "3", "number": "x"}],
)
def test_quick_select_writes_what_django_writes(data: dict[str, Any]) -> None:
    form = Choices(data or None)
    form.fields["plain"].widget.attrs.update({"class": "form-select", "disabled": True, "hidden": False})
    for name in form.fields:
        expected = str(form[name])
        form.fields[name].widget.__class__ = QuickSelect
        assert str(form[name]) == expected
        form.fields[name].widget.__class__ = forms.Select
