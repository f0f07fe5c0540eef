"""A generated report as data: sections of blocks of parts, each figure with its source.

The same document renders to the browser preview (every figure a link to its
records) and to Word; it is stored as JSON so an old quarter regenerates the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A figure computed from records: its text, what it is and where it comes from."""

    text: str
    explanation: str
    source_url: str = ""
    #: The same figure at the end of the previous quarter, where it differs ("" otherwise).
    previous: str = ""


Part = str | Figure


@dataclass
class Block:
    """A paragraph (``level`` 0) or a heading of level 1 (一、), 2 ((一)), 3 (1.) or 4 ((1))."""

    parts: list[Part]
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(p.text if isinstance(p, Figure) else p for p in self.parts)


@dataclass
class Finding:
    """A cross-check (勾稽关系) that failed: hard ones block approval, soft ones need an explanation."""

    rule: str
    message: str
    hard: bool
    operands: dict[str, str] = field(default_factory=dict)


@dataclass
class ReportDocument:
    title: str
    meta: dict[str, str]
    addressee: str
    opening: str
    sections: list[list[Block]]
    findings: list[Finding] = field(default_factory=list)
    #: What changed since the previous quarter: "改革事项.完成数：上季度50，本季度57".
    changes: list[str] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        return [block for section in self.sections for block in section]

    def figures(self) -> list[Figure]:
        return [p for b in self.blocks() for p in b.parts if isinstance(p, Figure)]

    def to_json(self) -> dict[str, Any]:
        def part(p: Part) -> Any:
            # Figure's fields by hand: ``asdict`` deep-copies and took a sixth of a 200-task report.
            if isinstance(p, Figure):
                return {
                    "text": p.text,
                    "explanation": p.explanation,
                    "source_url": p.source_url,
                    "previous": p.previous,
                }
            return p

        def block(b: Block) -> dict[str, Any]:
            return {"level": b.level, "parts": [part(p) for p in b.parts]}

        return {
            "title": self.title,
            "meta": self.meta,
            "addressee": self.addressee,
            "opening": self.opening,
            "sections": [[block(b) for b in section] for section in self.sections],
            "findings": [asdict(f) for f in self.findings],
            "changes": self.changes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportDocument:
        def block(b: dict[str, Any]) -> Block:
            return Block([Figure(**p) if isinstance(p, dict) else p for p in b["parts"]], b["level"])

        return cls(
            title=data["title"],
            meta=data["meta"],
            addressee=data["addressee"],
            opening=data["opening"],
            sections=[[block(b) for b in section] for section in data["sections"]],
            findings=[Finding(**f) for f in data["findings"]],
            changes=data.get("changes", []),
        )
