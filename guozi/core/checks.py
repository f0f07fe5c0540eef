"""System checks run by ``guozi check`` and at every start-up (SECURITY.md SEC-FILE-02)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register


@register()
def check_xml_parsers_are_defused(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Uploaded workbooks are parsed with defusedxml: an XML entity (XXE, billion laughs) is refused.

    openpyxl picks defusedxml's parser only when the package is importable and
    ``OPENPYXL_DEFUSEDXML`` is not "False"; the sheet parser is then
    ``defusedxml.ElementTree.iterparse``. This check makes a deployment without it fail
    loudly instead of quietly parsing with the standard library.
    """
    from openpyxl.xml import functions  # type: ignore[import-untyped]  # no stubs

    if functions.iterparse.__module__.startswith("defusedxml"):
        return []
    return [
        Error(
            "openpyxl parses workbooks without defusedxml, so XML entities in an upload would be expanded.",
            hint="Install defusedxml and leave OPENPYXL_DEFUSEDXML unset.",
            id="guozi.E001",
        )
    ]
