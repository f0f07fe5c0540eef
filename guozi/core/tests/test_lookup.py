"""The search-as-you-type organisation picker: its scoped JSON matches and the filter form it renders."""

import re

import pytest

from guozi.core.choices import OrganizationKind
from guozi.core.forms import LOOKUP_LIMIT
from guozi.core.models import Organization
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")

LOOKUP = "/core/organization/lookup/"


def matches(username: str, **params: str) -> list[str]:
    response = client_for(username).get(LOOKUP, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["label"] for row in response.json()["results"]]


def visible(username: str) -> set[str]:
    return set(Organization.objects.restrict(user(username), "view").values_list("name", flat=True))


def test_the_lookup_matches_name_and_short_name_within_the_users_scope() -> None:
    gaotou = org("市高投集团")
    assert gaotou.name in matches("guoziwei", q="市高投")  # by short name
    assert matches("guoziwei", q=gaotou.name[:6]) == [
        o.name for o in Organization.objects.filter(name__contains=gaotou.name[:6]).order_by("sort_order", "name")
    ]
    # 城发's staff: another tree's enterprises do not exist, whatever the text.
    assert matches("chengfa", q="高投") == []
    assert matches("chengfa", q=gaotou.name) == []
    assert set(matches("chengfa")) <= visible("chengfa")
    assert set(matches("chengfa", q="集团")) <= visible("chengfa")


def test_the_lookup_is_bounded_and_narrowed_by_the_lists_filters() -> None:
    assert len(matches("guoziwei")) == min(LOOKUP_LIMIT, len(visible("guoziwei")))
    enterprises = set(Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).values_list("name", flat=True))
    found = matches("guoziwei", q="市", kind=OrganizationKind.ENTERPRISE)
    assert found
    assert set(found) <= enterprises
    assert matches("guoziwei", kind="no-such-kind") == []


def enterprise_select(page: str) -> list[tuple[str, str]]:
    found = re.search(r'<select name="enterprise".*?</select>', page, re.S)
    assert found is not None
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', found[0])


def test_the_ledger_filter_lists_only_the_chosen_enterprise() -> None:
    client = client_for("guoziwei")
    page = client.get("/assets/asset/").content.decode()
    assert enterprise_select(page) == [("", "全部")]
    assert 'data-lookup="/core/organization/lookup/?kind=enterprise"' in page
    gaotou = org("市高投集团")
    page = client.get("/assets/asset/", {"enterprise": gaotou.pk}).content.decode()
    assert enterprise_select(page) == [("", "全部"), (str(gaotou.pk), gaotou.name)]
    assert f'<option value="{gaotou.pk}" selected>' in page


def test_without_javascript_the_text_box_brings_its_matches_into_the_select() -> None:
    gaotou = org("市高投集团")
    page = client_for("guoziwei").get("/assets/asset/", {"enterprise_q": "市高投"}).content.decode()
    assert (str(gaotou.pk), gaotou.name) in enterprise_select(page)
    assert 'value="市高投"' in page
    # The matches are the user's scope's only.
    page = client_for("chengfa").get("/assets/asset/", {"enterprise_q": "高投"}).content.decode()
    assert enterprise_select(page) == [("", "全部")]


def test_another_trees_enterprise_cannot_be_chosen() -> None:
    gaotou = org("市高投集团")
    response = client_for("chengfa").get("/assets/asset/", {"enterprise": gaotou.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert gaotou.name not in page
    assert enterprise_select(page) == [("", "全部")]
    # The filter is refused, not applied: no 高投 asset and no 城发 asset narrowed away.
    assert not response.context["filterset"].is_valid()
