import pytest

from guozi.core.testing import client_for
from guozi.funds.models import Fund, Partner

pytestmark = pytest.mark.usefixtures("demo_world")


def test_api_lists_funds_with_computed_state() -> None:
    body = client_for("guoziwei").get("/api/funds", {"as_of": "2025-09-30"}).json()
    assert body["count"] == 5
    changzheng = next(f for f in body["items"] if f["short_name"] == "长证高新产业基金")
    assert changzheng["current_stage"] == 60
    assert changzheng["waiting_on"] == ["省引导基金办理出资手续"]
    assert changzheng["leverage"] == "5.00"


def test_api_enters_a_stage_and_refuses_one_out_of_order() -> None:
    client = client_for("gaotou")
    fund = Fund.objects.get(short_name="东湖高新科创基金")
    url = f"/api/funds/{fund.pk}/stages"
    response = client.post(url, {"stage": 40, "entered_on": "2025-10-10"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["current_stage"] == 40
    response = client.post(url, {"stage": 50, "entered_on": "2025-10-01"}, content_type="application/json")
    assert response.status_code == 422
    assert "entered_on" in response.json()["detail"]


def test_api_refuses_an_overpayment() -> None:
    partner = Partner.objects.get(outside_name="湖北省政府引导基金")
    response = client_for("gaotou").post(
        f"/api/partners/{partner.pk}/contributions",
        {"paid_on": "2025-10-01", "amount": "900000001"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "amount" in response.json()["detail"]


def test_other_enterprises_get_404_from_fund_routes() -> None:
    client = client_for("chengfa")
    fund = Fund.objects.get(short_name="东湖高新科创基金")
    assert client.get(f"/api/funds/{fund.pk}").status_code == 404
    assert (
        client.post(
            f"/api/funds/{fund.pk}/stages", {"stage": 40, "entered_on": "2025-10-10"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/funds").json()["count"] == 0
