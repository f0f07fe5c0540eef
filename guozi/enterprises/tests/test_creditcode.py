"""GB 32100-2015's check character, on codes published by real companies and on broken ones."""

import pytest
from django.core.exceptions import ValidationError

from guozi.enterprises.creditcode import (
    check_character,
    is_valid,
    normalize,
    validate_credit_code,
    with_check_character,
)

#: Codes printed on the business licences of well-known companies (their public records):
#: the algorithm must accept every one of them.
PUBLISHED = {
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "914403001922038216": "华为技术有限公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91110000100010433L": "中国石油天然气集团有限公司",
}


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert is_valid(code)
    assert check_character(code[:17]) == code[17]
    validate_credit_code(code)


def test_the_check_character_may_be_a_digit_a_letter_or_zero_for_31() -> None:
    # Σ ≡ 0 (mod 31) gives 31, written 0: seventeen zeros.
    assert check_character("0" * 17) == "0"
    assert check_character("91440300708461136") == "T"
    assert check_character("91440300192203821") == "6"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91440300708461136U", "check"),  # Tencent's with the wrong check character
        ("91440300708461163T", "check"),  # two digits swapped
        ("914403007084611369", "check"),
        ("9144030070846113T", "length"),  # 17 characters
        ("91440300708461136TT", "length"),
        ("", "length"),
        ("9144030070846113IT", "characters"),  # I, O, Z, S, V are never used
        ("91440300708461130O", "characters"),
        ("9144030070846113ZT", "characters"),
        ("9144030070846113ST", "characters"),
        ("9144030070846113VT", "characters"),
        ("91440300708461136t", "characters"),  # lower case is normalised by forms, not accepted raw
    ],
)
def test_wrong_codes_are_refused_with_the_reason(code: str, reason: str) -> None:
    assert not is_valid(code)
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_every_single_character_typo_is_caught() -> None:
    """A weighted sum mod a prime with no weight ≡ 0 catches any one wrong character."""
    code = "91110000802100433B"
    for position in range(18):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement != code[position]:
                assert not is_valid(code[:position] + replacement + code[position + 1 :])


def test_codes_made_from_a_prefix_are_valid_and_typed_codes_are_normalised() -> None:
    made = with_check_character("91421202123456789")
    assert is_valid(made)
    assert normalize(" 9144 0300 7084 6113 6t ") == "91440300708461136T"
    assert normalize("９１４４０３００７０８４６１１３６Ｔ") == "91440300708461136T"  # full-width
    with pytest.raises(ValueError, match="body"):
        check_character("9144030070846113")
