"""The registry's pages through HTTP: lists and filters, the record page, figures, scope."""

import io
import re

import openpyxl
import pytest

from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind
from guozi.core.services.organizations import organization_create
from guozi.core.testing import client_for, org, user
from guozi.enterprises.choices import EnterpriseStatus, Level
from guozi.enterprises.models import EnterpriseProfile, Restructuring

pytestmark = pytest.mark.usefixtures("demo_world")

LIST = "/enterprises/enterpriseprofile/"


def html(username: str, path: str, params: dict[str, object] | None = None, status: int = 200) -> str:
    response = client_for(username).get(path, params or {})
    assert response.status_code == status, path
    return response.content.decode()


def summary(page: str) -> str:
    found = re.search(r'data-testid="profile-summary">\s*(.*?)\s*<a', page, re.S)
    assert found is not None
    return " ".join(found[1].split())


def county_rows(page: str) -> list[tuple[str, int, int, int]]:
    """(county, before, merged away, after) of each row of the consolidation table."""
    cell = r'<td class="text-end">(\d+)</td>'
    rows = re.findall(rf'data-region="([^"]+)"><td>[^<]+</td>{cell}{cell}{cell}', page)
    return [(region, int(before), int(merged), int(after)) for region, before, merged, after in rows]


def profile(short_name: str) -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(organization__short_name=short_name)


def test_the_registry_lists_and_filters_by_level_ownership_region_and_status() -> None:
    assert summary(html("guoziwei", LIST)) == "70 家企业 · 存续 16 · 已合并 54"
    assert summary(html("guoziwei", LIST, {"ownership": "county", "status": "active"})) == "10 家企业 · 存续 10"
    assert summary(html("guoziwei", LIST, {"level": 2})) == "3 家企业 · 存续 3"
    assert summary(html("guoziwei", LIST, {"region": "咸安区"})) == "12 家企业 · 存续 2 · 已合并 10"
    assert summary(html("guoziwei", LIST, {"status": "merged", "q": "赤壁"})) == "12 家企业 · 已合并 12"


def test_an_enterprise_sees_and_exports_its_own_group_only() -> None:
    page = html("chengfa", LIST)
    assert summary(page) == "3 家企业 · 存续 3"
    assert "咸宁高新投资集团有限公司" not in page
    assert '<option value="咸安区">' not in page  # the region filter offers only its own regions
    rows = list(
        openpyxl.load_workbook(io.BytesIO(client_for("chengfa").get(f"{LIST}export/").getvalue())).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:2] == ("企业名称", "统一社会信用代码")
    assert {row[0] for row in rows[1:]} == {
        "咸宁市城市发展（集团）有限责任公司",
        "咸宁市振宁押运有限公司",
        "市城发集团绿能分公司",
    }
    gaotou = profile("市高投集团").pk
    for path in (f"{LIST}{gaotou}/", f"{LIST}{gaotou}/history/", f"{LIST}{gaotou}/edit/"):
        assert client_for("chengfa").get(path).status_code == 404


def test_the_record_page_shows_governance_ratings_headcount() -> None:
    page = html("guoziwei", f"{LIST}{profile('市城发集团').pk}/")
    for text in ("AAA", "委派专职外部董事", "定编 88 → 60", "管理岗位 279 → 251", "城市建设与运营", "咸宁市"):
        assert text in page, text
    own = html("chengfa", f"{LIST}{profile('市城发集团').pk}/")
    assert "委派专职外部董事" in own
    assert "添加治理记录" not in own  # the SASAC keeps governance records


def test_a_merged_enterprise_points_to_the_one_that_took_it_in_and_back() -> None:
    merged = profile("咸安城投")
    page = html("guoziwei", f"{LIST}{merged.pk}/")
    assert "已合并" in page
    assert f'href="{profile("咸安城发").get_absolute_url()}"' in page
    survivor = html("guoziwei", f"{LIST}{profile('咸安城发').pk}/")
    assert "咸安城市建设投资有限公司" in survivor
    assert "咸安政发〔2025〕11号" in survivor


