from decimal import Decimal

from django import template

from guozi.core.money import format_money, plain

register = template.Library()


@register.filter
def yi(yuan: Decimal | int | None) -> str:
    """元 → "30亿元"."""
    return format_money(yuan, "亿元")


@register.filter
def wan(yuan: Decimal | int | None) -> str:
    """元 → "558.32万元"."""
    return format_money(yuan, "万元")


@register.filter(name="plain")
def plain_number(value: Decimal | None) -> str:
    """5.00 → "5", 0.30 → "0.3"."""
    return "—" if value is None else plain(Decimal(value))


@register.filter
def percent(value: Decimal | float | None) -> str:
    """A ratio (0.3) → "30%", two decimals at most."""
    if value is None:
        return "—"
    return f"{plain((Decimal(str(value)) * 100).quantize(Decimal('0.01')))}%"
