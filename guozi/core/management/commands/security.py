from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core import dependency_audit, security_report


class Command(BaseCommand):
    help = (
        "Security evidence for an assessor: `guozi security report --output 证据.xlsx`; "
        "known vulnerabilities in the lock files: `guozi security audit`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        report = commands.add_parser("report", help="Write the evidence workbook.")
        report.add_argument("--output", required=True, type=Path)
        report.add_argument(
            "--no-network", action="store_true", help="Audit the dependencies against the mirror only; do not ask PyPI."
        )
        audit = commands.add_parser("audit", help="Audit the lock files for known vulnerabilities; exit 1 on any.")
        audit.add_argument(
            "--lock", action="append", type=Path, help="A pip-compile lock file (default: requirements.lock)."
        )
        audit.add_argument("--advisories", type=Path, help="An OSV advisory mirror (default: $GUOZI_ADVISORY_DB).")
        audit.add_argument("--no-network", action="store_true", help="Use the mirror only; do not ask PyPI.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "audit":
            self.audit(options["lock"], options["advisories"], network=not options["no_network"])
            return
        output = options["output"]
        sheets = security_report.build(network=not options["no_network"])
        security_report.write(sheets, output)
        for sheet in sheets[1:]:
            self.stdout.write(f"{sheet.title}: {len(sheet.rows)} rows")
        self.stdout.write(f"written {output}")

    def audit(self, locks: list[Path] | None, advisories: Path | None, *, network: bool) -> None:
        locks = locks or [security_report.PROJECT / "requirements.lock"]
        if advisories is None and not network and not dependency_audit.mirror_from_environment():
            raise CommandError("--no-network needs an advisory mirror: --advisories PATH or GUOZI_ADVISORY_DB")
        audit = dependency_audit.run(locks, mirror=advisories, network=network)
        judged = len(audit.pins) - len(audit.unaudited)
        by_source = {
            source: sum(source in sources for sources in audit.judged.values()) for source in ("mirror", "PyPI")
        }
        self.stdout.write(f"{len(audit.pins)} pins in {', '.join(str(lock) for lock in locks)}")
        if audit.mirror_as_of:
            self.stdout.write(f"advisory mirror, records up to {audit.mirror_as_of}: judged {by_source['mirror']}")
        if network:
            self.stdout.write(f"PyPI (latest releases only): judged {by_source['PyPI']}")
        for package in audit.unaudited:
            reasons = "; ".join(audit.notes.get(package, []))
            self.stdout.write(f"NOT AUDITED {package}=={audit.pins[package]}: {reasons}")
        for finding in audit.findings:
            pin = f"{finding.package}=={finding.version}"
            fixed = ", ".join(finding.fixed) or "no fix yet"
            self.stdout.write(f"VULNERABLE {pin}: {finding.advisory} (fixed in {fixed}; {finding.source})")
        self.stdout.write(f"{judged}/{len(audit.pins)} pins audited, {len(audit.findings)} known vulnerabilities")
        if audit.findings:
            raise CommandError(f"{len(audit.findings)} known vulnerabilities in the locked dependencies")
