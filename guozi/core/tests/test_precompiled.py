"""The compiled reads give what the ORM's queries give: the same user, organisation and session."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guozi.core import precompiled
from guozi.core.models import User
from guozi.core.sessions import SessionStore
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def fields_of(instance: Any) -> dict[str, tuple[type, Any]]:
    """Every stored field's value and its type: a date read as text on SQLite would differ."""
    return {f.attname: (type(v), v) for f in instance._meta.concrete_fields for v in [getattr(instance, f.attname)]}


@pytest.mark.parametrize("username", ["guoziwei", "chengfa", "sysadmin"])
def test_the_user_and_their_organisation_are_the_orms_to_the_field(username: str) -> None:
    account = user(username)
    account.last_login = timezone.now()  # a date set, beside the unset ones of the demo accounts
    account.save(update_fields=["last_login"])
    expected = User._default_manager.select_related("organization").get(pk=account.pk)
    with CaptureQueriesContext(connection) as queries:
        found = precompiled.user_with_organization(str(account.pk))  # the session holds the id as text
        assert found is not None
        assert fields_of(found) == fields_of(expected)
        assert fields_of(found.organization) == fields_of(expected.organization)
    assert len(queries) == 1  # the organisation came with the user
    assert found._state.db == expected._state.db
    assert not found._state.adding


def test_a_user_without_an_organisation_has_none() -> None:
    account = User.objects.create(username="no_org", full_name="无单位")
    found = precompiled.user_with_organization(account.pk)
    assert found is not None
    assert found.organization_id is None
    assert found.organization is None
    assert fields_of(found) == fields_of(User.objects.get(pk=account.pk))


@pytest.mark.parametrize("user_id", [-1, "999999", "abc", ""])
def test_no_user_for_an_unknown_or_malformed_id(user_id: Any) -> None:
    assert precompiled.user_with_organization(user_id) is None


def test_the_sign_in_reads_the_user_through_the_compiled_query() -> None:
    client = client_for("chengfa")
    page = client.get("/")
    assert page.status_code == 200
    assert page.context["user"].organization == org("市城发集团")


def test_a_session_loads_until_it_expires() -> None:
    store = SessionStore()
    store["answer"] = "四十二"
    store.save()
    key = store.session_key
    assert precompiled.session_data(key) == Session.objects.get(session_key=key).session_data
    assert SessionStore(key).load() == {"answer": "四十二"}

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert precompiled.session_data(key) is None
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # like Django's store: a new session, not the expired one's key


def test_no_session_for_an_unknown_or_missing_key() -> None:
    assert precompiled.session_data("nosuchsessionkey0123456789abcdef") is None
    assert precompiled.session_data(None) is None
    assert SessionStore("nosuchsessionkey0123456789abcdef").load() == {}


def test_a_stand_in_must_fill_exactly_the_places_it_is_said_to() -> None:
    """A value of the query's own equal to a stand-in would be replaced with the stand-in's:
    compiling refuses a query whose stand-ins are not exactly where the caller says."""
    queryset = User.objects.filter(pk=-7).values_list("username")
    read = precompiled.compiled(queryset, "default", [-7])
    assert [len(slots) for slots in read.slots] == [1]
    with pytest.raises(RuntimeError, match="2 of the query's parameters"):
        precompiled.compiled(queryset, "default", [-7], uses=2)
    twice = queryset.order_by().union(queryset.order_by(), all=True)
    read = precompiled.compiled(twice, "default", [-7], uses=2)
    assert [len(slots) for slots in read.slots] == [2]
    # Both halves of the union read the user: both places were filled.
    assert read.rows("default", user("guoziwei").pk) == [("guoziwei",), ("guoziwei",)]
