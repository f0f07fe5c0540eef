"""The .xlsx annex: every figure of the report, with what it is and where it comes from, and the findings."""

import io

import xlsxwriter

from guozi.core.exports import safe_cell
from guozi.reports.document import Figure, ReportDocument


def render_annex(document: ReportDocument) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("数据")
    for col, name in enumerate(["章节", "数据", "说明", "来源"]):
        sheet.write_string(0, col, name, bold)
    row = 1
    for section in document.sections:
        heading = section[0].text if section else ""
        for block in section:
            for part in block.parts:
                if isinstance(part, Figure):
                    for col, value in enumerate([heading, part.text, part.explanation, part.source_url]):
                        sheet.write_string(row, col, str(safe_cell(value)))
                    row += 1
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 3, 40)
    changed = book.add_worksheet("较上季度变化")
    changed.write_string(0, 0, "变化", bold)
    for index, line in enumerate(document.changes, start=1):
        changed.write_string(index, 0, str(safe_cell(line)))
    changed.set_column(0, 0, 80)
    findings = book.add_worksheet("勾稽关系")
    for col, name in enumerate(["级别", "规则", "问题"]):
        findings.write_string(0, col, name, bold)
    for index, finding in enumerate(document.findings, start=1):
        findings.write_string(index, 0, "须更正" if finding.hard else "须说明")
        findings.write_string(index, 1, finding.rule)
        findings.write_string(index, 2, str(safe_cell(finding.message)))
    findings.set_column(2, 2, 80)
    book.close()
    return buffer.getvalue()
