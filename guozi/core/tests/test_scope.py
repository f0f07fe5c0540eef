import pytest

from guozi.core.choices import DataScope
from guozi.core.models import ChangeRecord, Organization, User
from guozi.core.scope import in_scope, scope_for
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def names(queryset: object) -> set[str]:
    return {o.short_name for o in queryset}  # type: ignore[attr-defined]


def test_enterprise_user_sees_its_subtree_only() -> None:
    visible = names(Organization.objects.restrict(user("chengfa"), "view"))
    assert visible == {"市城发集团", "振宁押运", "双鹤驾校", "城发绿能"}


def test_sasac_sees_every_organisation() -> None:
    assert Organization.objects.restrict(user("guoziwei"), "view").count() == Organization.objects.count()


def test_role_without_permission_sees_nothing() -> None:
    assert not Organization.objects.restrict(user("auditor"), "view").exists()
    assert ChangeRecord.objects.restrict(user("auditor"), "view").exists()
    assert not ChangeRecord.objects.restrict(user("guoziwei"), "view").exists()


def test_read_only_leader_cannot_change() -> None:
    assert scope_for(user("lingdao"), Organization, "view") == DataScope.ALL
    assert scope_for(user("lingdao"), Organization, "change") is None
    assert not Organization.objects.restrict(user("lingdao"), "change").exists()


def test_users_are_scoped_by_their_organisation() -> None:
    visible = set(User.objects.restrict(user("chengfa"), "view").values_list("username", flat=True))
    assert visible == {"chengfa"}


def test_inactive_user_gets_nothing() -> None:
    chengfa = user("chengfa")
    chengfa.is_active = False
    assert not Organization.objects.restrict(chengfa, "view").exists()


def test_in_scope_checks_new_rows_against_their_organisation() -> None:
    chengfa = user("chengfa")
    assert in_scope(chengfa, Organization(parent=org("市城发集团")), "add") is False  # unsaved: no pk yet
    assert in_scope(chengfa, org("振宁押运"), "change")
    assert not in_scope(chengfa, org("市高投集团"), "change")


def test_own_scope_excludes_subsidiaries() -> None:
    chengfa = user("chengfa")
    role = chengfa.roles.get()
    role.scope = DataScope.OWN
    role.save()
    chengfa = user("chengfa")  # fresh object: grants are cached per user object
    assert names(Organization.objects.restrict(chengfa, "view")) == {"市城发集团"}
