from datetime import date
from decimal import Decimal

import pytest

from guozi.core.testing import client_for
from guozi.supervision.choices import ReportState
from guozi.supervision.models import ProgressReport, ReportingRound, TargetTask
from guozi.supervision.testing import open_q4

pytestmark = pytest.mark.usefixtures("demo_world")


@pytest.fixture
def q4() -> ReportingRound:
    return open_q4(due_on=date(2025, 11, 1))


def task(number: int) -> TargetTask:
    return TargetTask.objects.get(plan__name="2025年市政府工作报告", number=number)


def test_task_detail_shows_the_computed_figures() -> None:
    html = client_for("guoziwei").get(f"/supervision/targettask/{task(48).pk}/").content.decode()
    assert "57/61 · 93.44%" in html
    assert "咸宁市城市发展（集团）有限责任公司、咸宁高新投资集团有限公司" in html  # partner units, by name
    assert "梳理20个，已完成15个，剩余5个" in html
    html70 = client_for("guoziwei").get(f"/supervision/targettask/{task(70).pk}/").content.decode()
    assert "3月14日" in html70 and "印发《咸宁高新区托管咸宁高投集团实施方案》" in html70  # noqa: PT018


def test_inbox_lists_what_each_unit_owes(q4: ReportingRound) -> None:
    lead = client_for("guoziwei").get("/supervision/inbox/").content.decode()
    assert lead.count("2025年第4季度") == 3
    partner = client_for("chengfa").get("/supervision/inbox/").content.decode()
    assert "目标任务48" in partner
    assert "目标任务35" not in partner


def test_a_stale_form_save_is_refused_and_keeps_the_other_text(q4: ReportingRound) -> None:
    report = ProgressReport.objects.get(round=q4, task__number=35)
    url = f"/supervision/progressreport/{report.pk}/edit/"
    first, second = client_for("guoziwei"), client_for("guoziwei")
    version = first.get(url).context["form"].initial["version"]
    assert 'name="version"' in second.get(url).content.decode()  # the hidden field travels with the form
    assert first.post(url, {"progress": "甲", "version": version}).status_code == 302
    response = second.post(url, {"progress": "乙", "version": version})
    assert response.status_code == 409
    assert ProgressReport.objects.get(pk=report.pk).progress == "甲"
    # The other user's change is shown beside the form, which keeps this user's text.
    html = response.content.decode()
    assert "data-conflict" in html
    assert [after for _, after_rows in response.context["conflict"] for _, _, after in after_rows] == ["甲"]
    form = response.context["form"]
    assert (form["progress"].value(), form["version"].value()) == ("乙", str(version + 1))
    # Saving again, now with the other change in view, is a deliberate choice and goes through.
    again = second.post(url, {"progress": "乙", "version": form["version"].value()})
    assert again.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).progress == "乙"


def test_workflow_pages_refuse_what_the_user_may_not_do(q4: ReportingRound) -> None:
    report = ProgressReport.objects.get(round=q4, task__number=48)
    # A partner unit sees the report but may not submit it.
    assert client_for("chengfa").post(f"/supervision/progressreport/{report.pk}/submit/").status_code == 403
    # Approving a draft is refused with a message, and changes nothing.
    response = client_for("ducha").post(
        f"/supervision/progressreport/{report.pk}/approve/", {"verified_status": "on_track"}
    )
    assert response.status_code == 400
    assert "只有已报送的报告可以审核通过" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.DRAFT
    # Another enterprise does not see it at all.
    other = ProgressReport.objects.get(round=q4, task__number=70)
    assert client_for("chengfa").get(f"/supervision/progressreport/{other.pk}/").status_code == 404


def test_round_overview_lists_late_units_first(q4: ReportingRound) -> None:
    html = client_for("ducha").get(f"/supervision/reportinground/{q4.pk}/").content.decode()
    assert html.count("逾期") == 3  # due 11-01, nothing sent


def test_api_workflow_and_conflict(q4: ReportingRound) -> None:
    report = ProgressReport.objects.get(round=q4, task__number=35)
    lead, office = client_for("guoziwei"), client_for("ducha")
    url = f"/api/reports/{report.pk}"
    ok = lead.patch(url, {"version": report.version, "progress": "一是……"}, content_type="application/json")
    assert ok.status_code == 200
    stale = lead.patch(url, {"version": report.version, "progress": "旧"}, content_type="application/json")
    assert stale.status_code == 409
    assert lead.post(f"{url}/submit").json()["state"] == "submitted"
    assert office.post(f"{url}/return", {"reason": ""}, content_type="application/json").status_code == 422
    assert office.post(f"{url}/approve").json()["state"] == "approved"
    assert lead.post(f"{url}/submit").status_code == 422


