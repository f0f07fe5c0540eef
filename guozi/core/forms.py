from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
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


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: ` name="value"`, a bare name for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select that writes its options in Python: the same HTML as Django's ``select.html``.

    Django renders every option through two included templates: 0.2 ms an option, 13 ms of a
    ledger list page's filters with a few dozen, seconds with a province's thousands of
    enterprises. Same choices and attributes as ``get_context``, same markup, byte for byte
    (guozi/core/tests/test_forms_quick_select.py).
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # What get_context and optgroups work out (attributes, the chosen values, each option's
        # dictionary), less the dictionaries: a select is written straight from its choices.
        values = self.format_value(value)
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(final)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            group_name: Any = None
            choices = [("" if option_value is None else option_value, option_label)]
            if isinstance(option_label, list | tuple):
                group_name, choices = option_value, list(option_label)
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for subvalue, sublabel in choices:
                # ChoiceWidget.optgroups: only the first match is chosen, unless several may be.
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"{" selected" if selected else ""}>'
                    f"{conditional_escape(str(sublabel))}</option>\n"  # select_option.html ends in a newline
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 # every value escaped above


class _QuickInput(Input):
    """An input that writes itself in Python: the same HTML as Django's ``input.html``, which a
    text or number input reaches through three included templates (0.3 ms each on a list)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        html = (
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )
        return mark_safe(html)  # noqa: S308  # nosec B308 B703 # every value escaped above


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickNumberInput(_QuickInput, forms.NumberInput):
    pass


#: Django's widgets and the quick ones that write the same HTML.
QUICK_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: QuickSelect,
    forms.TextInput: QuickTextInput,
    forms.NumberInput: QuickNumberInput,
}


class _FetchedAtOnce(ModelChoiceIterator):
    """Django's model choices, their rows read in one fetch rather than through ``iterator()``.

    ``iterator()`` keeps memory flat for a huge choice list by reading through a server-side
    cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips for the dozen asset
    classes of a filter select (0.4–0.6 ms of CPU and 0.7 ms of a ledger page's time). A
    filter select writes every option into the page anyway; the large choice lists (the
    enterprises) are search-as-you-type pickers that hold one option (``LookupSelect``).
    """

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset:  # one fetch of every row, the queryset's prefetches applied
            yield self.choice(row)


#: Each choice iterator class with :class:`_FetchedAtOnce`'s reading, made once per process.
_FETCHED: dict[type[ModelChoiceIterator], type[ModelChoiceIterator]] = {ModelChoiceIterator: _FetchedAtOnce}


def _fetched_at_once(iterator: type[ModelChoiceIterator]) -> type[ModelChoiceIterator]:
    """``iterator`` (django-filter's adds the "no value" choice) with Django's reading replaced by
    :class:`_FetchedAtOnce`'s: it comes between the two in the method order."""
    found = _FETCHED.get(iterator)
    if found is None:
        found = _FETCHED[iterator] = type(f"FetchedAtOnce{iterator.__name__}", (iterator, _FetchedAtOnce), {})
    return found


def quick_selects(form: forms.BaseForm) -> None:
    """Render the form's plain selects, text and number inputs with the quick widgets (a list's
    filters), and read their model choices in one fetch."""
    for field in form.fields.values():
        quick = QUICK_WIDGETS.get(type(field.widget))
        # Only with the stock template: a widget given a template of its own keeps it.
        if quick is not None and field.widget.template_name == quick.template_name:
            field.widget.__class__ = quick
        if isinstance(field, forms.ModelChoiceField) and not issubclass(field.iterator, _FetchedAtOnce):
            field.iterator = _fetched_at_once(field.iterator)
            field.widget.choices = field.choices  # the widget holds an iterator of the old class


#: The most rows a search-as-you-type picker offers for one text: a few keystrokes more narrow it.
LOOKUP_LIMIT = 20
#: The picker's text box submits as ``<field name>_q`` (the fallback without JavaScript).
LOOKUP_SUFFIX = "_q"


def lookup_rows(queryset: QuerySet[Any], text: str, fields: Sequence[str]) -> QuerySet[Any]:
    """At most :data:`LOOKUP_LIMIT` of ``queryset`` whose ``fields`` contain ``text`` (the first
    rows without a text), in its order.

    The picker's matches, for its JSON endpoint and for the page without JavaScript alike. It
    narrows ``queryset`` and nothing else: the rows it may return are the caller's (a scoped
    queryset, ``restrict(user, "view")``).
    """
    text = text.strip()[:100]
    if not text:
        return queryset[:LOOKUP_LIMIT]
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": text})
    return queryset.filter(query)[:LOOKUP_LIMIT]


class LookupSelect(forms.Select):
    """A model choice picked by typing its name, for choices too many to list (a province's enterprises).

    A ``<select>`` of only the empty choice and the chosen row, beside a text box: with JavaScript
    (``core/guozi.js``) typing asks ``url`` (a scoped JSON endpoint, :func:`lookup_rows`) for
    matches and choosing one sets the select and submits the filters. Without it, the text box
    submits as ``<name>_q`` and the page comes back with the matches in the select. Either way
    the form posts the chosen id, which the field validates against its own (scoped) queryset as
    before; the page no longer reads and writes every visible row into each list page.
    """

    def __init__(self, url: Any, search_fields: Sequence[str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url = url  # lazy: reversed when rendered, not at import
        self.search_fields = list(search_fields)
        self.search = ""
        #: The chosen row as the field validated it (``core.filtersets.LookupChoiceField``): not read again.
        self.chosen: Any = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # Widgets are copied per form: the text belongs to this form's request.
        self.search = str(data.get(name + LOOKUP_SUFFIX, "")).strip()[:100]
        return super().value_from_datadict(data, files, name)

    def options_for(self, values: list[str]) -> list[tuple[str, str]]:
        """The empty choice, the chosen rows, and the matches of the submitted text: no other row is read."""
        field = self.choices.field  # type: ignore[attr-defined]  # a ModelChoiceIterator
        queryset: QuerySet[Any] = field.queryset
        options = [("", str(field.empty_label))] if field.empty_label is not None else []
        chosen = []
        for value in values:
            try:
                chosen.append(queryset.model._meta.pk.to_python(value))
            except ValidationError:
                continue
        if self.chosen is not None and [self.chosen.pk] == chosen:
            rows = [self.chosen]
        else:
            rows = list(queryset.filter(pk__in=chosen)) if chosen else []
        if self.search:
            rows += [row for row in lookup_rows(queryset, self.search, self.search_fields) if row not in rows]
        return options + [(str(row.pk), field.label_from_instance(row)) for row in rows]

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        values = [str(v) for v in self.format_value(value) if v not in ("", None)]
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(values) or {""}  # nothing chosen: the empty choice is, as in Django's select
        options = "".join(
            f'\n  <option value="{conditional_escape(key)}"{" selected" if key in chosen else ""}>'
            f"{conditional_escape(label)}</option>"
            for key, label in self.options_for(values)
        )
        box = {
            "type": "search",
            "name": name + LOOKUP_SUFFIX,
            "value": self.search,
            "class": "form-control form-control-sm",
            "placeholder": _("type a name"),
            "aria-label": _("search by name"),
            "autocomplete": "off",
            "data-lookup-input": True,
        }
        picker = {
            "class": "guozi-lookup position-relative",
            "data-lookup": str(self.url),
            "data-lookup-none": _("No match"),
        }
        html = (
            f"<div{_attrs(picker)}>"
            f'<div class="input-group input-group-sm flex-nowrap"><input{_attrs(box)}>'
            f"<select{_attrs(final)}>{options}\n</select></div>"
            '<div class="dropdown-menu" role="listbox" data-lookup-results></div></div>'
        )
        return mark_safe(html)  # noqa: S308  # nosec B308 B703 # every value escaped above


def restrict_choices(form: forms.BaseForm, user: Any) -> None:
    """Limit every choice of a related row in ``form`` to the rows ``user`` may view.

    An edit form's choices and a list's filters alike: a foreign id posted or asked for fails
    as "not one of the available choices", and no option names another organisation's row.
    """
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, ScopedQuerySet):
            field.queryset = queryset.restrict(user, "view")  # type: ignore[attr-defined]


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
        restrict_choices(self, user)
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
