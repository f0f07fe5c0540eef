import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guozi.assets.choices import ImportStatus
from guozi.assets.models import Asset, AssetCategory, LedgerUpload
from guozi.assets.services import progress, uploads
from guozi.assets.tests.ledgerfiles import csv_file, row
from guozi.core.models import ChangeRecord, Organization
from guozi.core.testing import client_for, org

pytestmark = pytest.mark.usefixtures("demo_world")


def html(username: str, path: str, params: dict[str, object] | None = None, status: int = 200) -> str:
    response = client_for(username).get(path, params or {})
    assert response.status_code == status, path
    return response.content.decode()


def totals(page: str) -> str:
    found = re.search(r'data-testid="asset-totals">\s*(.*?)\s*<a', page, re.S)
    assert found is not None
    return found[1]


def test_the_list_totals_every_filtered_row_in_yi_yuan() -> None:
    assert totals(html("guoziwei", "/assets/asset/")) == "共 203 项资产，账面价值 402.88亿元"
    gaotou = org("市高投集团").pk
    page = html("guoziwei", "/assets/asset/", {"enterprise": gaotou, "package": "lease"})
    assert totals(page) == "共 25 项资产，账面价值 16.6亿元"
    assert (
        totals(html("guoziwei", "/assets/asset/", {"utilisation": "inefficient"})) == "共 76 项资产，账面价值 14.1亿元"
    )


@pytest.mark.parametrize("username", ["guoziwei", "chengfa", "gaotou", "own_scope"])
def test_the_totals_from_summaries_and_rollups_are_the_ledgers(username: str) -> None:
    """Each reader's totals line, under every mix of the filters the summary answers, against the
    scoped ledger added up afresh: whether it came from a subtree's rollup or the summary rows."""
    from django.db.models import Count, Sum

    from guozi.assets.selectors import enterprise_assets
    from guozi.assets.tests.test_summaries import own_scope_reader
    from guozi.core.templatetags.guozi import yi
    from guozi.core.testing import user

    if username == "own_scope":
        own_scope_reader()  # 城发集团's own rows only: its subsidiaries' are hidden, so no rollup
    ledger = Asset.objects.restrict(user(username))
    visible = Organization.objects.restrict(user(username))
    physical = AssetCategory.objects.get(name="实物资产")
    filters: list[dict[str, object]] = [{}, {"package": "lease"}, {"utilisation": "idle"}, {"category": physical.pk}]
    for short in ("市城发集团", "振宁押运", "市高投集团"):
        filters += [{"enterprise": org(short).pk}, {"enterprise": org(short).pk, "package": "none"}]
    for params in filters:
        rows = ledger
        if "enterprise" in params:
            rows = enterprise_assets(rows, Organization.objects.get(pk=params["enterprise"]))
        if "category" in params:
            rows = rows.filter(category__in=AssetCategory.objects.descendants(physical, include_self=True))
        if "package" in params:
            rows = rows.filter(package="" if params["package"] == "none" else params["package"])
        if "utilisation" in params:
            rows = rows.filter(utilisation=params["utilisation"])
        if "enterprise" in params and not visible.filter(pk=params["enterprise"]).exists():
            continue  # an enterprise outside the reader's scope: not a choice of theirs
        found = rows.aggregate(n=Count("pk"), value=Sum("book_value"))
        response = client_for(username).get("/assets/asset/", params)
        assert totals(response.content.decode()) == f"共 {found['n']} 项资产，账面价值 {yi(found['value'] or 0)}", (
            username,
            params,
        )


def test_filters_take_in_subsidiaries_and_sub_classes_and_value_ranges() -> None:
    physical = AssetCategory.objects.get(name="实物资产").pk
    assert totals(html("guoziwei", "/assets/asset/", {"category": physical})).startswith("共 103 项资产")
    own_only = html("guoziwei", "/assets/asset/", {"enterprise": org("振宁押运").pk})
    assert totals(own_only).startswith(f"共 {Asset.objects.filter(enterprise=org('振宁押运')).count()} 项")
    page = html("guoziwei", "/assets/asset/", {"min_value": "50000", "max_value": "100000"})
    expected = Asset.objects.filter(book_value__gte=500_000_000, book_value__lte=1_000_000_000).count()
    assert expected > 0
    assert totals(page).startswith(f"共 {expected} 项")
    assert totals(html("guoziwei", "/assets/asset/", {"package": "none"})).startswith("共 90 项")
    assert totals(html("guoziwei", "/assets/asset/", {"certificate": "in_progress"})).startswith("共 6 项")


