"""What goes wrong with an import, as the user sees it: a refused file, or errors per row."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _


class FileRefused(Exception):
    """The file as a whole cannot be read (not a real workbook, a zip bomb, a macro ...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One bad cell, or one bad row (``column`` empty), or the file (``row`` 0)."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def error_table(errors: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the errors' .xlsx download (row 0, the file itself, shows blank)."""
    header = [_("Row"), _("Column"), _("Value"), _("Reason")]
    return header, [[e["row"] or "", e["column"], e["value"], e["reason"]] for e in errors]
