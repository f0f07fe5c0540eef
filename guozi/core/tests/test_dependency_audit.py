"""`guozi security audit`: known vulnerabilities in the lock files, from a mirror and from PyPI.

The mirror here is a folder (or zip) of OSV records written by the test; PyPI is a real
HTTP server on 127.0.0.1 answering the project pages the test gives it.
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guozi.core import dependency_audit, security_report


def _lock(tmp_path: Path, *pins: str) -> Path:
    lock = tmp_path / "requirements.lock"
    lock.write_text("".join(f"{pin} \\\n    --hash=sha256:{'0' * 64}\n    # via guozi\n" for pin in pins))
    return lock


def _record(ident: str, package: str, *, versions: tuple = (), events: tuple = (), **extra: Any) -> dict:
    affected = {"package": {"ecosystem": "PyPI", "name": package}, "versions": list(versions)}
    affected["ranges"] = [{"type": "ECOSYSTEM", "events": list(events)}] if events else []
    return {"id": ident, "modified": "2026-10-01T00:00:00Z", "affected": [affected], **extra}


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """pypa/advisory-database's layout: vulns/<package>/<id>.json."""
    records = [
        _record("PYSEC-LISTED", "Django", versions=("4.2.14",)),
        _record("PYSEC-RANGE", "django", events=({"introduced": "4.2"}, {"fixed": "4.2.16"})),
        _record("PYSEC-LAST", "pyyaml", events=({"introduced": "0"}, {"last_affected": "5.3"})),
        _record("PYSEC-WITHDRAWN", "pyyaml", versions=("5.3",), withdrawn="2026-01-01T00:00:00Z"),
        _record("NPM-OTHER", "django", versions=("4.2.14",)),
    ]
    records[-1]["affected"][0]["package"]["ecosystem"] = "npm"
    for record in records:
        folder = tmp_path / "db" / "vulns" / dependency_audit.canonical(record["affected"][0]["package"]["name"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record['id']}.json").write_text(json.dumps(record))
    return tmp_path / "db"


def _found(audit: dependency_audit.Audit) -> set[tuple[str, str, str]]:
    return {(f.package, f.version, f.advisory) for f in audit.findings}


def test_the_mirror_flags_listed_versions_ranges_and_last_affected(tmp_path: Path, mirror: Path) -> None:
    lock = _lock(tmp_path, "Django==4.2.14", "PyYAML==5.3", "xlsxwriter==3.2.0")
    audit = dependency_audit.run([lock], mirror=mirror, network=False)
    assert _found(audit) == {
        ("django", "4.2.14", "PYSEC-LISTED"),
        ("django", "4.2.14", "PYSEC-RANGE"),
        ("pyyaml", "5.3", "PYSEC-LAST"),
    }
    assert next(f for f in audit.findings if f.advisory == "PYSEC-RANGE").fixed == ["4.2.16"]
    # Neither the withdrawn record nor the other ecosystem's record is a finding.
    assert audit.mirror_as_of == "2026-10-01"
    assert audit.unaudited == []


def test_a_fixed_version_or_one_past_last_affected_is_clean(tmp_path: Path, mirror: Path) -> None:
    lock = _lock(tmp_path, "django==4.2.16", "pyyaml==5.3.1")
    assert dependency_audit.run([lock], mirror=mirror, network=False).findings == []


def test_osv_zip_export_works_like_the_folder(tmp_path: Path, mirror: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in mirror.rglob("*.json"):
            out.write(file, file.name)
    lock = _lock(tmp_path, "django==4.2.14")
    assert {f.advisory for f in dependency_audit.run([lock], mirror=archive, network=False).findings} == {
        "PYSEC-LISTED",
        "PYSEC-RANGE",
    }


def test_an_empty_mirror_judges_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    audit = dependency_audit.run([_lock(tmp_path, "django==4.2.14")], mirror=tmp_path / "empty", network=False)
    assert audit.unaudited == ["django"]
    assert "没有任何漏洞记录" in audit.notes["django"][0]


@pytest.fixture
def pypi(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A local PyPI JSON API: the test fills ``pages`` with project name → page (or an HTTP status)."""
    pages: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = pages.get(self.path.removeprefix("/pypi/").removesuffix("/json"), 404)
            body = json.dumps(page).encode() if isinstance(page, dict) else b""
            self.send_response(200 if isinstance(page, dict) else page)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("GUOZI_PYPI_JSON_URL", f"http://127.0.0.1:{server.server_port}/pypi")
    yield pages
    server.shutdown()
    server.server_close()


def test_pypi_judges_only_a_pin_that_is_the_latest_release(tmp_path: Path, pypi: dict[str, Any]) -> None:
    vuln = {"id": "GHSA-xxxx", "fixed_in": ["2.0.1"], "withdrawn": None}
    pypi["lxml"] = {"info": {"version": "2.0"}, "vulnerabilities": [vuln]}
    pypi["django"] = {"info": {"version": "6.1.3"}, "vulnerabilities": []}
    pypi["openpyxl"] = {"info": {"version": "3.1.5"}, "vulnerabilities": []}
    lock = _lock(tmp_path, "lxml==2.0", "django==5.2.19", "openpyxl==3.1.5", "gone==1.0")
    audit = dependency_audit.run([lock], network=True)
    assert _found(audit) == {("lxml", "2.0", "GHSA-xxxx")}
    assert audit.findings[0].fixed == ["2.0.1"]
    # An older pin, and a project PyPI could not answer for, are not audited, never clean.
    assert audit.unaudited == ["django", "gone"]
    assert "6.1.3" in audit.notes["django"][0]
    assert "404" in audit.notes["gone"][0]


def test_the_command_fails_on_a_finding_and_names_it(tmp_path: Path, mirror: Path) -> None:
    out = tmp_path / "out.txt"
    with pytest.raises(CommandError, match="1 known vulnerabilities"), out.open("w") as stdout:
        call_command(
            "security", "audit", "--lock", str(_lock(tmp_path, "django==4.2.15")), "--advisories", str(mirror),
            "--no-network", stdout=stdout,
        )  # fmt: skip
    text = out.read_text()
    assert "VULNERABLE django==4.2.15: PYSEC-RANGE (fixed in 4.2.16; mirror)" in text


def test_the_command_passes_a_clean_lock_and_lists_what_it_could_not_audit(
    tmp_path: Path, pypi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    pypi["openpyxl"] = {"info": {"version": "3.1.5"}, "vulnerabilities": []}
    call_command("security", "audit", "--lock", str(_lock(tmp_path, "openpyxl==3.1.5", "django==5.2.19")))
    text = capsys.readouterr().out
    assert "NOT AUDITED django==5.2.19" in text
    assert "1/2 pins audited, 0 known vulnerabilities" in text


def test_no_network_without_a_mirror_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUOZI_ADVISORY_DB", raising=False)
    with pytest.raises(CommandError, match="advisory mirror"):
        call_command("security", "audit", "--lock", str(_lock(tmp_path, "django==5.2.19")), "--no-network")


def test_the_evidence_sheet_never_reports_an_unaudited_pin_as_clean(
    tmp_path: Path, pypi: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    pypi["openpyxl"] = {"info": {"version": "3.1.5"}, "vulnerabilities": []}
    monkeypatch.setattr(security_report, "PROJECT", tmp_path)
    _lock(tmp_path, "openpyxl==3.1.5", "django==5.2.19")
    rows = security_report.dependency_audit().rows
    assert rows[0][:3] == ["django", "5.2.19", "未能审计"]
    assert rows[1][:3] == ["1/2 个依赖已审计", "", "未发现已知漏洞"]