def test_an_enterprise_sees_and_exports_its_own_ledger_only() -> None:
    page = html("chengfa", "/assets/asset/", {"per_page": 500})
    assert totals(page) == "共 143 项资产，账面价值 306.7亿元"
    assert "GT-0001" not in page
    response = client_for("chengfa").get("/assets/asset/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("资产编号", "资产名称", "所属企业")
    assert len(rows) == 144
    assert not [r for r in rows[1:] if str(r[0]).startswith("GT-")]
    foreign = Asset.objects.get(code="GT-0001")
    for path in (f"/assets/asset/{foreign.pk}/", f"/assets/asset/{foreign.pk}/history/"):
        assert client_for("chengfa").get(path).status_code == 404
    assert client_for("chengfa").get("/assets/census/", {"enterprise": org("市高投集团").pk}).status_code == 404


def test_detail_shows_values_in_wan_and_the_import_it_came_from_and_its_history() -> None:
    asset = Asset.objects.get(code="CF-0001")
    page = html("chengfa", f"/assets/asset/{asset.pk}/")
    assert f"{asset.book_value / 10000:.2f}".rstrip("0").rstrip(".") + "万元" in page
    assert "市城发集团资产台账.xlsx" in page
    history = html("chengfa", f"/assets/asset/{asset.pk}/history/")
    assert "导入" in history
    assert asset.name in history


def test_editing_a_row_through_the_form_is_recorded() -> None:
    asset = Asset.objects.get(code="CF-0020")
    client = client_for("chengfa")
    form = client.get(f"/assets/asset/{asset.pk}/edit/").content.decode()
    assert 'name="enterprise"' not in form  # a move between enterprises is a transfer
    values = {
        "name": asset.name,
        "category": asset.category_id,
        "location": asset.location,
        "quantity": 1,
        "book_value": "1234.5",
        "certificate": "done",
        "utilisation": "idle",
        "package": "sale",
        "version": asset.version,
    }
    response = client.post(f"/assets/asset/{asset.pk}/edit/", values)
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (str(asset.book_value), asset.package) == ("12345000.00", "sale")
    record = ChangeRecord.objects.filter(content_type__model="asset", object_id=str(asset.pk)).latest("pk")
    assert (record.source, record.after["utilisation"]) == ("web", "idle")


def test_the_census_page_shows_the_report_figures() -> None:
    page = html("guoziwei", "/assets/census/", {"enterprise": org("市城发集团").pk})
    for text in (
        "已清理资产 143 项，共计 306.7亿元",
        "76项，14.1亿元",
        "需办证18项，已完成13项",
        "9.9亿元",
        "/static/core/vendor/echarts.min.js",
    ):
        assert text in page, text
    own = html("gaotou", "/assets/census/")  # by default the user's own enterprise
    assert "37项，25.42亿元" in own
    assert "市城发集团" not in own
    html("gaotou", "/assets/census/", {"enterprise": "abc"}, status=404)


def test_readers_without_the_ledger_get_403_and_no_menu() -> None:
    assert client_for("auditor").get("/assets/asset/").status_code == 403
    assert client_for("auditor").get("/assets/census/").status_code == 403
    assert "/assets/" not in html("auditor", "/")
    assert "/assets/import/" not in html("guoziwei", "/")
    assert "/assets/import/" in html("chengfa", "/")


# --- the import pages ------------------------------------------------------------------------------


def upload(client: object, content: bytes, name: str = "台账.csv") -> object:
    return client.post("/assets/import/", {"file": SimpleUploadedFile(name, content)})  # type: ignore[attr-defined]


def test_the_template_downloads_in_the_issues_layout() -> None:
    response = client_for("chengfa").get("/assets/import/", {"download": "template"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(max_row=3, values_only=True))
    assert rows[0][0] == "资产台账"
    assert rows[1][0] == "填报单位：咸宁市城市发展（集团）有限责任公司"
    assert rows[1][13] == "单位：万元"
    assert rows[2] == (
        "资产编号",
        "所属企业",
        "资产名称",
        "资产类别",
        "坐落位置",
        "面积(㎡)",
        "数量",
        "账面原值(万元)",
        "账面价值(万元)",
        "取得日期",
        "权证状态",
        "使用状态",
        "资产包",
        "备注",
    )


def test_upload_dry_run_then_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    # Run the import inline, when the response closes: a thread's own connection would not
    # see the test's transaction.
    monkeypatch.setattr(uploads, "IN_BACKGROUND", False)
    client = client_for("chengfa")
    existing = Asset.objects.get(code="CF-0001")
    content = csv_file([row("V-1"), row("V-2", enterprise="城发绿能")])
    response = upload(client, content)
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "已检查 2 行，全部有效。导入将新增 2 项，更新 0 项，0 项无变化。尚未写入任何数据。" in page
    assert not Asset.objects.filter(code__startswith="V-").exists()
    pending = LedgerUpload.objects.get()
    response = client.post(f"/assets/import/{pending.pk}/")
    assert response.status_code == 302
    assert Asset.objects.filter(code__startswith="V-").count() == 2
    assert client.post(f"/assets/import/{pending.pk}/").status_code == 400  # imported once only
    fragment = client.get(f"/assets/import/{pending.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # the poll stops
    assert 'aria-valuenow="100"' in fragment
    assert "已处理 2 / 2 行" in fragment
    assert "已导入 2 行：新增 2 项，更新 0 项，0 项无变化。" in fragment
    page = client.get(response["Location"]).content.decode()
    assert "已导入 2 行：新增 2 项，更新 0 项，0 项无变化。" in page
    assert Asset.objects.get(code="CF-0001") == existing


def test_a_running_import_is_polled_with_its_progress() -> None:
    client = client_for("chengfa")
    upload(client, csv_file([row(f"R-{n}") for n in range(4)]))
    pending = LedgerUpload.objects.get()
    LedgerUpload.objects.filter(pk=pending.pk).update(status=ImportStatus.RUNNING)
    progress.report(pending.pk, 1)
    try:
        for path in (f"/assets/import/{pending.pk}/", f"/assets/import/{pending.pk}/progress/"):
            page = client.get(path).content.decode()
            assert f'hx-get="/assets/import/{pending.pk}/progress/"' in page
            assert 'hx-trigger="every 500ms"' in page
            assert 'aria-valuenow="25"' in page
            assert "已处理 1 / 4 行" in page
    finally:
        progress.forget(pending.pk)


def test_a_bad_file_shows_every_error_and_offers_them_as_a_workbook() -> None:
    client = client_for("chengfa")
    content = csv_file([row("E-1", book_value="-2"), row("E-2"), row("E-3", enterprise="市高投集团")])
    response = upload(client, content)
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "文件未通过检查：共 2 处错误。未写入任何数据。" in page
    assert "不能为负数" in page
    assert "您的权限范围内没有这个名称" in page
    refused = LedgerUpload.objects.get()
    workbook = client.get(f"/assets/import/{refused.pk}/errors/")
    rows = list(openpyxl.load_workbook(io.BytesIO(workbook.getvalue())).active.iter_rows(values_only=True))
    assert rows == [
        ("行号", "列", "填写内容", "原因"),
        # Exports neutralise a leading "-" (formula injection, OWASP ASVS 5.0 §1.2.10).
        (4, "账面价值(万元)", "'-2", "不能为负数。"),
        (6, "所属企业", "市高投集团", "您的权限范围内没有这个名称（或简称）的企业。"),
    ]
    assert client.post(f"/assets/import/{refused.pk}/").status_code == 400
    assert not Asset.objects.filter(code__startswith="E-").exists()


def test_import_pages_are_for_importers_and_an_upload_for_its_uploader() -> None:
    assert client_for("guoziwei").get("/assets/import/").status_code == 404
    assert upload(client_for("guoziwei"), csv_file([row("P-1")])).status_code == 404  # type: ignore[attr-defined]
    upload(client_for("chengfa"), csv_file([row("P-1")]))
    pending = LedgerUpload.objects.get()
    gaotou = client_for("gaotou")
    for path in (f"/assets/import/{pending.pk}/", f"/assets/import/{pending.pk}/errors/"):
        assert gaotou.get(path).status_code == 404
    assert gaotou.post(f"/assets/import/{pending.pk}/").status_code == 404
    assert not Asset.objects.filter(code="P-1").exists()


def test_chengfa_cannot_import_into_gaotous_ledger_through_the_page() -> None:
    before = Asset.objects.filter(enterprise__in=[org("市高投集团"), org("高投基金公司")]).count()
    client = client_for("chengfa")
    for enterprise in ("市高投集团", "高投基金公司"):
        assert upload(client, csv_file([row("GT-0001", enterprise=enterprise)])).status_code == 400  # type: ignore[attr-defined]
    assert Asset.objects.filter(enterprise__in=[org("市高投集团"), org("高投基金公司")]).count() == before


def test_a_form_without_a_file_is_refused() -> None:
    response = client_for("chengfa").post("/assets/import/", {})
    assert response.status_code == 400


def test_the_census_page_shows_certificates_needed_and_done() -> None:
    # Section 二(二): "市城发集团需办证资产18项，已完成13项" and "市高投集团需办证资产10项，已完成6项".
    for username, expected in (("chengfa", "需办证18项，已完成13项"), ("gaotou", "需办证10项，已完成6项")):
        page = html(username, "/assets/census/")
        found = re.search(r'data-testid="certificates">\s*(.*?)\s*<', page, re.S)
        assert found is not None
        assert found[1] == expected


def test_the_tree_choices_list_what_the_tree_query_lists_in_its_order() -> None:
    """The financial comparison's picker is built from one flat query; it must list what the
    recursive tree query lists, in the same order and indentation, for every reader."""
    from django.test import RequestFactory

    from guozi.assets.filtersets import visible_enterprises
    from guozi.assets.views.pickers import tree_choices
    from guozi.core.testing import user

    for username in ("guoziwei", "chengfa", "gaotou"):
        request = RequestFactory().get("/")
        request.user = user(username)
        enterprises = list(visible_enterprises(request).with_tree_fields())
        top = min(e.tree_depth for e in enterprises)
        tree = [(e.pk, "　" * (e.tree_depth - top) + (e.short_name or e.name)) for e in enterprises]
        assert tree_choices(visible_enterprises(request)) == tree, username
        assert len(tree) > 1


@pytest.mark.parametrize("path", ["/assets/census/", "/assets/revitalization-overview/"])
def test_a_dashboards_picker_holds_the_chosen_enterprise_alone(path: str) -> None:
    """Not every enterprise the reader may see (a province has 10,000): the chosen one, and the
    matches come from the scoped lookup as the reader types."""
    zhenning = org("振宁押运")

    def picker(username: str, params: dict[str, object]) -> str:
        page = html(username, path, params)
        return page[page.index("data-lookup=") : page.index("</select>", page.index("data-lookup="))]

    chosen = picker("guoziwei", {"enterprise": zhenning.pk})
    assert re.findall(r'<option value="(\d*)"( selected)?>', chosen) == [("", ""), (str(zhenning.pk), " selected")]
    assert 'data-lookup="/core/organization/lookup/?kind=enterprise"' in chosen
    # The group's user sees their own group chosen by default.
    assert re.findall(r'<option value="(\d+)" selected>', picker("chengfa", {})) == [str(org("市城发集团").pk)]
    # Typed without JavaScript: the matches within the reader's scope come back as options.
    found = picker("chengfa", {"enterprise_q": "集团"})
    assert f'<option value="{org("市城发集团").pk}"' in found
    assert f'<option value="{org("市高投集团").pk}"' not in found
    assert client_for("chengfa").get(path, {"enterprise": org("市高投集团").pk}).status_code == 404
    for bad in ("abc", "9" * 30, "-1"):
        assert client_for("chengfa").get(path, {"enterprise": bad}).status_code == 404, bad
