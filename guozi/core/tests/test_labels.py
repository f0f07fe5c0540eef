"""Security labels (安全标记, 8.1.4.2 g): a record above the reader's clearance does not exist for them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from guozi.core.changes import COMMAND
from guozi.core.choices import ChangeAction, SecurityLabel
from guozi.core.models import Attachment, ChangeRecord
from guozi.core.scope import in_scope
from guozi.core.services.attachments import attachment_add
from guozi.core.services.labels import clearance_set, label_set
from guozi.core.testing import client_for, org, user
from guozi.supervision.models import TargetTask

pytestmark = pytest.mark.usefixtures("demo_world")

PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


@pytest.fixture
def evidence() -> Attachment:
    task = TargetTask.objects.restrict(user("guoziwei"), "view").first()
    assert task is not None
    return attachment_add(actor=user("guoziwei"), origin=COMMAND, obj=task, file_name="纪要.pdf", content=PDF)


def test_a_sensitive_record_does_not_exist_for_a_reader_without_clearance(evidence: Attachment) -> None:
    reader = client_for("guoziwei")
    assert reader.get(f"/core/attachment/{evidence.pk}/").status_code == 200
    label_set(actor=user("secadmin"), origin=COMMAND, instance=evidence, label=SecurityLabel.SENSITIVE)
    assert not Attachment.objects.restrict(user("guoziwei"), "view").filter(pk=evidence.pk).exists()
    assert reader.get(f"/core/attachment/{evidence.pk}/").status_code == 404
    clearance_set(actor=user("secadmin"), origin=COMMAND, user=user("guoziwei"), clearance=SecurityLabel.SENSITIVE)
    assert client_for("guoziwei").get(f"/core/attachment/{evidence.pk}/").content == PDF


def test_labels_and_clearances_are_the_security_administrators_and_recorded(evidence: Attachment) -> None:
    for other in ("sysadmin", "auditor", "guoziwei"):
        with pytest.raises(PermissionDenied):
            label_set(actor=user(other), origin=COMMAND, instance=evidence, label=SecurityLabel.PUBLIC)
        with pytest.raises(PermissionDenied):
            clearance_set(actor=user(other), origin=COMMAND, user=user("chengfa"), clearance=SecurityLabel.SENSITIVE)
    label_set(actor=user("secadmin"), origin=COMMAND, instance=evidence, label=SecurityLabel.PUBLIC)
    record = ChangeRecord.objects.filter(object_id=str(evidence.pk), action=ChangeAction.UPDATE).latest("id")
    assert (record.actor_name, record.before["security_label"], record.after["security_label"]) == ("secadmin", 1, 0)


def test_nobody_writes_a_record_above_their_clearance(evidence: Attachment) -> None:
    evidence.security_label = SecurityLabel.SENSITIVE
    assert not in_scope(user("guoziwei"), evidence, "add")
    evidence.security_label = SecurityLabel.INTERNAL
    assert in_scope(user("guoziwei"), evidence, "add")


def test_an_unlabelled_model_refuses_a_label() -> None:
    with pytest.raises(ValidationError, match="没有安全标记"):
        label_set(actor=user("secadmin"), origin=COMMAND, instance=org("市城发集团"), label=SecurityLabel.PUBLIC)


def test_the_command_speaks_chinese_labels(evidence: Attachment) -> None:
    call_command("label", "set", "core.attachment", str(evidence.pk), "敏感", "--actor", "secadmin")
    assert Attachment.objects.get(pk=evidence.pk).security_label == SecurityLabel.SENSITIVE
    call_command("label", "clearance", "chengfa", "公开", "--actor", "secadmin")
    assert user("chengfa").clearance == SecurityLabel.PUBLIC
    with pytest.raises(CommandError, match="只有安全管理员"):
        call_command("label", "clearance", "chengfa", "敏感", "--actor", "sysadmin")
    with pytest.raises(CommandError, match="unknown label"):
        call_command("label", "clearance", "chengfa", "绝密", "--actor", "secadmin")
