"""The report as a Word document in the official format (GB/T 9704-2012, 党政机关公文格式).

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (§5.2.1); title in
小标宋 2号 (22 pt), centred; body in 仿宋_GB2312 3号 (16 pt) with a two-character
first-line indent; headings 一、 in 黑体, (一) in 楷体, 1. in 仿宋 bold; 22 lines of 28
characters a page (§5.2.2: the 225 mm text block at a fixed pitch of about 28.95 pt,
the 156 mm line holding 28 characters of 16 pt); page numbers "— 1 —" in 4号 宋体,
right on odd and left on even pages (§7.5). Fonts are named, not embedded (also as
the document's default), so Word and WPS pick the official ones where installed.
Text is cleaned of characters XML cannot hold, so a stray control character in a
narrative never corrupts the file.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from guozi.reports.document import ReportDocument

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
BODY_SIZE = Pt(16)  # 3号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm text block
#: Characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return; lone surrogates).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NUMBERED = re.compile(r"^(\d+\.)(.*)$", re.S)


def _font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # East Asian text uses the eastAsia font slot, which python-docx does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    document: WordDocument,
    text: str,
    font: str,
    *,
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: Pt = BODY_SIZE,
    bold_number: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    if align is not None:
        paragraph.alignment = align
    text = ILLEGAL.sub("", text)
    numbered = NUMBERED.match(text) if bold_number else None
    if numbered:
        # The third level (1.) is 仿宋 bold: the number carries it.
        _font(paragraph.add_run(numbered.group(1)), font, size, bold=True)
        text = numbered.group(2)
    _font(paragraph.add_run(text), font, size)
    return paragraph


class _Paragraphs:
    """Adds paragraphs by copying one formatted paragraph of each kind.

    Formatting a paragraph through python-docx costs about a millisecond and a half
    (each property setter finds its place in the schema's child order); a report of
    200 tasks has over a thousand paragraphs. The first paragraph of each kind is
    formatted by ``_paragraph``; the others are lxml copies of it with their own
    text, the same XML. Text with a tab or a line break goes the slow way, where
    python-docx writes ``<w:tab/>`` and ``<w:br/>``.
    """

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.templates: dict[tuple[Any, ...], Any] = {}
        # A paragraph goes before the body's section properties, as python-docx puts it. Found
        # once: python-docx looks the element up among the body's children at every access,
        # which cost as much as the copies themselves.
        self.section = document.element.body.sectPr

    def add(self, text: str, font: str, *, size: Pt = BODY_SIZE, bold_number: bool = False) -> None:
        text = ILLEGAL.sub("", text)
        numbered = NUMBERED.match(text) if bold_number else None
        texts = [numbered.group(1), numbered.group(2)] if numbered else [text]
        # An empty run has no <w:t>: whether each run has text is part of the kind.
        key = (font, size, tuple(bool(part) for part in texts))
        template = self.templates.get(key)
        if template is None or any(c in text for c in "\t\n\r"):
            paragraph = _paragraph(self.document, text, font, size=size, bold_number=bold_number)
            if template is None and not any(c in text for c in "\t\n\r"):
                self.templates[key] = deepcopy(paragraph._p)
            return
        copy = deepcopy(template)
        for element, part in zip(copy.iter(qn("w:t")), [part for part in texts if part], strict=True):
            element.text = part
            # As python-docx does: keep leading and trailing spaces.
            if part != part.strip():
                element.set(qn("xml:space"), "preserve")
            else:
                element.attrib.pop(qn("xml:space"), None)
        self.section.addprevious(copy)


def _page_numbers(document: WordDocument) -> None:
    """ "— 1 —": right on odd pages, left on even ones (GB/T 9704-2012 §7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number_footer(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number_footer(footer: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    footer.alignment = alignment
    _font(footer.add_run("— "), "宋体", Pt(14))
    run = footer.add_run()
    _font(run, "宋体", Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(footer.add_run(" —"), "宋体", Pt(14))


def render_docx(report: ReportDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    properties = document.core_properties
    # The document properties are XML too: a control character there made the whole
    # file fail to generate (found by guozi/reports/tests/test_docx_safety.py).
    properties.title = ILLEGAL.sub("", report.title)
    properties.author = ILLEGAL.sub("", report.meta.get("发文单位", ""))
    properties.keywords = ILLEGAL.sub("", report.meta.get("主题分类", ""))

    _paragraph(document, report.title, TITLE_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(22))
    _paragraph(document, "", BODY_FONT, indent=False)
    _paragraph(document, report.addressee, BODY_FONT, indent=False)
    _paragraph(document, report.opening, BODY_FONT)
    paragraphs = _Paragraphs(document)
    for block in report.blocks():
        paragraphs.add(block.text, HEADING_FONTS.get(block.level, BODY_FONT), bold_number=True)
    _paragraph(document, "", BODY_FONT, indent=False)
    signature = _paragraph(
        document, report.meta.get("发文单位", ""), BODY_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    signature.paragraph_format.right_indent = Pt(64)
    if report.meta.get("发布日期"):
        date_line = _paragraph(
            document, report.meta["发布日期"], BODY_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
        date_line.paragraph_format.right_indent = Pt(64)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
