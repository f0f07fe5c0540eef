import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from guozi.core import changes
from guozi.core.changes import COMMAND, Origin
from guozi.core.choices import ChangeAction, ChangeSource, OrganizationKind
from guozi.core.models import ChangeRecord, LoginRecord, Organization, Role
from guozi.core.services.organizations import organization_create, organization_delete, organization_update
from guozi.core.services.users import user_create, user_set_roles
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")
WEB = Origin(ChangeSource.WEB, ip="127.0.0.1")


def test_update_records_before_after_actor_and_source() -> None:
    target = org("振宁押运")
    organization_update(actor=user("guoziwei"), origin=WEB, organization=target, data={"region": "咸安区"})
    record = ChangeRecord.objects.filter(object_id=str(target.pk), action=ChangeAction.UPDATE).latest("id")
    assert record.actor_name == "guoziwei"
    assert record.source == ChangeSource.WEB
    assert record.ip == "127.0.0.1"
    assert record.before["region"] == "咸宁市"
    assert record.after["region"] == "咸安区"
    assert record.organization_id == target.pk
    assert ("region", "咸宁市", "咸安区") in record.changed_fields()


def test_update_without_a_change_records_nothing() -> None:
    target = org("振宁押运")
    before = ChangeRecord.objects.count()
    organization_update(actor=user("guoziwei"), origin=WEB, organization=target, data={"region": target.region})
    assert ChangeRecord.objects.count() == before


def test_enterprise_cannot_move_a_unit_under_a_foreign_parent() -> None:
    with pytest.raises(PermissionDenied):
        organization_update(
            actor=user("chengfa"), origin=WEB, organization=org("振宁押运"), data={"parent": org("市高投集团")}
        )
    assert org("振宁押运").parent == org("市城发集团")


def test_enterprise_cannot_change_a_foreign_unit() -> None:
    with pytest.raises(PermissionDenied):
        organization_update(actor=user("chengfa"), origin=WEB, organization=org("市高投集团"), data={"region": "x"})


def test_enterprise_adds_a_subsidiary_under_itself_only() -> None:
    created = organization_create(
        actor=user("chengfa"),
        origin=WEB,
        data={"name": "城发物业公司", "kind": OrganizationKind.ENTERPRISE, "parent": org("市城发集团")},
    )
    assert created.parent == org("市城发集团")
    with pytest.raises(PermissionDenied):
        organization_create(
            actor=user("chengfa"),
            origin=WEB,
            data={"name": "不应存在", "kind": OrganizationKind.ENTERPRISE, "parent": None},
        )
    assert not Organization.objects.filter(name="不应存在").exists()


def test_an_organisation_cannot_sit_below_its_own_subsidiary() -> None:
    with pytest.raises(ValidationError):
        organization_update(
            actor=user("guoziwei"), origin=WEB, organization=org("市城发集团"), data={"parent": org("振宁押运")}
        )


def test_invalid_values_write_nothing() -> None:
    count = ChangeRecord.objects.count()
    with pytest.raises(ValidationError):
        organization_update(actor=user("guoziwei"), origin=WEB, organization=org("振宁押运"), data={"kind": "bank"})
    assert org("振宁押运").kind == OrganizationKind.ENTERPRISE
    assert ChangeRecord.objects.count() == count


def test_delete_refuses_units_with_subsidiaries_and_logs_deletions() -> None:
    with pytest.raises(ValidationError):
        organization_delete(actor=user("sysadmin"), origin=WEB, organization=org("市城发集团"))
    leaf = org("双鹤驾校")
    pk = leaf.pk
    organization_delete(actor=user("sysadmin"), origin=WEB, organization=leaf)
    assert not Organization.objects.filter(pk=pk).exists()
    record = ChangeRecord.objects.latest("id")
    assert (record.action, record.object_id, record.before["name"]) == ("delete", str(pk), "咸宁市双鹤驾驶员培训学校")


def test_failure_to_record_rolls_the_change_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise DatabaseError("change log unavailable")

    monkeypatch.setattr(changes, "record_change", broken)
    with pytest.raises(DatabaseError):
        organization_update(actor=user("guoziwei"), origin=WEB, organization=org("振宁押运"), data={"region": "x"})
    assert org("振宁押运").region == "咸宁市"


def test_separated_duties_cannot_be_combined() -> None:
    roles = [Role.objects.get(code="sysadmin"), Role.objects.get(code="auditor")]
    with pytest.raises(ValidationError):
        user_set_roles(actor=user("sysadmin"), origin=COMMAND, user=user("guoziwei"), roles=roles)
    with pytest.raises(ValidationError):
        user_create(
            actor=user("sysadmin"), origin=COMMAND, data={"username": "twohats"}, password="Xq7!pLm2#z", roles=roles
        )


def test_only_the_first_account_may_be_created_without_an_actor() -> None:
    with pytest.raises(PermissionDenied):
        user_create(actor=None, origin=COMMAND, data={"username": "intruder"}, password="Xq7!pLm2#z")


def test_usernames_are_unique_regardless_of_case() -> None:
    with pytest.raises(ValidationError):
        user_create(actor=user("sysadmin"), origin=COMMAND, data={"username": "ChengFa"}, password="Xq7!pLm2#z")


def test_passwords_are_never_logged() -> None:
    created = user_create(actor=user("sysadmin"), origin=COMMAND, data={"username": "newclerk"}, password="Xq7!pLm2#z")
    record = ChangeRecord.objects.get(object_id=str(created.pk), action=ChangeAction.CREATE, content_type__model="user")
    assert "password" not in record.after
    assert record.after["roles"] == []


@pytest.mark.parametrize("model", [ChangeRecord, LoginRecord])
def test_logs_are_append_only_in_the_database(model: type[ChangeRecord] | type[LoginRecord]) -> None:
    if model is LoginRecord:
        LoginRecord.objects.create(username="x", event="login", success=False)
    row = model.objects.first()
    assert row is not None
    table = model._meta.db_table
    attempts = [
        lambda: model.objects.filter(pk=row.pk).update(ip="10.0.0.1"),
        lambda: model.objects.filter(pk=row.pk).delete(),
        lambda: connection.cursor().execute(f"UPDATE {table} SET ip = '10.0.0.1' WHERE id = %s", [row.pk]),  # noqa: S608
        lambda: connection.cursor().execute(f"DELETE FROM {table} WHERE id = %s", [row.pk]),  # noqa: S608
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert model.objects.filter(pk=row.pk, ip=row.ip).exists()


def test_deleting_a_unit_that_others_still_refer_to_is_refused() -> None:
    from guozi.funds.models import Fund

    # A leaf unit (no subsidiaries, no users) that sponsors a fund.
    leaf = org("高投基金公司")
    Fund.objects.filter(short_name="东湖高新科创基金").update(sponsor=leaf)
    with pytest.raises(ValidationError, match="仍有其他记录引用"):
        organization_delete(actor=user("sysadmin"), origin=WEB, organization=leaf)
    assert Organization.objects.filter(pk=leaf.pk).exists()
