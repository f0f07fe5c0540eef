"""The quarterly report against bare python-docx building the same document (issue 7 §6).

Issue 7's target: the quarterly report at province scale (200 tasks, 5M assets) in at
most 3 s, at most 3× bare python-docx building the same document.

``--tasks N`` gives the report its content, through the supervision services as the
demo does: a supervision office (市政府政务督查室) and its user, a plan (the year's 政府工作报告),
N target tasks led by the SASAC, the third quarter's round opened for them, and each
task's progress report written and submitted by the SASAC reader and approved by the
office. Each narrative names ledger figures of one of the benchmark's enterprises
(``{{三资.<企业>.清理总额}}``, 闲置/低效 counts and values, certificates), so generating
the report reads the census of every enterprise the tasks name.

Measured (R runs, at least ``MIN_RUNS``, in the benchmark's process): ``report_generate`` as
the SASAC reader (build the document from the approved reports and live figures, run the
cross-checks, store it) and ``render_docx`` of the stored document (what the 下载 Word button
does).
Baseline: python-docx alone adding the same paragraphs — the rendered document's texts,
one ``add_paragraph`` each, no styling — and saving. The report has no tables; the
annex with its tables is an .xlsx (``reports.annex``) and not part of this line.
"""

from __future__ import annotations

import io
import secrets
from datetime import date, timedelta
from typing import Any

YEAR, QUARTER, PERIOD_END = 2025, 3, date(2025, 9, 30)
ADDRESSEE = "市人民政府"
OFFICE = "bench_office"
#: Issue 7's targets: at most 3× bare python-docx, and at most 3 s (200 tasks, 5M assets).
REPORT_TARGET = 3.0
REPORT_SECONDS = 3.0
#: Runs of this line whatever ``--repeat`` says: a report takes a fifth of a second, and with
#: ``--repeat 1`` (the million-row runs, for their imports' sake) one run was its whole figure
#: (2.95–4.06× the baseline across sessions; five runs of one build spread 139–148 ms).
MIN_RUNS = 5


def _narrative(short: str, number: int) -> str:
    figure = f"三资.{short}"
    return "\n".join(
        [
            f"（一）资产清查。{short}已完成资产清查，清理总额{{{{{figure}.清理总额}}}}。",
            f"（二）盘活利用。梳理闲置资产{{{{{figure}.闲置资产数}}}}项、价值{{{{{figure}.闲置资产价值}}}}，"
            f"低效资产{{{{{figure}.低效资产数}}}}项、价值{{{{{figure}.低效资产价值}}}}，逐项制定盘活方案。",
            f"（三）权证办理。需办证资产{{{{{figure}.需办证}}}}项，已办证{{{{{figure}.已办证}}}}项，"
            f"其余按第{number}号任务清单于年底前办结。",
            "下一步，将继续压实主体责任，按月调度进展，确保完成全年目标任务。",
        ]
    )


