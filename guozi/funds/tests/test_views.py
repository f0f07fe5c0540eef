import io

import openpyxl
import pytest

from guozi.core.models import ChangeRecord
from guozi.core.testing import client_for
from guozi.funds.choices import Stage
from guozi.funds.models import Contribution, Fund, Partner, StageEntry

pytestmark = pytest.mark.usefixtures("demo_world")


def donghu() -> Fund:
    return Fund.objects.get(short_name="东湖高新科创基金")


def test_fund_list_states_the_total_as_the_report_does() -> None:
    html = client_for("guoziwei").get("/funds/fund/", {"as_of": "2025-09-30"}).content.decode()
    assert "总规模44亿元的5支基金" in html


def test_fund_list_export_has_every_fund_in_yi_yuan() -> None:
    response = client_for("gaotou").get("/funds/fund/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "类型", "基金规模")
    assert {row[0]: row[2] for row in rows[1:]}["咸宁长证高新产业投资基金"] == "30亿元"
    assert len(rows) == 6


def test_pipeline_shows_stages_and_what_each_fund_waits_on() -> None:
    html = client_for("guoziwei").get("/funds/pipeline/", {"as_of": "2025-09-30"}).content.decode()
    assert "协议商定" in html
    assert "东湖高新科创基金" in html
    assert "等待：长证母基金完成备案" in html
    fragment = (
        client_for("guoziwei").get("/funds/pipeline/", {"as_of": "2025-05-01"}, HTTP_HX_REQUEST="true").content.decode()
    )
    assert "<html" not in fragment
    assert "总规模" in fragment


def test_fund_detail_shows_timeline_partners_and_figures() -> None:
    fund = Fund.objects.get(short_name="长证高新产业基金")
    html = client_for("gaotou").get(f"/funds/fund/{fund.pk}/", {"as_of": "2025-09-30"}).content.decode()
    for text in ("30亿元", "首期出资", "工商注册", "5倍", "150亿元", "湖北省政府引导基金", "90000万元", "14%"):
        assert text in html, text
    assert "推进到“基金备案”" in html


def test_charts_page_ships_its_own_echarts() -> None:
    html = client_for("guoziwei").get("/funds/charts/").content.decode()
    assert "/static/core/vendor/echarts.min.js" in html
    assert '"by_kind"' in html


def test_moving_a_fund_on_through_the_form() -> None:
    client = client_for("gaotou")
    fund = donghu()
    url = f"/funds/stageentry/add/?next=/funds/fund/{fund.pk}/"
    form = client.get(url + f"&fund={fund.pk}&stage=40").content.decode()
    assert 'value="40" selected' in form
    response = client.post(url, {"fund": fund.pk, "stage": 40, "entered_on": "2025-10-10", "note": "协议条款已确定"})
    assert response.status_code == 302
    assert response["Location"] == f"/funds/fund/{fund.pk}/"
    assert fund.stages.filter(stage=Stage.SIGNING).exists()


def test_a_stage_out_of_order_is_refused_by_the_form_and_writes_nothing() -> None:
    client = client_for("gaotou")
    fund = donghu()
    records = ChangeRecord.objects.count()
    response = client.post("/funds/stageentry/add/", {"fund": fund.pk, "stage": 10, "entered_on": "2025-10-10"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="stage"' in html
    assert "阶段只能向前推进" in html or "不能重复进入" in html
    assert StageEntry.objects.filter(fund=fund).count() == 3
    assert ChangeRecord.objects.count() == records


def test_an_overpayment_is_refused_naming_the_rule() -> None:
    partner = Partner.objects.get(outside_name="湖北省政府引导基金")
    count = Contribution.objects.count()
    response = client_for("gaotou").post(
        "/funds/contribution/add/", {"partner": partner.pk, "paid_on": "2025-10-01", "amount": "90000.01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "实缴不能超过认缴" in html
    assert 'data-field="amount"' in html
    assert Contribution.objects.count() == count


def test_a_negative_size_is_refused() -> None:
    response = client_for("gaotou").post(
        "/funds/fund/add/",
        {
            "name": "负数基金",
            "short_name": "负数",
            "kind": "special",
            "target_size": "-1",
            "sponsor": donghu().sponsor_id,
        },
    )
    assert response.status_code == 400
    assert "金额不能为负数" in response.content.decode()
    assert not Fund.objects.filter(name="负数基金").exists()


def test_amounts_are_entered_in_yi_and_stored_in_yuan() -> None:
    client = client_for("gaotou")
    response = client.post(
        "/funds/fund/add/",
        {
            "name": "新设基金",
            "short_name": "新设",
            "kind": "special",
            "target_size": "1.25",
            "sponsor": donghu().sponsor_id,
        },
    )
    assert response.status_code == 302
    fund = Fund.objects.get(name="新设基金")
    assert fund.target_size == 125_000_000
    edit = client.get(f"/funds/fund/{fund.pk}/edit/").content.decode()
    assert 'value="1.25"' in edit


def test_the_sasac_reads_but_does_not_edit_funds() -> None:
    client = client_for("guoziwei")
    fund = donghu()
    assert client.get(f"/funds/fund/{fund.pk}/").status_code == 200
    assert client.get(f"/funds/fund/{fund.pk}/edit/").status_code == 404
