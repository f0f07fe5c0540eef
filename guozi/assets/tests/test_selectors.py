"""The reference report's ledger figures (section 二(三), certificates in 二(二)), added up from the demo ledgers."""

from decimal import Decimal

import pytest

from guozi.assets.choices import Package
from guozi.assets.models import Asset
from guozi.assets.selectors import Census, Figure, census, enterprise_assets
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")
YI = Decimal(100_000_000)


def yi(text: str) -> Decimal:
    return Decimal(text) * YI


def of(short_name: str, **kwargs: bool) -> Census:
    return census(enterprise_assets(Asset.objects.all(), org(short_name), **kwargs))


def by_category(result: Census) -> dict[str, Decimal]:
    return {category.name: figure.value for category, figure in result.by_category}


def packages(result: Census) -> dict[str, Figure]:
    return {str(package.value): figure for package, figure in result.packages}


def test_chengfa_cleared_by_class_exactly_as_the_report_lists_them() -> None:
    result = of("市城发集团")
    assert by_category(result) == {
        "资金": yi("22"),
        "债权": yi("67.2"),
        "实物资产": yi("152.6"),
        "无形资产": yi("37.7"),
        "股权": yi("14.5"),
        "其他": yi("12.7"),
    }
    # The report says 306.9亿元 in all; its own classes add to 306.7亿元 (docs/assets.md).
    assert result.total.value == yi("306.7")


def test_chengfa_inefficient_assets_and_their_packages() -> None:
    result = of("市城发集团")
    assert result.inefficient == Figure(76, yi("14.1"))
    assert packages(result) == {
        Package.SELF_USE: Figure(21, yi("2")),
        Package.SALE: Figure(31, yi("0.3")),
        Package.LEASE: Figure(8, yi("1.9")),
        Package.FINANCING: Figure(16, yi("9.9")),
    }
    assert result.packaged == result.inefficient


def test_gaotou_cleared_by_class_exactly_as_the_report_lists_them() -> None:
    result = of("市高投集团")
    assert by_category(result) == {
        "无形资产": yi("34.35"),
        "实物资产": yi("55.12"),
        "数据资产": yi("0.33"),
        "矿权": yi("5"),
        "股权": yi("1.38"),
    }
    # The report says 96.17亿元 in all; its own classes add to 96.18亿元 (docs/assets.md).
    assert result.total.value == yi("96.18")


def test_gaotou_idle_assets_and_their_packages() -> None:
    result = of("市高投集团")
    assert result.idle == Figure(37, yi("25.42"))
    assert result.inefficient == Figure()
    assert packages(result) == {
        Package.SELF_USE: Figure(4, yi("2.17")),
        Package.SALE: Figure(3, yi("1.99")),
        Package.LEASE: Figure(25, yi("16.6")),
        Package.FINANCING: Figure(5, yi("4.66")),
    }


def test_certificates_needed_and_done() -> None:
    chengfa, gaotou = of("市城发集团"), of("市高投集团")
    assert (chengfa.certificates_needed, chengfa.certificates_done) == (18, 13)
    assert (gaotou.certificates_needed, gaotou.certificates_done) == (10, 6)


def test_the_subtree_holds_the_subsidiaries_and_can_be_left_out() -> None:
    whole, own = of("市城发集团"), of("市城发集团", subtree=False)
    below = census(Asset.objects.filter(enterprise__in=[org("振宁押运"), org("城发绿能")]))
    assert below.total.count > 0
    assert own.total + below.total == whole.total


def test_a_census_shows_only_what_its_reader_may_see() -> None:
    assert of("市高投集团").total.count == 60
    seen_by_chengfa = census(enterprise_assets(Asset.objects.restrict(user("chengfa")), org("市高投集团")))
    assert seen_by_chengfa.total == Figure()
    assert seen_by_chengfa.by_category == []


def test_the_census_takes_a_fixed_number_of_queries(django_assert_num_queries: object) -> None:
    assets = enterprise_assets(Asset.objects.all(), org("市城发集团"))
    with django_assert_num_queries(5):  # type: ignore[operator]
        census(assets)