def create_tasks(count: int, reader_id: int) -> Any:
    """The office, the plan, ``count`` tasks and their approved Q3 reports, through the services; the plan."""
    from bench.data import enterprises
    from bench.setup import READER
    from guozi.core.changes import COMMAND
    from guozi.core.choices import OrganizationKind as Kind
    from guozi.core.models import Organization, Role, User
    from guozi.core.services.organizations import organization_create
    from guozi.core.services.users import user_create
    from guozi.supervision.choices import PlanKind
    from guozi.supervision.models import ProgressReport
    from guozi.supervision.services import reports as rep
    from guozi.supervision.services.plans import plan_create, target_task_create

    admin = User.objects.get(username="bench_admin")
    reader = User.objects.get(pk=reader_id, username=READER)
    sasac = reader.organization
    city = sasac.parent
    office_org = organization_create(
        actor=admin,
        origin=COMMAND,
        data={
            "name": "市政府政务督查室",
            "short_name": "督查室",
            "kind": Kind.DEPARTMENT,
            "region": "咸宁市",
            "parent": city,
        },
    )
    office = user_create(
        actor=admin,
        origin=COMMAND,
        data={"username": OFFICE, "full_name": "基准测试督查室人员", "organization": office_org},
        password=secrets.token_urlsafe(16) + "Aa1!",
        initial_password=False,  # an account of the benchmark, not a person
        roles=[Role.objects.get(code="supervision_office")],
    )
    plan = plan_create(
        actor=office,
        origin=COMMAND,
        data={"name": f"{YEAR}年市《政府工作报告》", "kind": PlanKind.WORK_REPORT, "year": YEAR, "issuer": city},
    )
    names = [e.short_name for e in enterprises(Organization.objects.filter(kind=Kind.ENTERPRISE).count())]
    tasks = [
        target_task_create(
            actor=office,
            origin=COMMAND,
            data={
                "plan": plan,
                "number": number,
                "heading": f"推进{names[(number - 1) % len(names)]}资产清查和盘活",
                "text": f"完成{names[(number - 1) % len(names)]}国有资产清查，建立资产台账，推动闲置低效资产盘活利用。",
                "lead_unit": sasac,
                "leader": "分管副市长",
                "deadline": date(YEAR, 12, 31),
            },
        )
        for number in range(1, count + 1)
    ]
    round_ = rep.round_open(
        actor=office,
        origin=COMMAND,
        data={
            "plan": plan,
            "year": YEAR,
            "quarter": QUARTER,
            "period_end": PERIOD_END,
            "due_on": PERIOD_END + timedelta(days=10),
            "grace_days": 3,
            "tasks": tasks,
        },
    )
    for report in ProgressReport.objects.filter(round=round_).select_related("task").order_by("task__number"):
        number = report.task.number
        report = rep.report_update(
            actor=reader,
            origin=COMMAND,
            progressreport=report,
            data={
                "progress": _narrative(names[(number - 1) % len(names)], number),
                "self_status": "on_track",
                "version": report.version,
            },
        )
        report = rep.report_submit(actor=reader, origin=COMMAND, progressreport=report)
        rep.report_approve(
            actor=office, origin=COMMAND, progressreport=report, explanation="基准测试数据，经核对无误。"
        )
    return plan


def guozi_report(plan: Any, reader: Any) -> bytes:
    """``report_generate`` as the SASAC reader, then the stored document as .docx."""
    from guozi.core.changes import COMMAND
    from guozi.reports.docx_writer import render_docx
    from guozi.reports.services import report_generate

    report = report_generate(
        actor=reader,
        origin=COMMAND,
        data={
            "plan": plan,
            "year": YEAR,
            "quarter": QUARTER,
            "unit": reader.organization,
            "addressee": ADDRESSEE,
            "published_on": PERIOD_END + timedelta(days=15),
        },
    )
    return render_docx(report.document())


def paragraphs(content: bytes) -> list[str]:
    """The texts of a .docx's body paragraphs, in order (the baseline's input: the same text)."""
    from docx import Document

    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def bare_docx(texts: list[str]) -> bytes:
    """python-docx alone: one paragraph per text, saved."""
    from docx import Document

    document = Document()
    for text in texts:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def measure(runs: int, tasks: int, reader_id: int, say: Any, timed: Any, figure: Any) -> list[dict[str, Any]]:
    from guozi.core.heap import settle
    from guozi.core.models import User

    if tasks < 1:
        return []
    runs = max(runs, MIN_RUNS)
    say(f"quarterly report: {tasks} tasks with approved reports through the supervision services")
    plan = create_tasks(tasks, reader_id)
    reader = User.objects.get(pk=reader_id)
    # What the bench built so far (the ledger's generation, the tasks) is not a worker's heap.
    settle()
    say("quarterly report (report_generate + render_docx) and bare python-docx")
    texts = paragraphs(guozi_report(plan, reader))  # also the warm-up
    seconds, content = timed(runs, lambda: guozi_report(plan, reader))
    assert paragraphs(content) == texts
    seconds_bare, _ = timed(runs, lambda: bare_docx(texts))
    bare = figure("bare python-docx (same paragraphs)", seconds_bare, paragraphs=len(texts))
    guozi = figure(
        f"quarterly report, {tasks} tasks (generate + .docx)",
        seconds,
        baseline=bare,
        target=REPORT_TARGET,
        paragraphs=len(texts),
        tasks=tasks,
    )
    guozi["notes"] = [
        f"quarterly report: {tasks} tasks, {len(texts)} paragraphs, {len(content) / 1024:.0f} KiB .docx; "
        f"issue 7's target ≤ {REPORT_SECONDS:g} s at 200 tasks and 5M assets"
    ]
    return [bare, guozi]
