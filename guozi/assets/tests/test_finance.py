"""Financial snapshots and their comparison: the reference report's figures, the rules, pages, API, scope."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guozi.assets.models import FinancialSnapshot
from guozi.assets.selectors import compare
from guozi.assets.services.finance import (
    financial_snapshot_create,
    financial_snapshot_delete,
    financial_snapshot_update,
)
from guozi.core.changes import COMMAND
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")
YI = Decimal(100_000_000)
JUNE_2024, SEPTEMBER_2025 = date(2024, 6, 30), date(2025, 9, 30)


def yi(text: str) -> Decimal:
    return Decimal(text) * YI


def figures(**values: object) -> dict[str, object]:
    return {
        "enterprise": org("市城发集团"),
        "as_of": date(2024, 12, 31),
        "total_assets": yi("440"),
        "total_liabilities": yi("270"),
        "financing_cost_rate": Decimal("5.01"),
        **values,
    }


# --- the reference report ---------------------------------------------------------------------


def test_chengfa_assets_rose_by_38_72_yi_and_its_cost_rate_fell_by_0_13_points() -> None:
    result = compare(org("市城发集团"), JUNE_2024, SEPTEMBER_2025)
    assets = result.figure("total_assets")
    assert (assets.before, assets.after, assets.change) == (yi("429.28"), yi("468"), yi("38.72"))
    rate = result.figure("financing_cost_rate")
    assert (rate.before, rate.after, rate.change) == (Decimal("5.05"), Decimal("4.92"), Decimal("-0.13"))
    assert rate.is_rate
    assert not assets.is_rate


def test_gaotou_assets_rose_by_41_79_yi_and_its_cost_rate_fell_by_0_49_points() -> None:
    result = compare(org("市高投集团"), JUNE_2024, SEPTEMBER_2025)
    assets = result.figure("total_assets")
    assert (assets.before, assets.after, assets.change) == (yi("377.82"), yi("419.61"), yi("41.79"))
    rate = result.figure("financing_cost_rate")
    assert (rate.before, rate.after, rate.change) == (Decimal("5.21"), Decimal("4.72"), Decimal("-0.49"))


def test_a_date_without_figures_takes_the_latest_before_it() -> None:
    result = compare(org("市城发集团"), date(2024, 12, 31), date(2025, 10, 31))
    assert (result.before.as_of, result.after.as_of) == (JUNE_2024, SEPTEMBER_2025)  # type: ignore[union-attr]
    early = compare(org("市城发集团"), date(2020, 1, 1), SEPTEMBER_2025)
    assert early.before is None
    assert early.figure("total_assets").change is None


def test_the_debt_ratio_is_computed_and_changes_in_points() -> None:
    result = compare(org("市城发集团"), JUNE_2024, SEPTEMBER_2025)
    ratio = result.figure("debt_ratio")
    assert ratio.before == (yi("266.15") * 100 / yi("429.28")).quantize(Decimal("0.01"))
    assert ratio.change == ratio.after - ratio.before  # type: ignore[operator]
    assert ratio.is_rate


def test_a_comparison_reads_only_the_snapshots_handed_in() -> None:
    chengfa_view = FinancialSnapshot.objects.restrict(user("chengfa"))
    result = compare(org("市高投集团"), JUNE_2024, SEPTEMBER_2025, snapshots=chengfa_view)
    assert (result.before, result.after) == (None, None)


# --- rules ------------------------------------------------------------------------------------


def test_create_update_delete_are_recorded_and_a_loss_is_negative() -> None:
    chengfa = user("chengfa")
    created = financial_snapshot_create(actor=chengfa, origin=COMMAND, data=figures(profit=yi("-0.5")))
    assert created.profit == yi("-0.5")
    financial_snapshot_update(
        actor=chengfa, origin=COMMAND, financialsnapshot=created, data={"financing_cost_rate": Decimal("4.99")}
    )
    financial_snapshot_delete(actor=chengfa, origin=COMMAND, financialsnapshot=created)
    assert not FinancialSnapshot.objects.filter(as_of=date(2024, 12, 31)).exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"total_assets": Decimal("-1")}, "不能为负"),
        ({"total_liabilities": Decimal("-1")}, "不能为负"),
        ({"revenue": Decimal("-1")}, "不能为负"),
        ({"financing_cost_rate": Decimal("-0.1")}, "0 至 100%"),
        ({"financing_cost_rate": Decimal("100.5")}, "0 至 100%"),
        ({"as_of": JUNE_2024}, "已有该日期"),
    ],
)
def test_bad_figures_are_refused(values: dict[str, object], message: str) -> None:
    count = FinancialSnapshot.objects.count()
    with pytest.raises(ValidationError, match=message):
        financial_snapshot_create(actor=user("chengfa"), origin=COMMAND, data=figures(**values))
    assert FinancialSnapshot.objects.count() == count


def test_the_date_cannot_be_in_the_future() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        financial_snapshot_create(actor=user("chengfa"), origin=COMMAND, data=figures(as_of=tomorrow))


def test_an_enterprise_reports_its_own_figures_only() -> None:
    chengfa = user("chengfa")
    with pytest.raises(PermissionDenied):
        financial_snapshot_create(actor=chengfa, origin=COMMAND, data=figures(enterprise=org("市高投集团")))
    foreign = FinancialSnapshot.objects.get(enterprise=org("市高投集团"), as_of=JUNE_2024)
    with pytest.raises(PermissionDenied):
        financial_snapshot_update(
            actor=chengfa, origin=COMMAND, financialsnapshot=foreign, data={"total_assets": yi("1")}
        )
    own = FinancialSnapshot.objects.get(enterprise=org("市城发集团"), as_of=JUNE_2024)
    with pytest.raises(PermissionDenied):  # nor hand its figures to another enterprise
        financial_snapshot_update(
            actor=chengfa,
            origin=COMMAND,
            financialsnapshot=own,
            data={"enterprise": org("市高投集团"), "as_of": date(2024, 12, 31)},
        )
    assert FinancialSnapshot.objects.get(pk=own.pk).enterprise == org("市城发集团")
    with pytest.raises(PermissionDenied):
        financial_snapshot_create(actor=user("guoziwei"), origin=COMMAND, data=figures())


# --- pages ------------------------------------------------------------------------------------


def comparison_rows(html: str) -> list[list[str]]:
    table = html[html.index('data-testid="comparison"') :]
    table = table[: table.index("</table>")]
    return [
        [" ".join(c.split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_the_finance_page_compares_the_two_dates() -> None:
    html = client_for("chengfa").get("/assets/finance/").content.decode()
    rows = comparison_rows(html)
    assert rows[0] == ["指标", "2024-06-30", "2025-09-30", "变化"]
    assert rows[1] == ["资产总额", "429.28亿元", "468亿元", "增加38.72亿元"]
    assert ["融资成本率", "5.05%", "4.92%", "减少0.13个百分点"] in rows
    assert "市高投集团" not in html
    gaotou = comparison_rows(
        client_for("guoziwei").get("/assets/finance/", {"enterprise": org("市高投集团").pk}).content.decode()
    )
    assert gaotou[1] == ["资产总额", "377.82亿元", "419.61亿元", "增加41.79亿元"]
    assert ["融资成本率", "5.21%", "4.72%", "减少0.49个百分点"] in gaotou


def test_the_comparison_downloads_as_a_workbook() -> None:
    response = client_for("chengfa").get("/assets/finance/", {"download": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0] == ("指标", "2024-06-30", "2025-09-30", "变化")
    assert rows[1] == ("资产总额", "429.28亿元", "468亿元", "增加38.72亿元")


def test_chengfa_gets_404_for_gaotous_figures() -> None:
    client = client_for("chengfa")
    foreign = FinancialSnapshot.objects.get(enterprise=org("市高投集团"), as_of=JUNE_2024)
    for path in (
        f"/assets/financialsnapshot/{foreign.pk}/",
        f"/assets/financialsnapshot/{foreign.pk}/edit/",
        f"/api/financial-snapshots/{foreign.pk}",
        f"/api/organizations/{org('市高投集团').pk}/financial-comparison",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/assets/finance/", {"enterprise": org("市高投集团").pk}).status_code == 404
    listed = client.get("/assets/financialsnapshot/").content.decode()
    assert "377.82亿元" not in listed
    assert "429.28亿元" in listed


def test_a_snapshot_page_shows_its_figures_in_yi_yuan() -> None:
    own = FinancialSnapshot.objects.get(enterprise=org("市城发集团"), as_of=SEPTEMBER_2025)
    html = client_for("chengfa").get(f"/assets/financialsnapshot/{own.pk}/").content.decode()
    assert "468亿元" in html
    assert "4.92%" in html


# --- API --------------------------------------------------------------------------------------


def test_the_api_compares_two_dates() -> None:
    client = client_for("guoziwei")
    chengfa = org("市城发集团").pk
    body = client.get(
        f"/api/organizations/{chengfa}/financial-comparison", {"before": "2024-06-30", "after": "2025-09-30"}
    ).json()
    assert (body["before_as_of"], body["after_as_of"]) == ("2024-06-30", "2025-09-30")
    by_key = {f["key"]: f for f in body["figures"]}
    assert (by_key["total_assets"]["before"], by_key["total_assets"]["change"]) == ("42928000000.00", "3872000000.00")
    assert Decimal(by_key["financing_cost_rate"]["change"]) == Decimal("-0.13")
    assert by_key["financing_cost_rate"]["is_rate"]
    default = client.get(f"/api/organizations/{chengfa}/financial-comparison").json()
    assert default == body
    listed = client.get("/api/financial-snapshots", {"enterprise_id": chengfa}).json()
    assert listed["count"] == 2
    assert client_for("gaotou").get("/api/financial-snapshots").json()["count"] == 2
