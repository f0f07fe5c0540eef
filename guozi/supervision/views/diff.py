"""Comparing a submitted version of a report with the one before it."""

import difflib
from typing import Any

from guozi.supervision.models import ReportVersion

SECTIONS = ("progress", "problems", "next_steps")


def version_diffs(versions: list[ReportVersion]) -> list[tuple[ReportVersion, list[tuple[str, list[str]]]]]:
    """Each version with, per changed section, the lines added (+) and removed (−) since the previous one."""
    result = []
    previous: dict[str, Any] = {}
    for version in versions:
        changes = []
        for section in SECTIONS:
            old = str(previous.get(section, "")).splitlines()
            new = str(version.content.get(section, "")).splitlines()
            lines = [line for line in difflib.ndiff(old, new) if line.startswith(("+ ", "- "))]
            if lines:
                changes.append((section, lines))
        result.append((version, changes))
        previous = version.content
    return result
