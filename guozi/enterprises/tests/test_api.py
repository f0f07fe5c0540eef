"""The registry's API: profiles, restructurings and the consolidation figures, each within the caller's scope."""

import pytest

from guozi.core.testing import client_for, org
from guozi.enterprises.models import EnterpriseProfile

pytestmark = pytest.mark.usefixtures("demo_world")


def profile(short_name: str) -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(organization__short_name=short_name)


def test_the_list_filters_by_level_ownership_region_and_status() -> None:
    client = client_for("guoziwei")
    assert client.get("/api/enterprises", {"page_size": 1000}).json()["count"] == 70
    body = client.get("/api/enterprises", {"ownership": "county", "status": "active", "page_size": 100}).json()
    assert body["count"] == 10
    assert {item["region"] for item in body["items"]} == {"咸安区", "赤壁市", "通城县", "崇阳县", "嘉鱼县", "通山县"}
    assert client.get("/api/enterprises", {"level": 2}).json()["count"] == 3
    merged = client.get("/api/enterprises", {"region": "通山县", "status": "merged"}).json()
    assert merged["count"] == 7
    assert {item["merged_into"] for item in merged["items"]} == {"通山国有资本投资运营集团"}
    assert client.get("/api/enterprises", {"level": 9}).status_code == 422


def test_a_profile_comes_with_its_whole_record() -> None:
    body = client_for("guoziwei").get(f"/api/enterprises/{profile('市城发集团').pk}").json()
    assert (body["name"], body["level"], body["ownership"], body["status"]) == (
        "咸宁市城市发展（集团）有限责任公司",
        1,
        "city",
        "active",
    )
    assert [(r["grade"], r["rated_on"]) for r in body["ratings"]] == [("AAA", "2025-09-30")]
    assert [(g["kind"], g["count"]) for g in body["governance"]] == [("external_directors", 3)]
    assert body["headcount_change"]["staff_quota"] == {
        "before": 88,
        "after": 60,
        "since": "2024-12-31",
        "until": "2025-09-30",
        "difference": -28,
    }
    assert body["headcount_change"]["management_posts"]["difference"] == -28
    survivor = client_for("guoziwei").get(f"/api/enterprises/{profile('咸安城发').pk}").json()
    (restructuring,) = survivor["restructurings"]
    assert (restructuring["region"], len(restructuring["merged"])) == ("咸安区", 5)


def test_an_enterprise_reads_its_own_group_only() -> None:
    client = client_for("chengfa")
    body = client.get("/api/enterprises", {"page_size": 1000}).json()
    assert {item["short_name"] for item in body["items"]} == {"市城发集团", "振宁押运", "城发绿能"}
    assert client.get(f"/api/enterprises/{profile('市高投集团').pk}").status_code == 404
    assert client.get("/api/restructurings").json()["count"] == 0
    assert client.get(f"/api/organizations/{org('市政府').pk}/county-consolidation").status_code == 404


def test_restructurings_by_county() -> None:
    body = client_for("lingdao").get("/api/restructurings", {"region": "咸安区"}).json()
    assert body["count"] == 2
    assert sum(len(item["merged"]) for item in body["items"]) == 10


def test_the_consolidation_figures_within_an_organisation() -> None:
    client = client_for("ducha")
    city = client.get(f"/api/organizations/{org('市政府').pk}/county-consolidation").json()
    assert (city["before"], city["merged"], city["after"]) == (64, 54, 10)
    assert [(c["region"], c["after"]) for c in city["counties"]] == [
        ("咸安区", 2),
        ("赤壁市", 2),
        ("通城县", 2),
        ("崇阳县", 2),
        ("嘉鱼县", 1),
        ("通山县", 1),
    ]
    county = client.get(f"/api/organizations/{org('咸安区').pk}/county-consolidation").json()
    assert [(c["region"], c["before"], c["after"], c["restructurings"]) for c in county["counties"]] == [
        ("咸安区", 12, 2, 2)
    ]
    own = client_for("chengfa").get(f"/api/organizations/{org('市城发集团').pk}/county-consolidation").json()
    assert (own["before"], own["after"], own["counties"]) == (0, 0, [])


def test_consolidation_needs_the_registry_not_only_the_organisation() -> None:
    response = client_for("sysadmin").get(f"/api/organizations/{org('市政府').pk}/county-consolidation")
    assert response.status_code == 404