def test_api_writes_go_through_the_services_and_keep_to_the_scope() -> None:
    lead = client_for("guoziwei")
    t48 = task(48)
    created = lead.post(
        "/api/work-items",
        {"task_id": t48.pk, "title": "新增改革事项", "kind": "reform_item", "owner_unit_id": t48.lead_unit_id},
        content_type="application/json",
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    fresh = {"HTTP_IF_MATCH": '"1"'}  # a new row is at version 1
    done = lead.patch(f"/api/work-items/{item_id}", {"status": "done"}, content_type="application/json", **fresh)
    assert done.status_code == 422  # a done item needs its date
    finished = lead.patch(
        f"/api/work-items/{item_id}",
        {"status": "done", "done_on": "2025-10-10"},
        content_type="application/json",
        **fresh,
    )
    assert (finished.status_code, finished["ETag"]) == (200, '"2"')
    milestone = lead.post(
        "/api/milestones",
        {"task_id": t48.pk, "title": "年终总结", "planned_on": "2025-12-20"},
        content_type="application/json",
    )
    assert milestone.status_code == 201
    assert any(m["title"] == "年终总结" for m in lead.get("/api/milestones", {"task": t48.pk}).json()["items"])
    # An enterprise cannot add to a task it only reads, nor name a task it cannot see.
    chengfa = client_for("chengfa")
    assert (
        chengfa.post(
            "/api/milestones",
            {"task_id": t48.pk, "title": "x", "planned_on": "2025-12-01"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        chengfa.post(
            "/api/milestones",
            {"task_id": task(70).pk, "title": "x", "planned_on": "2025-12-01"},
            content_type="application/json",
        ).status_code
        == 422
    )


def test_items_show_their_progress_with_its_method_and_indicators_their_history() -> None:
    from guozi.supervision.models import Indicator, WorkItem

    client = client_for("guoziwei")
    item = WorkItem.objects.filter(task=task(48), status="done").first()
    assert item is not None
    html = client.get(f"/supervision/workitem/{item.pk}/").content.decode()
    assert "100.0%" in html
    assert "按状态折算百分比" in html
    rate = Indicator.objects.get(task=task(48), source="done_rate")
    html = client.get(f"/supervision/indicator/{rate.pk}/").content.decode()
    assert "93.44%" in html


def test_the_dashboard_reads_tasks_work_items_and_milestones_once_for_all_tasks() -> None:
    """Status by unit is computed for the day asked, from every task's items: in a fixed
    number of queries, however many tasks (docs/benchmarks.md measures 200). The tasks are read
    with only the fields the page shows: a field left out would be read a task at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guozi.supervision.models import Milestone, WorkItem

    client = client_for("ducha")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/supervision/dashboard/", {"as_of": "2025-09-30"})
    assert page.status_code == 200
    assert TargetTask.objects.count() > 1  # more than one task, or one query per task would pass too
    for model in (TargetTask, WorkItem, Milestone):
        table = connection.ops.quote_name(model._meta.db_table)
        # The table read by a statement of its own (not as a subquery of another's WHERE).
        reading = [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"].split(" WHERE ")[0]]
        assert len(reading) == 1, reading


#: The dashboard's task rows as its template wrote them, before supervision.views.pages.task_rows.
TASK_ROWS_TEMPLATE = (
    '{% for f in figures %}<tr><td><a href="{{ f.task.get_absolute_url }}">{{ f.task }} {{ f.task.heading }}</a></td>'
    "<td>{{ f.task.lead_unit.short_name }}</td><td>{% if f.progress %}{{ f.progress.percent|floatformat:1 }}%"
    '{% else %}—{% endif %}</td><td><span class="badge status-{{ f.status }}" data-testid="status">'
    "{{ f.status.label }}</span></td></tr>{% endfor %}"
)


@pytest.mark.parametrize("value", ["0", "12.25", "33.35", "66.666666", "99.95", "100", "-0.04", "-5.55"])
def test_the_rows_percentage_is_floatformats(value: str) -> None:
    """Half up to one place, as ``floatformat:1``, down to a negative zero written as zero."""
    from django.template.defaultfilters import floatformat

    from guozi.supervision.views.pages import _percent

    assert _percent(Decimal(value)) == f"{floatformat(Decimal(value), 1)}%"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboards_task_rows_are_the_templates(language: str) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from guozi.core.testing import user
    from guozi.supervision.selectors import tasks_figures
    from guozi.supervision.views.pages import task_rows

    figures = tasks_figures(
        TargetTask.objects.restrict(user("ducha"), "view").select_related("lead_unit").order_by("number"),
        date(2025, 9, 30),
    )
    assert {f.progress is None for f in figures} == {True, False}  # both kinds of progress cell
    task = figures[0].task
    task.heading = '<b>"转型" & 升级</b>'  # escaped like the template escapes it
    with translation.override(language):
        expected = Template(TASK_ROWS_TEMPLATE).render(Context({"figures": figures}))
        assert task_rows(figures) == expected
    assert "&lt;b&gt;&quot;转型&quot; &amp; 升级&lt;/b&gt;" in expected
