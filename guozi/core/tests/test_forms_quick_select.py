"""QuickSelect and the quick inputs write the HTML Django's templates write, byte for byte."""

from typing import Any

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guozi.core.forms import QuickNumberInput, QuickSelect, QuickTextInput, quick_selects
from guozi.core.models import Organization, User


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


class Inputs(forms.Form):
    q = forms.CharField(required=False)
    amount = forms.DecimalField(required=False)
    count = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"step": "1", "readonly": True}))


@pytest.mark.parametrize(
    "data",
    [{}, {"q": "<script>\"甲\"&'乙'</script>", "amount": "1.5", "count": "x"}, {"q": "", "amount": "", "count": "3"}],
)
def test_quick_inputs_write_what_django_writes(data: dict[str, Any]) -> None:
    form = Inputs(data or None, initial={"q": "初始 <值>"})
    form.fields["q"].widget.attrs.update({"class": "form-control", "placeholder": '"查找"', "hidden": False})
    expected = {name: str(form[name]) for name in form.fields}
    quick_selects(form)
    widgets = [type(field.widget) for field in form.fields.values()]
    assert widgets == [QuickTextInput, QuickNumberInput, QuickNumberInput]
    assert {name: str(form[name]) for name in form.fields} == expected
    if data.get("q"):
        assert "&lt;script&gt;&quot;甲&quot;&amp;&#x27;乙&#x27;&lt;/script&gt;" in str(form["q"])


def test_a_widget_with_a_template_of_its_own_keeps_it() -> None:
    form = Inputs()
    form.fields["q"].widget.template_name = "django/forms/widgets/search.html"
    quick_selects(form)
    assert type(form.fields["q"].widget) is forms.TextInput


class Organisations(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=Organization.objects.order_by("pk"), null_label="无上级")
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.order_by("pk"))


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_world")
@pytest.mark.parametrize("data", [{}, {"parent": "null"}])
def test_model_choices_are_the_same_options_read_in_one_plain_query(data: dict[str, Any]) -> None:
    """On PostgreSQL Django reads model choices through a server-side cursor (three round trips);
    the quick selects read them with one SELECT, the same options, the "no value" one included."""
    form = Organisations(data or None, queryset=User.objects.all()).form
    plain_form = forms.Form()
    plain_form.fields["organization"] = forms.ModelChoiceField(Organization.objects.order_by("pk"), required=False)
    expected = [str(form[name]) for name in form.fields] + [str(plain_form["organization"])]
    assert "无上级" in expected[0]
    quick_selects(form)
    quick_selects(plain_form)
    quick_selects(plain_form)  # twice is harmless
    with CaptureQueriesContext(connection) as queries:
        found = [str(form[name]) for name in form.fields] + [str(plain_form["organization"])]
    assert found == expected
    assert len(queries) == 3
    assert all(query["sql"].startswith("SELECT") for query in queries), queries.captured_queries
