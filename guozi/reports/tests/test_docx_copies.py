"""The Word writer's paragraph copies give the very XML that formatting each paragraph gives."""

import io
import zipfile

import pytest

from guozi.reports import docx_writer
from guozi.reports.document import Block, ReportDocument

#: Headings, numbered lines, spaces to keep, a tab and a line break (the slow way), empty runs.
TEXTS = ["一、总体情况", "（一）资产清查", "1.第一项 内容 ", "正文\t带制表符", "  前后空格  ", "2.数字", "", "3."]
TEXTS += ["换\n行"]


def _document_xml(report: ReportDocument) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx_writer.render_docx(report))).read("word/document.xml")


def test_copied_paragraphs_are_the_formatted_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = [Block([text], level) for level in (0, 1, 2, 3) for text in TEXTS] * 2
    report = ReportDocument(
        title="关于测试的报告",
        meta={"发文单位": "市国资委", "发布日期": "2025年10月15日"},
        addressee="市人民政府：",
        opening="现报告如下：",
        sections=[blocks],
    )
    copied = _document_xml(report)

    def formatted(self: docx_writer._Paragraphs, text: str, font: str, **options: object) -> None:
        docx_writer._paragraph(self.document, text, font, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(docx_writer._Paragraphs, "add", formatted)
    assert copied == _document_xml(report)
    assert copied.count(b"<w:p>") + copied.count(b"<w:p ") >= len(blocks)
