"""How the report writes numbers: section numbers in Chinese, for a province's hundreds of tasks."""

import pytest

from guozi.reports.wording import chinese_number


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (205, "二百零五"),
        (999, "九百九十九"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
    ],
)
def test_section_numbers(n: int, words: str) -> None:
    assert chinese_number(n) == words


@pytest.mark.parametrize("n", [0, -1, 10_000])
def test_no_section_number_outside_one_to_9999(n: int) -> None:
    with pytest.raises(ValueError, match="no section number"):
        chinese_number(n)
