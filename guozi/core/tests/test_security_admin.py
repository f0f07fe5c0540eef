"""The security administrator's interface (安全管理, GB/T 22239-2019 8.1.5.3).

Pages for what the ``unlock``, ``otp_reset`` and ``label`` commands do, through the same
services; tests through HTTP that then check the database (and the change or login log).
"""

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from guozi.core.changes import COMMAND
from guozi.core.choices import ChangeAction, DataScope, SecurityLabel, SeparatedRole
from guozi.core.models import Attachment, ChangeRecord, LoginRecord, Role, User
from guozi.core.security import is_locked
from guozi.core.services.attachments import attachment_add
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")

ACCOUNTS = "/core/security/accounts/"
LABELS = "/core/security/labels/core_attachment/"
PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


def lock(username: str) -> None:
    for _ in range(settings.LOCKOUT_FAILURES):
        Client().post("/accounts/login/", {"username": username, "password": "wrong"})
    assert is_locked(username)


@pytest.fixture
def evidence() -> Attachment:
    """An evidence file of 市城发集团's tree (on the unit's own record, attached by chengfa)."""
    unit = org("市城发集团")
    found = attachment_add(actor=user("chengfa"), origin=COMMAND, obj=unit, file_name="城发纪要.pdf", content=PDF)
    assert found.organization == unit
    return found


@pytest.fixture
def gaotou_secadmin() -> str:
    """A security administrator of 市高投集团's tree only: another organisation's (same duty, narrower scope)."""
    role = Role.objects.create(
        name="高投安全管理员",
        code="secadmin_gaotou",
        scope=DataScope.SUBTREE,
        separated_duty=SeparatedRole.SECADMIN,
    )
    role.permissions.set(
        Permission.objects.filter(content_type__app_label="core", codename__in=["view_user", "view_attachment"])
    )
    account = User.objects.create(username="gtsec", organization=org("市高投集团"))
    account.groups.add(role)
    return account.username


def state(evidence: Attachment | None = None) -> tuple[Any, ...]:
    """What the actions change: lockout, devices, clearances, the label, and the logs."""
    return (
        is_locked("chengfa"),
        sorted(TOTPDevice.objects.values_list("user_id", flat=True)),
        sorted(User.objects.values_list("username", "clearance")),
        Attachment.objects.get(pk=evidence.pk).security_label if evidence else None,
        ChangeRecord.objects.count(),
        LoginRecord.objects.filter(event="unlock").count(),
    )


def test_the_accounts_page_shows_lockout_second_factor_and_clearance() -> None:
    lock("chengfa")
    client_for("auditor")  # binds the auditor's device
    page = client_for("secadmin").get(ACCOUNTS)
    assert page.status_code == 200
    rows = {row["account"].username: row for row in page.context["rows"]}
    assert set(rows) == set(User.objects.values_list("username", flat=True))
    assert rows["chengfa"]["locked"]
    assert not rows["gaotou"]["locked"]
    assert rows["auditor"]["second_factor"]
    assert not rows["chengfa"]["second_factor"]
    text = page.content.decode()
    assert f'action="{ACCOUNTS}{user("chengfa").pk}/unlock/"' in text
    assert f'action="{ACCOUNTS}{user("gaotou").pk}/unlock/"' not in text  # nothing to unlock
    assert "已锁定" in text or "Locked" in text


def test_unlocking_through_the_page_is_in_the_login_log() -> None:
    lock("chengfa")
    response = client_for("secadmin").post(f"{ACCOUNTS}{user('chengfa').pk}/unlock/")
    assert response.status_code == 302
    assert response["Location"] == ACCOUNTS
    assert not is_locked("chengfa")
    record = LoginRecord.objects.filter(event="unlock").latest("id")
    assert (record.username, record.user_agent) == ("chengfa", "by secadmin")


