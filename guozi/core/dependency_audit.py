"""Known vulnerabilities in the locked dependencies, found without osv.dev (8.1.4.4 e).

pip-audit asks PyPI's per-version JSON or osv.dev; an intranet reaches neither (here
PyPI's per-version pages answer 404 and osv.dev does not answer at all). So Guozi
audits its lock files itself, from two sources, and says which one judged each pin:

* **An advisory mirror** (``--advisories PATH`` or ``GUOZI_ADVISORY_DB``): OSV records,
  as a checkout of github.com/pypa/advisory-database (YAML, when PyYAML is installed),
  a folder of OSV JSON, or osv.dev's ``PyPI/all.zip``. Every pin is judged against it,
  as of the newest record's ``modified`` date, which the result states.
* **PyPI's project page** (``/pypi/<name>/json``), which answers here and lists the
  vulnerabilities of the project's *latest* release. It judges a pin only when the pin
  is that release; an older pin is left to the mirror.

A pin neither source judged is reported as not audited, never as clean.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

#: PyPI's JSON API; an intranet mirror that serves the same pages can stand in for it.
PYPI_JSON = "https://pypi.org/pypi"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name: str) -> str:
    """PEP 503: Django, django and DJANGO name one project; so do a_b, a-b and a.b."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    """``name==version`` lines of a pip-compile lock (hash and comment lines skipped)."""
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            found[canonical(match[1])] = match[2]
    return found


@dataclass
class Finding:
    package: str
    version: str
    advisory: str
    fixed: list[str]
    source: str


@dataclass
class Audit:
    pins: dict[str, str]
    findings: list[Finding] = field(default_factory=list)
    #: package → the sources that judged its pin ("mirror", "PyPI").
    judged: dict[str, set[str]] = field(default_factory=dict)
    #: package → why a source could not judge it.
    notes: dict[str, list[str]] = field(default_factory=dict)
    mirror_as_of: str = ""

    @property
    def unaudited(self) -> list[str]:
        return sorted(name for name in self.pins if not self.judged.get(name))


# ---------------------------------------------------------------- the advisory mirror


def _parse(name: str, data: bytes) -> dict[str, Any] | None:
    if name.endswith(".json"):
        parsed = json.loads(data)
    elif name.endswith((".yaml", ".yml")):
        import yaml  # a dev dependency; only a YAML mirror needs it

        parsed = yaml.safe_load(data)
    else:
        return None
    return parsed if isinstance(parsed, dict) else None


def _records(path: Path, wanted: set[str]) -> Iterator[dict[str, Any]]:
    """OSV records under ``path``; in pypa's layout only the wanted packages' folders are read."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for entry in archive.namelist():
                record = _parse(entry, archive.read(entry))
                if record:
                    yield record
        return
    folders = [path / "vulns" / name for name in wanted] if (path / "vulns").is_dir() else [path]
    for folder in folders:
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                record = _parse(file.name, file.read_bytes()) if file.is_file() else None
                if record:
                    yield record


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _order(text: str) -> tuple[int, Version | str]:
    parsed = _version(text)
    return (0, parsed) if parsed is not None else (1, text)


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's range rule: affected from an ``introduced`` until a ``fixed`` (or past a ``last_affected``)."""
    affected = False
    marks: list[tuple[Version, str]] = []
    for event in events:
        for kind, text in event.items():
            at = Version("0") if text == "0" else _version(text)
            if at is not None and kind in ("introduced", "fixed", "last_affected"):
                marks.append((at, kind))
    for at, kind in sorted(marks, key=lambda mark: mark[0]):
        if kind == "introduced" and version >= at:
            affected = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            affected = False
    return affected


def affects(record: dict[str, Any], package: str, version: str) -> list[str] | None:
    """The fixed versions if ``record`` affects ``package==version``, else None."""
    parsed = _version(version)
    for affected in record.get("affected") or []:
        about = affected.get("package") or {}
        if about.get("ecosystem") != "PyPI" or canonical(about.get("name", "")) != package:
            continue
        ranges = [r for r in affected.get("ranges") or [] if r.get("type") in ("ECOSYSTEM", "SEMVER")]
        fixed = sorted({e["fixed"] for r in ranges for e in r.get("events", []) if "fixed" in e}, key=_order)
        if version in (affected.get("versions") or []):
            return fixed
        if parsed is not None and any(_in_range(parsed, r.get("events", [])) for r in ranges):
            return fixed
    return None


def audit_mirror(audit: Audit, path: Path) -> None:
    newest = ""
    for record in _records(path, set(audit.pins)):
        if record.get("withdrawn"):
            continue
        newest = max(newest, str(record.get("modified", "")))
        for package, version in audit.pins.items():
            fixed = affects(record, package, version)
            if fixed is not None:
                audit.findings.append(Finding(package, version, record.get("id", "?"), fixed, "mirror"))
    if not newest:
        for package in audit.pins:
            audit.notes.setdefault(package, []).append(f"镜像 {path} 中没有任何漏洞记录")
        return
    audit.mirror_as_of = newest[:10]
    for package in audit.pins:
        audit.judged.setdefault(package, set()).add("mirror")


# ---------------------------------------------------------------- PyPI's project page


def _project(name: str) -> dict[str, Any] | Exception:
    url = f"{os.environ.get('GUOZI_PYPI_JSON_URL', PYPI_JSON)}/{name}/json"
    if not url.startswith(("https://", "http://")):
        return ValueError(f"not an http(s) address: {url}")
    try:
        # A fixed http(s) address built from a lock file's project name.
        with urllib.request.urlopen(url, timeout=20) as answer:  # noqa: S310  # nosec B310 # scheme checked above
            data: dict[str, Any] = json.load(answer)
            return data
    except Exception as error:  # any failure means "not judged", reported with its reason
        return error


def audit_pypi(audit: Audit, names: Iterable[str] | None = None) -> None:
    names = sorted(names if names is not None else audit.pins)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(names, pool.map(_project, names), strict=True))
    for package, answer in answers.items():
        version = audit.pins[package]
        if isinstance(answer, Exception):
            audit.notes.setdefault(package, []).append(f"PyPI 无法查询：{answer}")
            continue
        latest = str(answer.get("info", {}).get("version", ""))
        if latest != version:
            audit.notes.setdefault(package, []).append(f"PyPI 只列出最新版 {latest} 的漏洞")
            continue
        audit.judged.setdefault(package, set()).add("PyPI")
        for vuln in answer.get("vulnerabilities") or []:
            if not vuln.get("withdrawn"):
                fixed = [str(v) for v in vuln.get("fixed_in") or []]
                audit.findings.append(Finding(package, version, str(vuln.get("id", "?")), fixed, "PyPI"))


def mirror_from_environment() -> Path | None:
    value = os.environ.get("GUOZI_ADVISORY_DB", "")
    return Path(value) if value else None


def run(locks: Iterable[Path], *, mirror: Path | None = None, network: bool = True) -> Audit:
    """Audit every pin of ``locks`` against the mirror (if any) and PyPI (if ``network``)."""
    merged: dict[str, str] = {}
    for lock in locks:
        merged.update(pins(lock))
    audit = Audit(pins=merged)
    mirror = mirror or mirror_from_environment()
    if mirror is not None:
        audit_mirror(audit, mirror)
    if network:
        audit_pypi(audit)
    # One advisory seen by both sources is one finding.
    unique = {(f.package, f.version, f.advisory): f for f in audit.findings}
    audit.findings = sorted(unique.values(), key=lambda f: (f.package, f.advisory))
    return audit
