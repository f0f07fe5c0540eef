import pytest
from django.apps import apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from guozi.core.choices import DataScope
from guozi.core.menu import menu
from guozi.core.models import ChangeRecord, Organization, Role, User
from guozi.core.scope import ACTIONS, in_scope, scope_for, scope_is_subtree_of
from guozi.core.security import second_factor_required
from guozi.core.testing import client_for, org, user

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


def test_the_grants_are_read_in_one_query_once_per_user_object() -> None:
    guoziwei = user("guoziwei")
    with CaptureQueriesContext(connection) as first:
        assert scope_for(guoziwei, Organization, "view") == DataScope.ALL
    with CaptureQueriesContext(connection) as later:
        for model in apps.get_models():
            for action in ACTIONS:
                scope_for(guoziwei, model, action)
        assert guoziwei.has_perm("core.view_organization")
        assert not second_factor_required(guoziwei)
    assert (len(first), len(later)) == (1, 0)


def test_has_perm_answers_as_djangos_model_backend() -> None:
    chengfa = user("chengfa")
    plain = Group.objects.create(name="不是角色的组")  # a group that is no role
    plain.permissions.add(Permission.objects.get(codename="view_changerecord"))
    chengfa.groups.add(plain)
    chengfa.user_permissions.add(Permission.objects.get(codename="view_loginrecord"))
    ours = user("chengfa").get_all_permissions()
    assert ours == ModelBackend().get_all_permissions(user("chengfa"))
    assert {"core.view_changerecord", "core.view_loginrecord", "core.view_organization"} <= ours
    assert user("chengfa").has_perm("core.view_loginrecord")
    assert not user("chengfa").has_perm("core.view_auditevent")
    # Only roles open rows: a plain group's or the user's own permission gives no scope.
    assert scope_for(user("chengfa"), ChangeRecord, "view") is None
    for changed in ({"is_active": False}, {"is_superuser": True}):
        account = user("chengfa")
        for name, value in changed.items():
            setattr(account, name, value)
        assert account.get_all_permissions() == ModelBackend().get_all_permissions(account), changed


def test_a_revoked_role_takes_effect_from_the_next_request() -> None:
    client = client_for("chengfa")
    assert client.get("/core/organization/").status_code == 200
    user("chengfa").groups.clear()
    assert client.get("/core/organization/").status_code == 403


def test_the_menu_is_worked_out_once_per_request(rf: RequestFactory) -> None:
    request = rf.get("/assets/asset/")
    request.user = user("guoziwei")
    first = menu(request)["menu_sections"]
    assert first
    assert menu(request)["menu_sections"] is first
    request.user = user("auditor")  # signed in as someone else meanwhile: worked out again
    assert menu(request)["menu_sections"] != first


#: The menu's markup as base.html wrote it with template loops, before core.menu.menu_html.
MENU_TEMPLATE = """{% for section in menu_sections %}
<li class="nav-item mt-2 px-3 text-secondary small fw-bold">{{ section.label }}</li>
{% for item in section.items %}
<li class="nav-item"><a class="nav-link ps-4{% if item.active %} active{% endif %}" href="{{ item.url }}">\
{{ item.label }}</a></li>
{% endfor %}{% endfor %}"""  # the backslash joins the two lines


@pytest.mark.parametrize("username", ["guoziwei", "chengfa", "auditor", "secadmin"])
def test_the_menus_markup_is_the_templates(rf: RequestFactory, username: str) -> None:
    request = rf.get("/assets/asset/")
    request.user = user(username)
    context = menu(request)
    expected = Template(MENU_TEMPLATE).render(Context(context))
    assert [line for line in expected.splitlines() if line.strip()] == context["menu_html"].splitlines()
    assert 'class="nav-link ps-4 active" href="/assets/asset/"' in context["menu_html"] or username != "guoziwei"


def test_the_menus_markup_is_kept_per_language_and_active_entry(rf: RequestFactory) -> None:
    """Written once for each language and page's entry, and then the same markup every time."""

    def markup(path: str, language: str) -> str:
        request = rf.get(path)
        request.user = user("guoziwei")
        with translation.override(language):
            context = menu(request)
            expected = Template(MENU_TEMPLATE).render(Context(context))
        assert [line for line in expected.splitlines() if line.strip()] == context["menu_html"].splitlines()
        return str(context["menu_html"])

    ledger = markup("/assets/asset/", "zh-hans")
    assert markup("/assets/asset/", "zh-hans") == ledger
    funds = markup("/funds/fund/", "zh-hans")
    assert funds != ledger
    assert 'class="nav-link ps-4 active" href="/funds/fund/"' in funds
    english = markup("/assets/asset/", "en")
    assert ">Funds</a>" in english
    assert ">Funds</a>" not in ledger  # translated
    assert 'class="nav-link ps-4 active" href="/assets/asset/"' in english


def test_a_changed_role_changes_the_menu_from_the_next_request(rf: RequestFactory) -> None:
    """The entries are kept per process by the roles' grants, never by the user: a role revoked
    or granted is another key."""
    request = rf.get("/")
    request.user = user("chengfa")
    before = [item["url"] for section in menu(request)["menu_sections"] for item in section["items"]]
    assert "/assets/asset/" in before
    user("chengfa").groups.clear()
    request = rf.get("/")
    request.user = user("chengfa")
    assert menu(request)["menu_sections"] == []
    user("chengfa").groups.add(Role.objects.get(code="sasac_staff"))
    request = rf.get("/")
    request.user = user("chengfa")
    after = [item["url"] for section in menu(request)["menu_sections"] for item in section["items"]]
    assert "/assets/asset/" in after
    assert after != before  # the SASAC staff's entries, not the enterprise staff's kept ones


def test_a_scope_is_a_subtree_only_for_the_users_own_organisation_in_a_subtree_scope() -> None:
    from guozi.assets.models import Asset, Revitalization
    from guozi.supervision.models import TargetTask

    chengfa, gaotou = org("市城发集团"), org("市高投集团")
    assert scope_is_subtree_of(user("chengfa"), Revitalization, "view", chengfa.pk)
    assert scope_is_subtree_of(user("chengfa"), Asset, "view", chengfa.pk)
    assert not scope_is_subtree_of(user("chengfa"), Revitalization, "view", gaotou.pk)
    assert not scope_is_subtree_of(user("guoziwei"), Revitalization, "view", chengfa.pk)  # all: more than it
    # Rows opened by another path too (a partner unit's tasks) are more than the subtree.
    assert scope_for(user("chengfa"), TargetTask, "view") == DataScope.SUBTREE
    assert not scope_is_subtree_of(user("chengfa"), TargetTask, "view", chengfa.pk)
