"""The unified social credit code (统一社会信用代码) and its check character, GB 32100-2015.

A code is 18 characters: registration authority (1), organisation category (1), the
administrative division (6), the organisation's own identifier (9) and a check character
(1), all taken from the 31 characters 0-9 and A-Y without I, O, Z, S and V (§4.2, easily
misread). The check character (§5, Appendix A) is

    C18 = 31 − (Σ Ci × Wi mod 31), i = 1…17, where 31 is written 0,

with each character's value its position in that set and Wi = 3^(i−1) mod 31.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {character: value for value, character in enumerate(CHARACTERS)}


def check_character(first17: str) -> str:
    """The check character of the first 17 characters of a code."""
    if len(first17) != LENGTH - 1 or any(c not in _VALUE for c in first17):
        raise ValueError(f"not the body of a credit code: {first17!r}")
    remainder = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31
    return CHARACTERS[(31 - remainder) % 31]


def with_check_character(first17: str) -> str:
    """A whole code from its first 17 characters (the demo makes its codes this way)."""
    return first17 + check_character(first17)


def normalize(raw: str) -> str:
    """A code as people type it: full-width characters, lower case, spaces around or inside."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def is_valid(code: str) -> bool:
    return len(code) == LENGTH and all(c in _VALUE for c in code) and check_character(code[:-1]) == code[-1]


def validate_credit_code(code: str) -> None:
    """Model and form validator: length, character set and check character, each with its own message."""
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters, not %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    wrong = sorted({c for c in code if c not in _VALUE})
    if wrong:
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and capital letters other than "
                "I, O, Z, S and V: %(chars)s is not one."
            ),
            code="characters",
            params={"chars": "、".join(wrong)},
        )
    expected = check_character(code[:-1])
    if code[-1] != expected:
        raise ValidationError(
            _("The check character (the last) does not fit the rest of the code: mistyped?"),
            code="check",
        )
