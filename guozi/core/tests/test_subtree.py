"""The subtree subquery (core.subtree) against django-tree-queries' own descendants, and the
scope filter built on it: the same rows, and SQL that does not grow with the subtree."""

import random

import pytest
from django.db import connection

from guozi.core.choices import OrganizationKind
from guozi.core.models import Organization
from guozi.core.subtree import Subtree
from guozi.core.testing import org, user

pytestmark = pytest.mark.django_db


def _forest(seed: int, size: int) -> list[Organization]:
    """``size`` organisations in two trees of random shape, parents created before children."""
    rng = random.Random(seed)
    made: list[Organization] = []
    for n in range(size):
        parent = rng.choice(made) if made and n > 1 else None
        made.append(
            Organization.objects.create(name=f"子树测试单位{seed}-{n}", kind=OrganizationKind.ENTERPRISE, parent=parent)
        )
    return made


def _below(organization: Organization) -> set[int]:
    return set(Organization.objects.filter(pk__in=Subtree(organization.pk)).values_list("pk", flat=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_subtree_is_tree_queries_descendants_with_the_node(seed: int) -> None:
    forest = _forest(seed, 40)
    for organization in forest:
        expected = set(Organization.objects.descendants(organization, include_self=True).values_list("pk", flat=True))
        assert _below(organization) == expected


def test_an_id_of_no_organisation_has_no_subtree() -> None:
    missing = (Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert not Organization.objects.filter(pk__in=Subtree(missing)).exists()


def test_a_cycle_in_the_parent_links_still_ends() -> None:
    # The services refuse a cycle; a hand-made UPDATE is the only way in. The walk must still end
    # (UNION, not UNION ALL), or one bad row would hang every scoped page.
    a, b, c = _forest(7, 3)[:3]
    Organization.objects.filter(pk=b.pk).update(parent=a)
    Organization.objects.filter(pk=c.pk).update(parent=b)
    Organization.objects.filter(pk=a.pk).update(parent=c)
    assert _below(a) == {a.pk, b.pk, c.pk}


@pytest.mark.usefixtures("demo_world")
def test_the_scope_filter_does_not_grow_with_the_subtree() -> None:
    """A subtree scope is one subquery with one parameter, however many enterprises are below:
    a list of ids cost Python time per id in every query (0.07 s at 10,000 enterprises)."""
    chengfa = user("chengfa")
    group = org("市城发集团")

    def parameters() -> int:
        query = Organization.objects.restrict(chengfa, "view").query
        return len(query.get_compiler(connection=connection).as_sql()[1])

    before = parameters()
    for n in range(30):
        Organization.objects.create(name=f"城发子公司{n}", kind=OrganizationKind.ENTERPRISE, parent=group)
    assert parameters() == before
    # And the subsidiaries added are in scope at once: the walk runs with each query.
    seen = set(Organization.objects.restrict(chengfa, "view").values_list("name", flat=True))
    assert {f"城发子公司{n}" for n in range(30)} <= seen