def test_resetting_a_second_factor_through_the_page_is_in_the_change_log() -> None:
    client_for("auditor")
    auditor = user("auditor")
    assert TOTPDevice.objects.filter(user=auditor).exists()
    response = client_for("secadmin").post(f"{ACCOUNTS}{auditor.pk}/second-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    record = ChangeRecord.objects.filter(object_id=str(auditor.pk)).latest("id")
    assert (record.actor_name, record.source, record.after) == ("secadmin", "web", {"second_factor": "（未绑定）"})


def test_setting_a_clearance_through_the_page_is_in_the_change_log() -> None:
    chengfa = user("chengfa")
    response = client_for("secadmin").post(f"{ACCOUNTS}{chengfa.pk}/clearance/", {"label": SecurityLabel.SENSITIVE})
    assert response.status_code == 302
    assert user("chengfa").clearance == SecurityLabel.SENSITIVE
    record = ChangeRecord.objects.filter(object_id=str(chengfa.pk), action=ChangeAction.UPDATE).latest("id")
    assert (record.actor_name, record.before["clearance"], record.after["clearance"]) == ("secadmin", 1, 2)


def test_a_bad_clearance_or_ones_own_is_refused_and_changes_nothing() -> None:
    client = client_for("secadmin")
    before = state()
    client.post(f"{ACCOUNTS}{user('chengfa').pk}/clearance/", {"label": "9"})
    response = client.post(
        f"{ACCOUNTS}{user('secadmin').pk}/clearance/", {"label": SecurityLabel.SENSITIVE}, follow=True
    )
    assert (
        "另一位安全管理员" in response.content.decode() or "another security administrator" in response.content.decode()
    )
    assert state() == before


def test_labelling_a_document_through_the_page_is_in_the_change_log(evidence: Attachment) -> None:
    client = client_for("secadmin")
    page = client.get(LABELS)
    assert page.status_code == 200
    assert "城发纪要.pdf" in page.content.decode()
    response = client.post(f"{LABELS}{evidence.pk}/", {"label": SecurityLabel.PUBLIC})
    assert response.status_code == 302
    assert response["Location"] == LABELS
    assert Attachment.objects.get(pk=evidence.pk).security_label == SecurityLabel.PUBLIC
    record = ChangeRecord.objects.filter(object_id=str(evidence.pk), action=ChangeAction.UPDATE).latest("id")
    assert (record.actor_name, record.before["security_label"], record.after["security_label"]) == ("secadmin", 1, 0)
    # Labelled above the administrator's own clearance, the document leaves their page too.
    client.post(f"{LABELS}{evidence.pk}/", {"label": SecurityLabel.SENSITIVE})
    assert evidence.pk not in {document.pk for document, _ in client.get(LABELS).context["documents"]}
    assert client.post(f"{LABELS}{evidence.pk}/", {"label": SecurityLabel.PUBLIC}).status_code == 404


def test_another_organisations_security_administrator_gets_404(evidence: Attachment, gaotou_secadmin: str) -> None:
    lock("chengfa")
    client = client_for(gaotou_secadmin)
    listed = {row["account"].username for row in client.get(ACCOUNTS).context["rows"]}
    assert "gaotou" in listed
    assert "chengfa" not in listed
    assert "城发纪要.pdf" not in client.get(LABELS).content.decode()
    before = state(evidence)
    chengfa = user("chengfa").pk
    for path, data in [
        (f"{ACCOUNTS}{chengfa}/unlock/", {}),
        (f"{ACCOUNTS}{chengfa}/second-factor/reset/", {}),
        (f"{ACCOUNTS}{chengfa}/clearance/", {"label": SecurityLabel.SENSITIVE}),
        (f"{LABELS}{evidence.pk}/", {"label": SecurityLabel.PUBLIC}),
    ]:
        assert client.post(path, data).status_code == 404, path
    assert state(evidence) == before
    # Inside their own tree they act like any security administrator.
    response = client.post(f"{ACCOUNTS}{user('gaotou').pk}/clearance/", {"label": SecurityLabel.PUBLIC})
    assert response.status_code == 302
    assert user("gaotou").clearance == SecurityLabel.PUBLIC


@pytest.mark.parametrize("username", ["sysadmin", "auditor", "guoziwei", "chengfa", "lingdao"])
def test_nobody_else_reaches_the_pages_or_changes_anything(username: str, evidence: Attachment) -> None:
    lock("chengfa")
    client_for("auditor")
    client = client_for(username)
    assert client.get(ACCOUNTS).status_code == 403
    assert client.get(LABELS).status_code in {403}
    before = state(evidence)
    for path, data in [
        (f"{ACCOUNTS}{user('chengfa').pk}/unlock/", {}),
        (f"{ACCOUNTS}{user('auditor').pk}/second-factor/reset/", {}),
        (f"{ACCOUNTS}{user('chengfa').pk}/clearance/", {"label": SecurityLabel.SENSITIVE}),
        (f"{LABELS}{evidence.pk}/", {"label": SecurityLabel.PUBLIC}),
    ]:
        assert client.post(path, data).status_code == 404, path
    assert state(evidence) == before
    assert "/core/security/" not in client.get("/").content.decode()  # no menu entry either


def test_actions_are_csrf_checked_posts(evidence: Attachment) -> None:
    lock("chengfa")
    client = client_for("secadmin")
    assert "/core/security/accounts/" in client.get("/").content.decode()  # the menu entry
    before = state(evidence)
    chengfa = user("chengfa").pk
    actions = [f"{ACCOUNTS}{chengfa}/unlock/", f"{ACCOUNTS}{chengfa}/clearance/", f"{LABELS}{evidence.pk}/"]
    for path in actions:
        assert client.get(path).status_code == 405, path
    client.handler.enforce_csrf_checks = True  # as a browser's request from another site would be checked
    for path in actions:
        assert client.post(path, {"label": SecurityLabel.PUBLIC}).status_code == 403, path
    assert state(evidence) == before


def test_a_published_report_keeps_its_label() -> None:
    from guozi.reports.models import GeneratedReport
    from guozi.reports.services import report_publish
    from guozi.reports.tests.test_services import kept

    report = kept()
    report = report_publish(
        actor=user("guoziwei"), origin=COMMAND, generatedreport=report, published_on=date(2025, 10, 27)
    )
    client = client_for("secadmin")
    page = client.get("/core/security/labels/reports_generatedreport/").content.decode()
    assert f"/core/security/labels/reports_generatedreport/{report.pk}/" not in page  # no form for it
    records = ChangeRecord.objects.count()
    response = client.post(
        f"/core/security/labels/reports_generatedreport/{report.pk}/", {"label": SecurityLabel.PUBLIC}, follow=True
    )
    assert response.status_code == 200
    assert "frozen" in response.content.decode() or "冻结" in response.content.decode()
    assert GeneratedReport.objects.get(pk=report.pk).security_label == SecurityLabel.INTERNAL
    assert ChangeRecord.objects.count() == records
