"""Transfers and injections (划转、注入): carried out in one transaction, read by both sides."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guozi.assets.choices import TransferKind
from guozi.assets.models import Asset, AssetTransfer
from guozi.assets.selectors import transfer_totals
from guozi.assets.services.transfers import asset_transfer_create, asset_transfer_update
from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind
from guozi.core.models import ChangeRecord, Organization
from guozi.core.services.organizations import organization_create
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")
YI = Decimal(100_000_000)


def transfer(**values: object) -> dict[str, object]:
    return {
        "kind": TransferKind.ASSETS,
        "title": "城发车库划转高投",
        "from_organization": org("市城发集团"),
        "to_organization": org("市高投集团"),
        "transferred_on": date(2025, 10, 10),
        "value": Decimal("3000000"),
        "document_number": "咸国资文〔2025〕99号",
        **values,
    }


def carry_out(**values: object) -> AssetTransfer:
    return asset_transfer_create(actor=user("guoziwei"), origin=COMMAND, data=transfer(**values))


def snapshot() -> tuple[list[tuple[int, int, str]], int, int]:
    """Everything a refused transfer must leave as it was."""
    assets = list(Asset.objects.order_by("pk").values_list("pk", "enterprise_id", "code"))
    return assets, AssetTransfer.objects.count(), ChangeRecord.objects.count()


# --- the reference report ---------------------------------------------------------------------


def test_one_point_nine_yi_of_assets_were_injected_into_the_city_soes() -> None:
    injections = AssetTransfer.objects.filter(kind=TransferKind.INJECTION, transferred_on__year=2025)
    assert transfer_totals(injections) == (3, Decimal("1.9") * YI)
    assert {t.from_organization.short_name for t in injections} == {"市政府"}
    assert {t.to_organization.short_name for t in injections} == {"市城发集团", "市高投集团"}
    broadcasting = injections.get(title__startswith="原咸宁广播电视台大楼")
    assert [a.name for a in broadcasting.assets.all()] == ["原咸宁广播电视台大楼"]


def test_the_two_companies_moved_to_chengfa_in_april_2025_without_re_parenting_in_the_demo() -> None:
    moved = AssetTransfer.objects.get(kind=TransferKind.ENTERPRISE)
    assert (moved.from_organization.short_name, moved.to_organization.short_name) == ("市国资公司", "市城发集团")
    assert (moved.transferred_on.year, moved.transferred_on.month) == (2025, 4)
    assert sorted(o.short_name for o in moved.organizations.all()) == ["双鹤驾校", "振宁押运"]
    # They already sat under 城发 in the demo tree: recorded, not re-parented (no change of theirs).
    assert {o.parent.short_name for o in moved.organizations.all()} == {"市城发集团"}  # type: ignore[union-attr]
    for company in moved.organizations.all():
        assert not ChangeRecord.objects.filter(
            content_type__model="organization", object_id=str(company.pk), action="update"
        ).exists()


# --- carrying a transfer out ------------------------------------------------------------------


def test_a_moved_asset_keeps_its_code_and_history_and_its_history_shows_the_transfer() -> None:
    asset = Asset.objects.get(code="CF-0001")
    # The demo imported it: created by its import batch, recorded on the batch.
    assert asset.created_in is not None
    assert not ChangeRecord.objects.filter(content_type__model="asset", object_id=str(asset.pk)).exists()
    done = carry_out(assets=[asset])
    asset.refresh_from_db()
    assert (asset.enterprise, asset.code) == (org("市高投集团"), "CF-0001")
    records = ChangeRecord.objects.filter(content_type__model="asset", object_id=str(asset.pk)).order_by("pk")
    move = records.last()
    assert move is not None
    assert (move.action, move.actor_name) == ("update", "guoziwei")
    assert (move.before["enterprise_id"], move.after["enterprise_id"]) == (org("市城发集团").pk, org("市高投集团").pk)
    assert move.organization_id == org("市高投集团").pk
    assert list(done.assets.all()) == [asset]
    # The receiving enterprise now has the row, with its whole history and the transfer.
    client = client_for("gaotou")
    history = client.get(f"/assets/asset/{asset.pk}/history/").content.decode()
    assert history.count('data-testid="change-record"') == records.count() + 1  # and its creation by import
    assert "咸宁市城市发展（集团）有限责任公司" in history
    assert "咸宁高新投资集团有限公司" in history
    detail = client.get(f"/assets/asset/{asset.pk}/").content.decode()
    assert "城发车库划转高投" in detail
    # And the giving one no longer sees the row, but still sees the transfer.
    chengfa = client_for("chengfa")
    assert chengfa.get(f"/assets/asset/{asset.pk}/").status_code == 404
    assert chengfa.get(f"/assets/assettransfer/{done.pk}/").status_code == 200


def test_a_code_the_receiving_enterprise_already_uses_refuses_the_whole_transfer() -> None:
    chengfa_row = Asset.objects.get(code="CF-0001")
    Asset.objects.filter(code="GT-0001").update(code="CF-0001")  # 高投 now has a CF-0001 of its own
    before = snapshot()
    with pytest.raises(ValidationError, match="CF-0001") as refused:
        carry_out(assets=[Asset.objects.get(code="CF-0002"), chengfa_row])
    assert "assets" in refused.value.message_dict
    assert snapshot() == before


def test_two_rows_with_one_code_cannot_land_in_one_ledger() -> None:
    Asset.objects.filter(code="CF-0003").update(enterprise=org("振宁押运"), code="CF-0002")
    before = snapshot()
    moving = list(Asset.objects.filter(code="CF-0002"))
    assert len(moving) == 2
    with pytest.raises(ValidationError, match="CF-0002"):
        carry_out(assets=moving)
    assert snapshot() == before


def test_a_transfer_takes_rows_of_the_giving_side_only() -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="GT-0001"):
        carry_out(
            from_organization=org("市国资公司"),
            to_organization=org("市城发集团"),
            assets=[Asset.objects.get(code="GT-0001")],
        )
    assert snapshot() == before
    # A subsidiary's row belongs to its group's side.
    sub_row = Asset.objects.filter(enterprise=org("振宁押运")).first()
    assert sub_row is not None
    carry_out(assets=[sub_row])
    sub_row.refresh_from_db()
    assert sub_row.enterprise == org("市高投集团")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": TransferKind.INJECTION}, "from_organization"),  # from an enterprise
        ({"kind": TransferKind.ASSETS, "from_organization": None}, "from_organization"),
        ({"to_organization": None}, "to_organization"),  # into a government office
        ({"kind": TransferKind.ENTERPRISE}, "organizations"),  # without companies
        ({"assets": []}, "assets"),  # an asset transfer without assets
        ({"value": Decimal("-1")}, "__all__"),
        ({"to_organization": "from"}, "__all__"),  # both sides the same
    ],
)
def test_refused_transfers_write_nothing(values: dict[str, object], field: str) -> None:
    government = Organization.objects.get(short_name="市政府")
    data = {**transfer(assets=[Asset.objects.get(code="CF-0001")]), **values}
    if data["from_organization"] is None:
        data["from_organization"] = government
    if data["to_organization"] is None:
        data["to_organization"] = government
    if data["to_organization"] == "from":
        data["to_organization"] = data["from_organization"]
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        asset_transfer_create(actor=user("guoziwei"), origin=COMMAND, data=data)
    assert field in refused.value.message_dict
    assert snapshot() == before


def test_the_date_cannot_be_in_the_future() -> None:
    before = snapshot()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        carry_out(assets=[Asset.objects.get(code="CF-0001")], transferred_on=tomorrow)
    assert snapshot() == before


def test_an_enterprise_transfer_re_parents_the_companies() -> None:
    sasac = user("guoziwei")
    company = organization_create(
        actor=sasac,
        origin=COMMAND,
        data={
            "name": "咸宁市测试物业有限公司",
            "short_name": "测试物业",
            "kind": OrganizationKind.ENTERPRISE,
            "parent": org("市国资公司"),
        },
    )
    done = carry_out(
        kind=TransferKind.ENTERPRISE,
        title="测试物业划转至市城发集团",
        from_organization=org("市国资公司"),
        to_organization=org("市城发集团"),
        organizations=[company],
    )
    company.refresh_from_db()
    assert company.parent == org("市城发集团")
    records = ChangeRecord.objects.filter(content_type__model="organization", object_id=str(company.pk))
    record = records.order_by("pk").last()
    assert record is not None
    assert (record.before["parent_id"], record.after["parent_id"]) == (org("市国资公司").pk, org("市城发集团").pk)
    # The company now lies in chengfa's scope, and chengfa reads the transfer.
    assert client_for("chengfa").get(f"/assets/assettransfer/{done.pk}/").status_code == 200


def test_a_company_from_elsewhere_or_above_the_receiver_cannot_be_moved() -> None:
    before = snapshot()
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    for companies in ([org("高投基金公司")], [org("市城发集团")]):
        with pytest.raises(ValidationError) as refused:
            carry_out(
                kind=TransferKind.ENTERPRISE,
                from_organization=org("市国资公司"),
                to_organization=org("振宁押运"),
                organizations=companies,
            )
        assert "organizations" in refused.value.message_dict
    assert snapshot() == before
    assert dict(Organization.objects.values_list("pk", "parent_id")) == parents


def test_only_the_sasac_records_transfers_and_only_what_describes_them_changes() -> None:
    with pytest.raises(PermissionDenied):
        asset_transfer_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data=transfer(
                from_organization=org("市城发集团"),
                to_organization=org("振宁押运"),
                assets=[Asset.objects.get(code="CF-0001")],
            ),
        )
    injection = AssetTransfer.objects.get(title__startswith="“咸融通”")
    with pytest.raises(PermissionDenied):
        asset_transfer_update(actor=user("gaotou"), origin=COMMAND, assettransfer=injection, data={"title": "改"})
    sasac = user("guoziwei")
    asset_transfer_update(
        actor=sasac, origin=COMMAND, assettransfer=injection, data={"document_number": "咸政发〔2025〕1号"}
    )
    assert AssetTransfer.objects.get(pk=injection.pk).document_number == "咸政发〔2025〕1号"
    for change in ({"to_organization": org("市城发集团")}, {"assets": [Asset.objects.get(code="GT-0001")]}):
        with pytest.raises(ValidationError, match="划回"):
            asset_transfer_update(actor=sasac, origin=COMMAND, assettransfer=injection, data=change)
    assert AssetTransfer.objects.get(pk=injection.pk).to_organization == org("市高投集团")


# --- scope, pages, API ------------------------------------------------------------------------


def test_both_sides_read_a_transfer_and_nobody_else() -> None:
    done = carry_out(assets=[Asset.objects.get(code="CF-0001")])
    for username in ("chengfa", "gaotou", "guoziwei", "ducha", "lingdao"):
        assert AssetTransfer.objects.restrict(user(username)).filter(pk=done.pk).exists(), username
    assert not AssetTransfer.objects.restrict(user("sysadmin")).exists()
    chengfa = set(AssetTransfer.objects.restrict(user("chengfa")).values_list("title", flat=True))
    gaotou = set(AssetTransfer.objects.restrict(user("gaotou")).values_list("title", flat=True))
    assert chengfa == {
        "振宁押运公司、双鹤驾校划转至市城发集团",
        "原咸宁广播电视台大楼等4处资产注入市城发集团",
        "市本级行政事业单位169套闲置房屋注入市城发集团",
        "城发车库划转高投",
    }
    assert gaotou == {"“咸融通”信息平台注入市高投集团", "城发车库划转高投"}
    # Reading is not writing: the giving side cannot edit it.
    assert client_for("chengfa").get(f"/assets/assettransfer/{done.pk}/edit/").status_code == 404


def test_chengfa_gets_404_for_the_injection_into_gaotou() -> None:
    injection = AssetTransfer.objects.get(title__startswith="“咸融通”")
    client = client_for("chengfa")
    assert client.get(f"/assets/assettransfer/{injection.pk}/").status_code == 404
    assert client.get(f"/api/asset-transfers/{injection.pk}").status_code == 404
    page = client.get("/assets/assettransfer/").content.decode()
    assert "咸融通" not in page


def test_the_list_totals_the_filtered_transfers() -> None:
    page = client_for("guoziwei").get("/assets/assettransfer/", {"kind": "injection"}).content.decode()
    assert "共 3 项，价值1.9亿元" in page
    page = client_for("guoziwei").get("/assets/assettransfer/", {"organization": org("双鹤驾校").pk}).content.decode()
    assert "共 1 项" in page


def test_recording_a_transfer_through_the_page() -> None:
    asset = Asset.objects.get(code="CF-0001")
    response = client_for("guoziwei").post(
        "/assets/assettransfer/add/",
        {
            "kind": "assets",
            "title": "页面登记的划转",
            "from_organization": org("市城发集团").pk,
            "to_organization": org("市高投集团").pk,
            "transferred_on": "2025-10-12",
            "value": "300",
            "assets": [asset.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    done = AssetTransfer.objects.get(title="页面登记的划转")
    assert done.value == Decimal("3000000.00")
    asset.refresh_from_db()
    assert asset.enterprise == org("市高投集团")
    clash = client_for("guoziwei").post(
        "/assets/assettransfer/add/",
        {
            "kind": "assets",
            "title": "再划回",
            "from_organization": org("市城发集团").pk,
            "to_organization": org("振宁押运").pk,
            "transferred_on": "2025-10-12",
            "assets": [Asset.objects.get(code="GT-0001").pk],
        },
    )
    assert clash.status_code == 400
    assert "不在" in clash.content.decode()


def test_the_api_lists_transfers_with_what_they_moved() -> None:
    client = client_for("guoziwei")
    body = client.get("/api/asset-transfers", {"kind": "injection"}).json()
    assert body["count"] == 3
    assert sum(Decimal(item["value"]) for item in body["items"]) == Decimal("1.9") * YI
    moved = client.get("/api/asset-transfers", {"organization_id": org("振宁押运").pk}).json()
    assert [item["kind"] for item in moved["items"]] == ["enterprise"]
    assert sorted(moved["items"][0]["organization_ids"]) == sorted([org("振宁押运").pk, org("双鹤驾校").pk])
    assert moved["items"][0]["value"] is None
    gaotou = client_for("gaotou").get("/api/asset-transfers").json()
    assert [item["title"] for item in gaotou["items"]] == ["“咸融通”信息平台注入市高投集团"]
