"""guozi report quarterly --plan PLAN --year 2025 --quarter 3 --org 市政府国资委 --output FILE.docx|.pdf|.xlsx"""

import shutil
import subprocess  # nosec B404 # runs LibreOffice only, with fixed arguments (below)
import tempfile
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from guozi.core.changes import COMMAND
from guozi.core.models import Organization, User
from guozi.reports.annex import render_annex
from guozi.reports.docx_writer import render_docx
from guozi.reports.forms import default_addressee
from guozi.reports.services import report_generate
from guozi.supervision.models import Plan

FORMATS = {".docx", ".pdf", ".xlsx"}


class Command(BaseCommand):
    help = "Generate a report from the records and write it as .docx, .pdf (needs LibreOffice) or .xlsx annex."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        quarterly = sub.add_parser("quarterly", help="The quarterly report on the Government Work Report's tasks.")
        quarterly.add_argument("--plan", required=True, help="The plan's id or name (2025年市政府工作报告).")
        quarterly.add_argument("--year", type=int, required=True)
        quarterly.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
        quarterly.add_argument("--org", required=True, help="The reporting unit's name or short name.")
        quarterly.add_argument("--output", required=True, help="FILE.docx, FILE.pdf or FILE.xlsx")
        quarterly.add_argument("--actor", help="The user the report is generated as (default: the unit's own).")
        quarterly.add_argument("--draft", action="store_true", help="Include reports not yet approved (草稿).")
        quarterly.add_argument("--published-on", help="Publication date, YYYY-MM-DD.")
        quarterly.add_argument("--index-number", default="", help="索引号 of the public disclosure.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if output.suffix not in FORMATS:
            raise CommandError(f"--output must end in one of {', '.join(sorted(FORMATS))}")
        unit = Organization.objects.filter(Q(name=options["org"]) | Q(short_name=options["org"])).first()
        if unit is None:
            raise CommandError(f"no organisation {options['org']!r}")
        actor = self._actor(options.get("actor"), unit)
        plan_ref = options["plan"]
        plans = Plan.objects.restrict(actor, "view")
        plan = plans.filter(pk=int(plan_ref)).first() if plan_ref.isdigit() else plans.filter(name=plan_ref).first()
        if plan is None:
            raise CommandError(f"no plan {plan_ref!r} for {actor.username}")
        data = {
            "plan": plan,
            "year": options["year"],
            "quarter": options["quarter"],
            "unit": unit,
            "addressee": default_addressee(),
            "draft": options["draft"],
            "index_number": options["index_number"],
            "published_on": date.fromisoformat(options["published_on"]) if options.get("published_on") else None,
        }
        try:
            report = report_generate(actor=actor, origin=COMMAND, data=data)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        document = report.document()
        if output.suffix == ".xlsx":
            output.write_bytes(render_annex(document))
        elif output.suffix == ".docx":
            output.write_bytes(render_docx(document))
        else:
            output.write_bytes(docx_to_pdf(render_docx(document)))
        for finding in document.findings:
            self.stderr.write(f"{'须更正' if finding.hard else '须说明'}：{finding.message}")
        self.stdout.write(f"{output} written ({len(document.findings)} cross-check finding(s))")

    def _actor(self, username: str | None, unit: Organization) -> User:
        if username:
            user = User.objects.filter(username__iexact=username, is_active=True).first()
        else:
            # The unit's own staff who may generate reports: the command acts as one of them.
            user = next(
                (
                    u
                    for u in User.objects.filter(organization=unit, is_active=True).order_by("pk")
                    if u.has_perm("reports.add_generatedreport")
                ),
                None,
            )
        if user is None:
            raise CommandError("no user to act as: pass --actor")
        return user


def docx_to_pdf(docx: bytes) -> bytes:
    """LibreOffice converts; it must be installed (soffice on PATH)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise CommandError("PDF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        subprocess.run(  # noqa: S603  # nosec B603 # a fixed program and arguments, no shell
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(folder) / "report.pdf").read_bytes()
