import io

import openpyxl
import pytest
from django.test import Client

from guozi.core.models import ChangeRecord, LoginRecord, Organization
from guozi.core.testing import client_for, org

pytestmark = pytest.mark.usefixtures("demo_world")


def test_healthz_answers_ok_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_pages_need_a_login() -> None:
    response = Client().get("/core/organization/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese_by_default() -> None:
    # Even for a browser that asks for English: the switch, not the browser, changes it.
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "国资监管平台" in html
    assert "用户名" in html
    assert "咸宁市人民政府国有资产监督管理委员会" in html


def test_english_can_be_chosen() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert "SOE Supervision Platform" in html


def test_login_log_records_success_and_failure() -> None:
    client = Client(HTTP_USER_AGENT="pytest-agent")
    client.post("/accounts/login/", {"username": "chengfa", "password": "wrong"})
    client.post("/accounts/login/", {"username": "chengfa", "password": "Guozi@2025"})
    failure, success = LoginRecord.objects.filter(username="chengfa").order_by("id")
    assert (failure.success, success.success) == (False, True)
    assert success.ip == "127.0.0.1"
    assert success.user_agent == "pytest-agent"
    assert failure.user is not None


def test_editing_an_organisation_shows_before_and_after_in_history() -> None:
    client = client_for("guoziwei")
    target = org("振宁押运")
    url = f"/core/organization/{target.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(short_name="振宁押运公司", is_active="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    history = client.get(f"/core/organization/{target.pk}/history/").content.decode()
    assert "guoziwei" in history
    assert "振宁押运" in history
    assert "振宁押运公司" in history
    assert "简称" in history  # the field's Chinese label, not its attribute name
    record = ChangeRecord.objects.latest("id")
    assert (record.before["short_name"], record.after["short_name"]) == ("振宁押运", "振宁押运公司")


def test_a_bad_form_shows_errors_by_their_fields_and_writes_nothing() -> None:
    client = client_for("guoziwei")
    target = org("振宁押运")
    count = ChangeRecord.objects.count()
    response = client.post(
        f"/core/organization/{target.pk}/edit/",
        {"name": "", "kind": "bank", "sort_order": "-3", "parent": target.parent_id},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("name", "kind", "sort_order"):
        assert f'data-field="{field}"' in html
    assert "这个字段是必填项" in html or "必填" in html
    assert ChangeRecord.objects.count() == count
    assert Organization.objects.get(pk=target.pk).name == "咸宁市振宁押运有限公司"


def test_a_foreign_parent_is_not_a_choice() -> None:
    client = client_for("chengfa")
    target = org("振宁押运")
    response = client.post(
        f"/core/organization/{target.pk}/edit/",
        {"name": target.name, "kind": target.kind, "sort_order": 0, "parent": org("市高投集团").pk},
    )
    assert response.status_code == 400
    assert 'data-field="parent"' in response.content.decode()
    assert org("振宁押运").parent == org("市城发集团")


def test_export_holds_the_filtered_rows_of_every_page() -> None:
    client = client_for("guoziwei")
    response = client.get("/core/organization/export/", {"kind": "enterprise"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    exported = {row[0] for row in rows[1:]}
    assert exported == set(Organization.objects.filter(kind="enterprise").values_list("name", flat=True))
    assert len(exported) > 10


def test_list_search_and_htmx_fragment() -> None:
    client = client_for("guoziwei")
    full = client.get("/core/organization/", {"q": "振宁"}).content.decode()
    assert "咸宁市振宁押运有限公司" in full
    assert "双鹤" not in full
    fragment = client.get("/core/organization/", {"q": "振宁"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "咸宁市振宁押运有限公司" in fragment
    assert "共 1 条" in fragment


def test_a_list_the_roles_do_not_open_is_refused() -> None:
    assert client_for("guoziwei").get("/core/changerecord/").status_code == 403
    assert client_for("auditor").get("/core/changerecord/").status_code == 200


def test_menu_shows_only_what_the_user_may_open() -> None:
    html = client_for("auditor").get("/").content.decode()
    assert "变更记录" in html
    assert "/core/organization/" not in html


def test_a_service_error_on_a_field_the_form_does_not_show_goes_above_the_form() -> None:
    from django import forms as django_forms
    from django.core.exceptions import ValidationError

    from guozi.core.views.generic import add_service_error

    class OneField(django_forms.Form):
        name = django_forms.CharField()

    form = OneField({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError({"name": "名称有误", "version": "他人已保存"}))
    assert form.errors["name"] == ["名称有误"]
    assert form.non_field_errors() == ["他人已保存"]
