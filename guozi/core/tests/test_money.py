from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guozi.core.money import MoneyField, format_money, format_percent


def test_money_field_cleans_the_unit_to_yuan() -> None:
    assert MoneyField(unit="万元").clean("558.32") == Decimal("5583200.00")
    assert MoneyField(unit="亿元").clean("20.39") == Decimal("2039000000.00")


def test_money_field_refuses_a_negative_amount_unless_told() -> None:
    with pytest.raises(ValidationError) as refused:
        MoneyField(unit="亿元").clean("-0.5")
    assert refused.value.code == "negative"
    # A profit may be a loss.
    assert MoneyField(unit="亿元", allow_negative=True).clean("-0.5") == Decimal("-50000000.00")


def test_format_money_drops_trailing_zeros_as_the_report_does() -> None:
    assert format_money(Decimal("3000000000")) == "30亿元"
    assert format_money(Decimal("30000000")) == "0.3亿元"
    assert format_money(None) == "—"


def test_format_percent_writes_a_rate_already_in_per_cent() -> None:
    assert format_percent(Decimal("4.9200")) == "4.92%"
    assert format_percent(Decimal("100.00")) == "100%"
    assert format_percent(None) == "—"