def test_an_enterprise_edits_its_facts_while_its_classification_stays_locked() -> None:
    own = profile("城发绿能")
    client = client_for("chengfa")
    form = client.get(f"{LIST}{own.pk}/edit/").content.decode()
    assert re.search(r'<select name="level"[^>]*disabled', form)
    response = client.post(
        f"{LIST}{own.pk}/edit/",
        {
            "credit_code": own.credit_code.lower(),
            "industry": "光伏运维",
            "level": 3,
            "status": "deregistered",
            "version": own.version,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.industry, own.level, own.status) == ("光伏运维", Level.SECOND, EnterpriseStatus.ACTIVE)


def test_the_sasac_enters_an_enterprise_with_a_typed_code() -> None:
    new = organization_create(
        actor=user("guoziwei"),
        origin=COMMAND,
        data={"name": "咸宁演示新企业", "kind": OrganizationKind.ENTERPRISE, "parent": org("国资委")},
    )
    client = client_for("guoziwei")
    form = client.get(f"{LIST}add/").content.decode()
    assert "咸宁演示新企业" in form
    choices = re.search(r'<select name="organization".*?</select>', form, re.S)
    assert choices is not None
    assert "咸宁演示新企业" in choices[0]
    assert "咸宁市城市发展（集团）有限责任公司" not in choices[0]  # it has a profile already
    data = {"organization": new.pk, "level": 1, "ownership": "city", "status": "active"}
    wrong = client.post(f"{LIST}add/", {**data, "credit_code": "91421200MA4XXXXXX1"})
    assert wrong.status_code == 400
    assert "不在" in wrong.content.decode() or "校验码" in wrong.content.decode()
    response = client.post(f"{LIST}add/", {**data, "credit_code": "  9111 0000 8021 0043 3b "})
    assert response.status_code == 302
    assert EnterpriseProfile.objects.get(organization=new).credit_code == "91110000802100433B"


def test_recording_a_restructuring_through_the_form() -> None:
    client = client_for("guoziwei")
    form = client.get("/enterprises/restructuring/add/").content.decode()
    assert "咸安城市建设投资有限公司" not in form  # merged away: no longer offered
    response = client.post(
        "/enterprises/restructuring/add/",
        {
            "done_on": "2025-10-01",
            "document_number": "咸安政发〔2025〕20号",
            "result": org("咸安城发").pk,
            "merged": [org("咸安产投").pk],
        },
    )
    assert response.status_code == 302
    assert profile("咸安产投").merged_into == org("咸安城发")
    page = html("guoziwei", "/enterprises/consolidation/")
    assert county_rows(page)[0] == ("咸安区", 12, 11, 1)


def test_the_consolidation_page_counts_by_county_and_exports() -> None:
    page = html("guoziwei", "/enterprises/consolidation/")
    assert "县一级国企由64户整合为10户" in page
    counties = county_rows(page)
    assert [(region, after) for region, _, _, after in counties] == [
        ("咸安区", 2),
        ("赤壁市", 2),
        ("通城县", 2),
        ("崇阳县", 2),
        ("嘉鱼县", 1),
        ("通山县", 1),
    ]
    assert sum(before for _, before, _, _ in counties) == 64
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(client_for("guoziwei").get("/enterprises/consolidation/", {"download": "xlsx"}).getvalue())
        ).active.iter_rows(values_only=True)
    )
    assert rows[0] == ("县（市、区）", "整合前", "被合并", "整合后", "重组次数")
    assert rows[-1] == ("合计", 64, 54, 10, 10)
    assert "没有" in html("chengfa", "/enterprises/consolidation/")  # no county SOE in its scope


def test_the_figures_page_holds_the_reports_figures() -> None:
    page = html("guoziwei", "/enterprises/figures/")
    for text in ("483家", "4家", "6名", "11家", "30家", "AAA 2", "AA+ 1", "88 → 60 (-28)", "50 → 40 (-10)", "64"):
        assert text in page, text
    own = html("chengfa", "/enterprises/figures/")
    assert "483" not in own  # the SASAC's aggregate records are not the enterprise's
    assert "3名" in own


def test_readers_without_the_registry_get_403_and_no_menu() -> None:
    for path in (LIST, "/enterprises/consolidation/", "/enterprises/figures/"):
        assert client_for("auditor").get(path).status_code == 403
    assert "/enterprises/" not in html("auditor", "/")
    menu = html("lingdao", "/")
    assert "/enterprises/consolidation/" in menu
    assert "/enterprises/enterpriseprofile/add/" not in html("lingdao", LIST)
    assert Restructuring.objects.restrict(user("lingdao"), "change").count() == 0
