"""Each figure of the reference report's section 二 that the registry holds, from the demo, exactly."""

import pytest

from guozi.core.testing import org, user
from guozi.enterprises.choices import GovernanceKind, Ownership
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring
from guozi.enterprises.selectors import by_grade, consolidation, governance_figures, headcount_changes, latest_ratings

pytestmark = pytest.mark.usefixtures("demo_world")


def figures(username: str = "guoziwei") -> dict[str, object]:
    return {f.kind: f for f in governance_figures(GovernanceRecord.objects.restrict(user(username)))}


def test_supervisory_board_reform_in_483_enterprises() -> None:
    figure = figures()[GovernanceKind.SUPERVISORY_BOARD]
    assert (figure.count, figure.unit) == (483, "家")


def test_four_party_committees_pre_study_lists() -> None:
    assert figures()[GovernanceKind.PARTY_PRE_STUDY].count == 4


def test_six_external_directors_to_two_city_soes() -> None:
    figure = figures()[GovernanceKind.EXTERNAL_DIRECTORS]
    assert (figure.count, figure.unit, figure.organizations) == (6, "名", 2)


def test_eleven_and_thirty_enterprises_decoupled() -> None:
    figure = figures()[GovernanceKind.DECOUPLING]
    assert [n for _, n in figure.parts] == [11, 30]
    assert figure.count == 41


def test_two_city_soes_rated_aaa_and_gaotou_aa_plus_by_puce_on_14_july() -> None:
    city = CreditRating.objects.filter(organization__enterprise_profile__ownership=Ownership.CITY)
    grades = by_grade(latest_ratings(city))
    assert len(grades["AAA"]) == 2
    (gaotou,) = grades["AA+"]
    assert (gaotou.organization, gaotou.agency, str(gaotou.rated_on)) == (org("市高投集团"), "普策信评", "2025-07-14")


def test_headcount_before_and_after() -> None:
    changes = {c.organization.short_name: c for c in headcount_changes(Headcount.objects.all())}
    chengfa, gaotou = changes["市城发集团"], changes["市高投集团"]
    assert (chengfa.staff_quota.before, chengfa.staff_quota.after, chengfa.staff_quota.difference) == (88, 60, -28)
    assert (chengfa.management_posts.before, chengfa.management_posts.after) == (279, 251)
    assert (gaotou.management_posts.before, gaotou.management_posts.after, gaotou.management_posts.difference) == (
        50,
        40,
        -10,
    )
    assert gaotou.staff_quota.difference is None


def test_county_soes_consolidated_from_64_to_10_by_county() -> None:
    result = consolidation(EnterpriseProfile.objects.all(), Restructuring.objects.all())
    assert (result.before, result.after, result.merged) == (64, 10, 54)
    assert [(c.region, c.after) for c in result.counties] == [
        ("咸安区", 2),
        ("赤壁市", 2),
        ("通城县", 2),
        ("崇阳县", 2),
        ("嘉鱼县", 1),
        ("通山县", 1),
    ]
    assert sum(c.before for c in result.counties) == 64
    assert result.restructurings == 10
