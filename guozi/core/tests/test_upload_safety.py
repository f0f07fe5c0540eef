"""Hostile uploads: refused before anything is inflated, and XML entities never expanded (SEC-FILE-01, -02).

The corpus of SECURITY.md SEC-FILE-01 goes through ``filecheck.check_file`` with every way
of inflating a zip entry disabled: a sample refused there was refused from the central
directory alone. The XXE samples go through the whole import (check, then the openpyxl
reader) with a canary file they point at.
"""

from __future__ import annotations

import io
import sys
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error

from guozi.assets.services.imports import ledger_check
from guozi.assets.tests.ledgerfiles import row, xlsx
from guozi.core import checks
from guozi.core.importing import filecheck
from guozi.core.importing.problems import FileRefused
from guozi.core.testing import user

WORKBOOK_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def package(entries: dict[str, bytes], *, modes: dict[str, int] | None = None, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.create_system = 3  # Unix: the mode bits below mean what they say
                info.external_attr = modes[name] << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def many_entries(count: int) -> bytes:
    """A workbook-looking package with ``count`` empty parts (stored, so it builds fast)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in WORKBOOK_PARTS.items():
            archive.writestr(name, data)
        for i in range(count):
            archive.writestr(f"xl/media/{i}.png", b"")
    return buffer.getvalue()


def ratio_bomb() -> bytes:
    """42.zip-style: one part of 100 MiB of zeros, about 100 KiB compressed (1000:1), streamed in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in WORKBOOK_PARTS.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(100):
                part.write(chunk)
    return buffer.getvalue()


#: (sample, file name, content, what the message says) — SECURITY.md SEC-FILE-01's corpus.
CORPUS: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("zip-slip", "台账.xlsx", lambda: package({**WORKBOOK_PARTS, "../../etc/cron.d/x": b"x"}), "路径不安全"),
    ("zip-slip, Windows", "台账.xlsx", lambda: package({**WORKBOOK_PARTS, "..\\..\\x.bat": b"x"}), "路径不安全"),
    ("absolute path", "台账.xlsx", lambda: package({**WORKBOOK_PARTS, "/etc/passwd": b"x"}), "路径不安全"),
    ("drive letter", "台账.xlsx", lambda: package({**WORKBOOK_PARTS, "C:/Windows/x.dll": b"x"}), "路径不安全"),
    (
        "symlink",
        "台账.xlsx",
        lambda: package({**WORKBOOK_PARTS, "xl/media/a.png": b"/etc/passwd"}, modes={"xl/media/a.png": 0o120777}),
        "路径不安全",
    ),
    ("10^5 entries", "台账.xlsx", lambda: many_entries(100_000), "部件过多"),
    ("ratio bomb 1000:1", "台账.xlsx", ratio_bomb, "压缩炸弹"),
    ("xlsm with VBA", "台账.xlsm", lambda: package({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"\xd0\xcf"}), "启用宏"),
    ("VBA renamed .xlsx", "台账.xlsx", lambda: package({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"\xd0\xcf"}), "启用宏"),
    ("wrong magic", "台账.xlsx", lambda: b"MZ\x90\x00 a Windows program", "不是真正的 .xlsx 工作簿"),
    ("0-byte", "台账.xlsx", lambda: b"", "文件为空"),
    ("truncated", "台账.xlsx", lambda: xlsx([row("T-1")])[:700], "已损坏"),
]


def forbid_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, every way of reading a zip entry's data fails the test."""

    def refuse(*args: object, **kwargs: object) -> Any:
        raise AssertionError("a zip entry was inflated or read")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    monkeypatch.setattr(zipfile, "ZipExtFile", refuse)
    monkeypatch.setattr(zlib, "decompressobj", refuse)


@pytest.mark.parametrize(("name", "content", "message"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_every_malicious_sample_is_refused_before_decompression(
    monkeypatch: pytest.MonkeyPatch, name: str, content: Callable[[], bytes], message: str
) -> None:
    data = content()
    forbid_inflating(monkeypatch)
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as refused:
            filecheck.check_file(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message in str(refused.value)
    # The central directory of 10^5 entries is the largest thing read: well under 100 MB.
    assert peak < 100 * 1024 * 1024, peak


# --- XML entities (SEC-FILE-02) ----------------------------------------------------------------

CANARY_TEXT = "CANARY-7f3a-never-to-be-read"


@pytest.fixture
def canary(tmp_path: Path) -> Any:
    """A file an external entity points at; Python-level opens of it are recorded."""
    path = tmp_path / "canary.txt"
    path.write_text(CANARY_TEXT)
    opened: list[str] = []
    _AUDIT["watch"] = (str(path), opened)
    yield path, opened
    _AUDIT.pop("watch", None)


_AUDIT: dict[str, Any] = {}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    watch = _AUDIT.get("watch")
    if watch and event in {"open", "urllib.Request"} and args and watch[0] in str(args[0]):
        watch[1].append(event)


sys.addaudithook(_audit)


def with_part(part: str, xml: bytes) -> bytes:
    """A real template workbook with one part replaced."""
    original = zipfile.ZipFile(io.BytesIO(xlsx([row("X-1")])))
    parts = {info.filename: original.read(info) for info in original.infolist()}
    assert part in parts, sorted(parts)
    return package({**parts, part: xml})


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xxe_sheet(uri: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "{uri}">]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    ).encode()


def xxe_shared_strings(uri: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "{uri}">]>'
        f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    ).encode()


LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


def laughs_shared_strings() -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">{LAUGHS}]>'
        f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>&l9;</t></si></sst>'
    ).encode()


@pytest.mark.usefixtures("demo_world")
@pytest.mark.parametrize("target", ["sheet", "shared strings", "shared strings laughs"])
def test_xml_entities_are_refused_or_left_unexpanded_and_the_canary_is_never_read(canary: Any, target: str) -> None:
    path, opened = canary
    uri = path.as_uri()
    content = {
        "sheet": lambda: with_part("xl/worksheets/sheet1.xml", xxe_sheet(uri)),
        "shared strings": lambda: with_part("xl/sharedStrings.xml", xxe_shared_strings(uri)),
        "shared strings laughs": lambda: with_part("xl/sharedStrings.xml", laughs_shared_strings()),
    }[target]()
    outcome = ledger_check(actor=user("chengfa"), file_name="台账.xlsx", content=content)
    seen = repr([(e.row, e.column, e.value, e.reason) for e in outcome.errors]) + repr(outcome)
    assert CANARY_TEXT not in seen
    assert "lollollol" not in seen
    assert opened == []


def test_the_sheet_parser_is_defusedxml_and_a_system_check_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    assert checks.check_xml_parsers_are_defused() == []
    from xml.etree import ElementTree

    from openpyxl.xml import functions

    monkeypatch.setattr(functions, "iterparse", ElementTree.iterparse)
    (problem,) = checks.check_xml_parsers_are_defused()
    assert isinstance(problem, Error)
    assert problem.id == "guozi.E001"
