"""The Word report holds any text users typed, exactly, and always opens (SECURITY.md SEC-FILE-04).

python-docx escapes text itself (no template engine, so no autoescape to forget); what
remains is characters XML 1.0 cannot hold, which ``docx_writer.ILLEGAL`` strips.
"""

from __future__ import annotations

import io

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guozi.reports.document import Block, Figure, ReportDocument
from guozi.reports.docx_writer import ILLEGAL, render_docx

#: What users type into narratives, addressees and meta fields, with the characters that break XML.
user_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),  # any character, CJK and emoji included
        st.sampled_from(["<", ">", "&", '"', "'", "&amp;", "]]>", "<w:t>", "\x00", "\x01", "\x0b", "\x1f", "\t", "\r"]),
        st.sampled_from(["国资委", "咸宁市", "😀", "𠮷", "\u200b", "\ufeff"]),
    ),
    max_size=20,
).map("".join)


def expected(text: str) -> str:
    """What Word shows: XML-illegal characters gone; a line break (CR or LF) is a break."""
    return ILLEGAL.sub("", text).replace("\r", "\n")


def reopen(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=user_text, unit=user_text, addressee=user_text, opening=user_text, narrative=user_text, figure=user_text)
def test_any_user_text_round_trips_through_word(
    title: str, unit: str, addressee: str, opening: str, narrative: str, figure: str
) -> None:
    report = ReportDocument(
        title=title,
        meta={"发文单位": unit, "主题分类": unit, "发布日期": "2025年10月15日"},
        addressee=addressee,
        opening=opening,
        sections=[[Block(["一、" + narrative], 1), Block([narrative, Figure(figure, "说明"), "。"])]],
    )
    paragraphs = reopen(render_docx(report))
    assert paragraphs[0] == expected(title)
    assert paragraphs[2] == expected(addressee)
    assert paragraphs[3] == expected(opening)
    assert paragraphs[4] == expected("一、" + narrative)
    assert paragraphs[5] == expected(narrative + figure + "。")
    properties = docx.Document(io.BytesIO(render_docx(report))).core_properties
    assert properties.title == ILLEGAL.sub("", title)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> & <w:p/> ]]>",
        "控制字符\x00\x01\x08\x0b\x0c\x1f在此",
        "国资委 😀 𠮷 emoji and CJK",
        "第一行\n第二行\r\n第三行\t制表",
    ],
)
def test_the_report_service_writes_markup_and_control_characters_as_text(text: str) -> None:
    report = ReportDocument(
        title=text, meta={"发文单位": text}, addressee=text, opening=text, sections=[[Block([text], 0)]]
    )
    paragraphs = reopen(render_docx(report))
    assert paragraphs.count(expected(text)) >= 4
