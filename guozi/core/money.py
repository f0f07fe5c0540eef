"""Money: stored as Decimal 元, written in 万元 or 亿元 only at the edges.

The display rules are those of the reference report: at most two decimals, no
trailing zeros ("30亿元", "20.39亿元", "0.3亿元", "558.32万元").
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
CENT = Decimal("0.01")


def in_unit(yuan: Decimal | int, unit: str) -> Decimal:
    """The amount in ``unit``, rounded half up to two decimals."""
    return (Decimal(yuan) / UNITS[unit]).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 30.00 → "30", 0.30 → "0.3"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(yuan: Decimal | int | None, unit: str = "亿元") -> str:
    if yuan is None:
        return "—"
    return f"{plain(in_unit(yuan, unit))}{unit}"


def format_percent(value: Decimal | None) -> str:
    """A rate already in per cent (4.9200) as "4.92%"; "—" for none."""
    return "—" if value is None else f"{plain(Decimal(value).normalize())}%"


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    return (Decimal(amount) * UNITS[unit]).quantize(CENT, rounding=ROUND_HALF_UP)


class MoneyField(forms.DecimalField):
    """A form field that takes an amount in 万元 or 亿元 and cleans to 元.

    Amounts are never negative unless ``allow_negative`` says so (a profit may be a loss).
    """

    def __init__(self, *, unit: str = "亿元", allow_negative: bool = False, **kwargs: Any) -> None:
        self.unit = unit
        self.allow_negative = allow_negative
        kwargs.setdefault("decimal_places", 6 if unit == "亿元" else 4)
        kwargs.setdefault("max_digits", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "any")

    def prepare_value(self, value: Any) -> Any:
        # Initial values come from the model in 元; show them in the field's unit.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return plain((Decimal(value) / UNITS[self.unit]).normalize())
        return value

    def clean(self, value: Any) -> Decimal | None:
        amount = super().clean(value)
        if amount is None:
            return None
        if amount < 0 and not self.allow_negative:
            raise ValidationError(_("An amount cannot be negative."), code="negative")
        return to_yuan(amount, self.unit)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "data-unit": self.unit}
