import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guozi.assets.models import Asset, AssetCategory
from guozi.core.testing import client_for, org

pytestmark = pytest.mark.usefixtures("demo_world")


def test_the_list_filters_by_enterprise_subtree_class_and_package() -> None:
    client = client_for("guoziwei")
    body = client.get("/api/assets", {"enterprise_id": org("市高投集团").pk, "package": "lease"}).json()
    assert body["count"] == 25
    assert {item["package"] for item in body["items"]} == {"lease"}
    physical = AssetCategory.objects.get(name="实物资产").pk
    assert client.get("/api/assets", {"category_id": physical}).json()["count"] == 103
    assert client.get("/api/assets", {"utilisation": "inefficient"}).json()["count"] == 76
    page = client.get("/api/assets", {"page_size": 10, "page": 2}).json()
    assert (page["count"], len(page["items"])) == (203, 10)


def test_an_asset_in_figures_of_yuan() -> None:
    asset = Asset.objects.get(code="CF-0001")
    body = client_for("chengfa").get(f"/api/assets/{asset.pk}").json()
    assert body["code"] == "CF-0001"
    assert body["book_value"] == str(asset.book_value)
    assert (body["enterprise"], body["category"], body["package"]) == (
        "咸宁市城市发展（集团）有限责任公司",
        "资金",
        None,
    )
    assert body["import_batch_id"] == asset.import_batch_id


def test_the_census_of_an_enterprise() -> None:
    body = client_for("guoziwei").get(f"/api/organizations/{org('市城发集团').pk}/asset-census").json()
    assert body["total"] == {"count": 143, "value": "30670000000.00"}
    assert body["inefficient"] == {"count": 76, "value": "1410000000.00"}
    assert [(p["package"], p["count"], p["value"]) for p in body["packages"]] == [
        ("self_use", 21, "200000000.00"),
        ("sale", 31, "30000000.00"),
        ("lease", 8, "190000000.00"),
        ("financing", 16, "990000000.00"),
    ]
    assert (body["certificates_needed"], body["certificates_done"]) == (18, 13)
    assert [c["name"] for c in body["by_category"]] == ["资金", "债权", "实物资产", "无形资产", "股权", "其他"]
    own = client_for("guoziwei").get(f"/api/organizations/{org('市城发集团').pk}/asset-census", {"subtree": False})
    assert own.json()["total"]["count"] < 143


def test_chengfa_gets_nothing_of_gaotous_ledger_from_the_api() -> None:
    client = client_for("chengfa")
    assert client.get("/api/assets", {"page_size": 1000}).json()["count"] == 143
    gaotou = org("市高投集团").pk
    response = client.get("/api/assets", {"enterprise_id": gaotou})
    assert response.status_code == 422  # a foreign id is refused like a wrong one
    assert client.get(f"/api/assets/{Asset.objects.get(code='GT-0001').pk}").status_code == 404
    assert client.get(f"/api/organizations/{gaotou}/asset-census").status_code == 404


def test_a_census_needs_the_ledger_not_only_the_organisation() -> None:
    response = client_for("sysadmin").get(f"/api/organizations/{org('市城发集团').pk}/asset-census")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/revitalizations", "/api/asset-transfers", "/api/financial-snapshots"])
def test_lists_do_not_query_per_row(path: str) -> None:
    client = client_for("guoziwei")
    client.get("/")  # warm per-process caches (content types)
    counts = []
    for size in (1, 1000):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{path}: {counts}"
