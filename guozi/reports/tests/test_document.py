"""The stored form of a report document gives back the document, every figure field included."""

import dataclasses

from guozi.reports.document import Block, Figure, Finding, ReportDocument


def test_a_document_survives_its_json_with_every_figure_field() -> None:
    values = {f.name: f"{f.name}-值" for f in dataclasses.fields(Figure)}
    document = ReportDocument(
        title="标题",
        meta={"发文单位": "市国资委"},
        addressee="市人民政府：",
        opening="现报告如下：",
        sections=[[Block(["清理总额", Figure(**values), "。"], 2)]],
        findings=[Finding("unknown-figure", "说明", hard=True, operands={"引用": "x"})],
        changes=["a：上季度1，本季度2"],
    )
    stored = document.to_json()
    assert stored["sections"][0][0]["parts"][1] == values
    assert ReportDocument.from_json(stored) == document
