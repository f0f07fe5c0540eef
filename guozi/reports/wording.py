"""How figures are written in the report: the rules the reference report follows.

- money in 亿元 with at most two decimals ("44亿元", "20.39亿元"), 万元 for small sums;
- a rate is written "超过93%" when it lies above a whole percent (93.44%), "93%" when exact;
- a change of a percentage is written in percentage points ("减少0.13个百分点").
"""

from decimal import ROUND_FLOOR, Decimal

from guozi.core.money import format_money, plain

CN_DIGITS = "零一二三四五六七八九十"
QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


def chinese_number(n: int) -> str:
    """Section numbers 一、二、三、: 1 → 一, 10 → 十, 12 → 十二, 101 → 一百零一, 110 → 一百一十, 1000 → 一千.

    A province's report can have hundreds of sections.
    """
    if not 0 < n < 10_000:
        raise ValueError(f"no section number for {n}")
    if n < 20:
        return ("十" if n >= 10 else "") + (CN_DIGITS[n % 10] if n % 10 or n < 10 else "")
    words = ""
    pending_zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            words += ("零" if pending_zero else "") + CN_DIGITS[digit] + unit
            pending_zero = False
        elif words:
            pending_zero = True
    return words


def money(yuan: Decimal) -> str:
    """亿元 from 1000万元 up, 万元 below (the reference writes 558.32万元 but 0.3亿元)."""
    return format_money(yuan, "亿元" if abs(yuan) >= Decimal(10_000_000) else "万元")


def rate(percent: Decimal) -> str:
    """93.44 → "超过93%"; 93.00 → "93%"."""
    whole = percent.to_integral_value(rounding=ROUND_FLOOR)
    return f"超过{whole}%" if percent > whole else f"{whole}%"


def points(before: Decimal, after: Decimal) -> str:
    """5.05, 4.92 → "减少0.13个百分点"."""
    change = after - before
    word = "增加" if change > 0 else "减少"
    return f"{word}{plain(abs(change))}个百分点"


def count(n: int, measure: str = "") -> str:
    return f"{n}{measure}"
