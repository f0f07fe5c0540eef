"""Revitalisations (盘活): the rules, the reference report's figures, pages, API and scope."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guozi.assets.choices import RevitalizationMethod
from guozi.assets.models import Asset, Revitalization
from guozi.assets.selectors import (
    Revitalised,
    in_period,
    revitalization_by_enterprise,
    revitalization_by_method,
    revitalization_by_month,
    revitalization_groups,
    revitalization_totals,
    revitalizations_of,
    revitalized,
    year_bounds,
)
from guozi.assets.services.assets import asset_delete
from guozi.assets.services.revitalizations import (
    revitalization_create,
    revitalization_delete,
    revitalization_update,
)
from guozi.core.changes import COMMAND
from guozi.core.models import ChangeRecord
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")
YI = Decimal(100_000_000)
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def yi(text: str) -> Decimal:
    return Decimal(text) * YI


def event(**values: object) -> dict[str, object]:
    return {
        "asset": Asset.objects.get(code="CF-0001"),
        "method": RevitalizationMethod.LEASE,
        "revitalized_on": date(2025, 10, 8),
        "value": Decimal("1000000"),
        "cash": Decimal("50000"),
        **values,
    }


# --- the reference report's figures -------------------------------------------------------------


def test_chengfa_revitalised_28_assets_worth_20_39_yi_realising_28_48_yi_in_2025() -> None:
    assert revitalized(org("市城发集团"), *Y2025) == Revitalised(28, yi("20.39"), yi("28.48"))


def test_gaotou_revitalised_19_assets_worth_14_17_yi_realising_23_21_yi_in_2025() -> None:
    assert revitalized(org("市高投集团"), *Y2025) == Revitalised(19, yi("14.17"), yi("23.21"))


def test_the_demo_events_lie_on_idle_or_inefficient_assets_of_their_enterprise() -> None:
    for short_name, state in (("市城发集团", "inefficient"), ("市高投集团", "idle")):
        events = revitalizations_of(Revitalization.objects.all(), org(short_name))
        assert {e.asset.utilisation for e in events.select_related("asset")} == {state}
        assert events.values("asset").distinct().count() == events.count()  # one event per asset


def test_the_period_counts_only_its_own_events() -> None:
    chengfa = user("chengfa")
    revitalization_create(actor=chengfa, origin=COMMAND, data=event(revitalized_on=date(2024, 12, 31)))
    assert revitalized(org("市城发集团"), *Y2025).count == 28
    assert revitalized(org("市城发集团"), date(2024, 1, 1), date(2024, 12, 31)).count == 1
    assert revitalized(org("市城发集团")).count == 29
    # Subsidiaries count for the group, and on their own without it.
    assert revitalized(org("振宁押运"), *Y2025) == Revitalised()


def test_by_method_and_by_month_add_up_to_the_total() -> None:
    events = revitalizations_of(Revitalization.objects.all(), org("市城发集团"))
    methods = revitalization_by_method(events)
    assert [m for m, _ in methods] == [
        RevitalizationMethod.SELF_USE,
        RevitalizationMethod.SALE,
        RevitalizationMethod.LEASE,
        RevitalizationMethod.FINANCING,
    ]
    assert sum((f for _, f in methods), Revitalised()) == Revitalised(28, yi("20.39"), yi("28.48"))
    months = revitalization_by_month(events)
    assert [m for m, _ in months] == sorted(m for m, _ in months)
    assert all(m.day == 1 and m.year == 2025 for m, _ in months)
    assert sum((f for _, f in months), Revitalised()) == Revitalised(28, yi("20.39"), yi("28.48"))


# --- rules ------------------------------------------------------------------------------------


def test_create_update_delete_are_recorded() -> None:
    chengfa = user("chengfa")
    created = revitalization_create(actor=chengfa, origin=COMMAND, data=event())
    revitalization_update(actor=chengfa, origin=COMMAND, revitalization=created, data={"cash": Decimal("60000.00")})
    pk = created.pk
    revitalization_delete(actor=chengfa, origin=COMMAND, revitalization=created)
    records = ChangeRecord.objects.filter(content_type__model="revitalization", object_id=str(pk)).order_by("pk")
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert (records[1].before["cash"], records[1].after["cash"]) == ("50000.00", "60000.00")
    assert {r.organization_id for r in records} == {org("市城发集团").pk}


@pytest.mark.parametrize("field", ["value", "cash"])
def test_amounts_cannot_be_negative(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        revitalization_create(actor=user("chengfa"), origin=COMMAND, data=event(**{field: Decimal("-1")}))
    assert "不能为负" in str(refused.value)
    # The database holds the rule too, whatever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Revitalization.objects.create(**event(**{field: Decimal("-1")}))
    assert not Revitalization.objects.filter(revitalized_on=date(2025, 10, 8)).exists()


def test_cash_may_exceed_the_value_and_zero_is_fine() -> None:
    created = revitalization_create(
        actor=user("chengfa"), origin=COMMAND, data=event(value=Decimal(0), cash=Decimal("2000000"))
    )
    assert (created.value, created.cash) == (0, Decimal("2000000"))


def test_the_date_cannot_be_in_the_future() -> None:
    today = timezone.localdate()
    chengfa = user("chengfa")
    with pytest.raises(ValidationError, match="晚于今天") as refused:
        revitalization_create(actor=chengfa, origin=COMMAND, data=event(revitalized_on=today + timedelta(days=1)))
    assert "revitalized_on" in refused.value.message_dict
    assert revitalization_create(actor=chengfa, origin=COMMAND, data=event(revitalized_on=today)).pk
    existing = Revitalization.objects.filter(asset__code__startswith="CF-").first()
    assert existing is not None
    with pytest.raises(ValidationError, match="晚于今天"):
        revitalization_update(
            actor=chengfa,
            origin=COMMAND,
            revitalization=existing,
            data={"revitalized_on": today + timedelta(days=30)},
        )


def test_an_asset_is_not_revitalised_before_it_was_acquired() -> None:
    injected = Asset.objects.get(name="原咸宁广播电视台大楼")
    assert injected.acquired_on == date(2025, 5, 20)  # the day of the injection that brought it in
    with pytest.raises(ValidationError, match="2025-05-20"):
        revitalization_create(
            actor=user("chengfa"), origin=COMMAND, data=event(asset=injected, revitalized_on=date(2025, 5, 19))
        )
    assert all(e.revitalized_on >= injected.acquired_on for e in injected.revitalizations.all())
    existing = injected.revitalizations.first()
    assert existing is not None
    with pytest.raises(ValidationError, match="2025-05-20"):
        revitalization_update(
            actor=user("chengfa"), origin=COMMAND, revitalization=existing, data={"revitalized_on": date(2025, 1, 2)}
        )


def test_an_enterprise_records_events_on_its_own_assets_only() -> None:
    chengfa = user("chengfa")
    with pytest.raises(PermissionDenied):
        revitalization_create(actor=chengfa, origin=COMMAND, data=event(asset=Asset.objects.get(code="GT-0001")))
    own = Revitalization.objects.filter(asset__code__startswith="CF-").first()
    assert own is not None
    with pytest.raises(PermissionDenied):  # nor move one of its events onto another's asset
        revitalization_update(
            actor=chengfa, origin=COMMAND, revitalization=own, data={"asset": Asset.objects.get(code="GT-0001")}
        )
    assert Revitalization.objects.get(pk=own.pk).asset.code.startswith("CF-")
    foreign = Revitalization.objects.filter(asset__code__startswith="GT-").first()
    assert foreign is not None
    with pytest.raises(PermissionDenied):
        revitalization_delete(actor=chengfa, origin=COMMAND, revitalization=foreign)
    with pytest.raises(PermissionDenied):  # the SASAC reads every enterprise's events, writes none
        revitalization_create(actor=user("guoziwei"), origin=COMMAND, data=event())


def test_an_asset_with_events_is_not_deleted_from_the_ledger() -> None:
    asset = Revitalization.objects.filter(asset__code__startswith="CF-").first().asset  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="仍有其他记录引用"):
        asset_delete(actor=user("chengfa"), origin=COMMAND, asset=asset)
    assert Asset.objects.filter(pk=asset.pk).exists()


# --- pages ------------------------------------------------------------------------------------


def page(username: str, path: str, params: dict[str, object] | None = None, status: int = 200) -> str:
    response = client_for(username).get(path, params or {})
    assert response.status_code == status, path
    return response.content.decode()


def text_of(html: str, name: str) -> str:
    found = re.search(rf'data-testid="{name}">\s*(.*?)\s*<', html, re.S)
    assert found is not None, name
    return " ".join(found[1].split())


def test_the_list_totals_the_filtered_events() -> None:
    html = page("guoziwei", "/assets/revitalization/", {"enterprise": org("市城发集团").pk, "year": 2025})
    assert text_of(html, "revitalization-totals") == "共 28 项盘活，价值20.39亿元，变现金额28.48亿元"
    html = page("gaotou", "/assets/revitalization/", {"per_page": 100})
    assert text_of(html, "revitalization-totals") == "共 19 项盘活，价值14.17亿元，变现金额23.21亿元"
    assert "CF-" not in html
    html = page("guoziwei", "/assets/revitalization/", {"method": "self_use"})
    assert text_of(html, "revitalization-totals").startswith("共 4 项盘活")


def test_the_overview_gives_the_year_by_enterprise_and_method_with_a_chart() -> None:
    html = page("guoziwei", "/assets/revitalization-overview/", {"year": 2025})
    assert text_of(html, "revitalization-summary") == "2025年：盘活资产47项，价值34.56亿元，变现金额51.69亿元"
    table = html[html.index('data-testid="by-enterprise"') :]
    table = table[: table.index("</table>")]
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == ["市城发集团", "28", "20.39亿元", "28.48亿元", "市高投集团", "19", "14.17亿元", "23.21亿元"]
    assert "core/vendor/echarts.min.js" in html
    assert '"months": ["2025-01"' in html
    own = page("chengfa", "/assets/revitalization-overview/")
    assert text_of(own, "revitalization-summary") == "2025年：盘活资产28项，价值20.39亿元，变现金额28.48亿元"
    assert "市高投集团" not in own
    page("chengfa", "/assets/revitalization-overview/", {"enterprise": org("市高投集团").pk}, status=404)


def test_an_event_shows_its_amounts_in_wan_yuan_and_on_its_assets_page() -> None:
    created = revitalization_create(actor=user("chengfa"), origin=COMMAND, data=event())
    html = page("chengfa", f"/assets/revitalization/{created.pk}/")
    assert "100万元" in html
    assert "5万元" in html
    asset_page = page("chengfa", f"/assets/asset/{created.asset_id}/")
    assert 'data-testid="revitalizations"' in asset_page
    assert "2025-10-08" in asset_page


def test_adding_an_event_through_the_page() -> None:
    asset = Asset.objects.get(code="CF-0002")
    response = client_for("chengfa").post(
        "/assets/revitalization/add/",
        {"asset": asset.pk, "method": "sale", "revitalized_on": "2025-10-09", "value": "120.5", "cash": "130"},
    )
    assert response.status_code == 302
    created = Revitalization.objects.get(asset=asset)
    assert (created.value, created.cash) == (Decimal("1205000.00"), Decimal("1300000.00"))
    refused = client_for("chengfa").post(
        "/assets/revitalization/add/",
        {"asset": asset.pk, "method": "sale", "revitalized_on": "2025-10-09", "value": "-1", "cash": "0"},
    )
    assert refused.status_code == 400
    assert Revitalization.objects.filter(asset=asset).count() == 1


def test_chengfa_gets_404_for_gaotous_events_and_exports_its_own_only() -> None:
    foreign = Revitalization.objects.filter(asset__code__startswith="GT-").first()
    assert foreign is not None
    client = client_for("chengfa")
    for path in (f"/assets/revitalization/{foreign.pk}/", f"/assets/revitalization/{foreign.pk}/edit/"):
        assert client.get(path).status_code == 404
    assert client.get(f"/api/revitalizations/{foreign.pk}").status_code == 404
    response = client.get("/assets/revitalization/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 28
    assert not [r for r in rows[1:] if "GT-" in str(r[1])]


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_events_and_sums_them_up() -> None:
    client = client_for("guoziwei")
    chengfa = org("市城发集团").pk
    body = client.get("/api/revitalizations", {"enterprise_id": chengfa, "year": 2025, "page_size": 100}).json()
    assert body["count"] == 28
    assert sum(Decimal(i["value"]) for i in body["items"]) == yi("20.39")
    item = body["items"][0]
    assert item["asset_code"].startswith("CF-")
    assert item["enterprise_id"] == chengfa
    summary = client.get(f"/api/organizations/{chengfa}/revitalization-summary", {"year": 2025}).json()
    assert summary["total"] == {"count": 28, "value": "2039000000.00", "cash": "2848000000.00"}
    assert (summary["date_from"], summary["date_to"]) == ("2025-01-01", "2025-12-31")
    assert sum(m["count"] for m in summary["by_method"]) == 28
    gaotou = client.get(f"/api/organizations/{org('市高投集团').pk}/revitalization-summary", {"year": 2025}).json()
    assert gaotou["total"] == {"count": 19, "value": "1417000000.00", "cash": "2321000000.00"}
    none = client.get(f"/api/organizations/{chengfa}/revitalization-summary", {"year": 2024}).json()
    assert none["total"] == {"count": 0, "value": "0.00", "cash": "0.00"}


def test_the_api_answers_404_for_another_enterprises_summary() -> None:
    client = client_for("chengfa")
    gaotou = org("市高投集团").pk
    foreign = client.get(f"/api/organizations/{gaotou}/revitalization-summary")
    missing = client.get("/api/organizations/999999/revitalization-summary")
    assert (foreign.status_code, foreign.content) == (missing.status_code, missing.content) == (404, missing.content)
    listed = client.get("/api/revitalizations", {"page_size": 1000}).json()
    assert listed["count"] == 28
    refused = client.get("/api/revitalizations", {"enterprise_id": gaotou})
    assert refused.status_code == 422


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL keeps the join")
def test_sqlite_reads_an_enterprises_events_from_the_events_not_from_its_ledger() -> None:
    """Events reach their enterprise through their asset. Joined, SQLite may start from the ledger
    and probe the events (0.65 s at a million rows without statistics on the events): the scope
    and the overview's queries look each event's asset up by its primary key instead."""
    chengfa = org("市城发集团")
    events = revitalizations_of(Revitalization.objects.restrict(user("chengfa")), chengfa)
    with CaptureQueriesContext(connection) as queries:
        list(events)
        revitalization_totals(events)
        revitalization_by_method(events)
        assert revitalization_by_enterprise(events)
        assert revitalization_groups(events).cells
    assert len(queries) == 5
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert "SCAN assets_revitalization" in plan, plan
        assert "SEARCH U0 USING INTEGER PRIMARY KEY" in plan, plan
        assert "assets_asset" not in plan, plan  # never scanned, nor searched by another index


def test_the_overviews_groups_add_up_as_the_queries_of_each_figure_do() -> None:
    """One GROUP BY month and method gives the months, the years and each year's methods: the
    same figures as the queries that give each of them."""
    chengfa = user("chengfa")
    for when, method in [
        (date(2024, 12, 31), RevitalizationMethod.SALE),
        (date(2024, 1, 1), RevitalizationMethod.SALE),
        (date(2025, 1, 31), RevitalizationMethod.FINANCING),
        (date(2025, 10, 8), RevitalizationMethod.LEASE),
    ]:
        revitalization_create(actor=chengfa, origin=COMMAND, data=event(revitalized_on=when, method=method))
    for events in (Revitalization.objects.all(), Revitalization.objects.restrict(user("gaotou"))):
        groups = revitalization_groups(events)
        assert groups.by_month() == revitalization_by_month(events)
        assert groups.years() == sorted({month.year for month, _ in revitalization_by_month(events)})
        for year in [*groups.years(), 2023]:
            in_year = in_period(events, *year_bounds(year))
            assert groups.by_method(year) == revitalization_by_method(in_year)
            assert groups.total(year) == revitalization_totals(in_year)
        assert groups.by_method() == revitalization_by_method(events)
        assert groups.total() == revitalization_totals(events)
    nothing = Revitalization.objects.none()
    assert str(revitalization_groups(nothing).total().value) == str(revitalization_totals(nothing).value) == "0.00"
    assert revitalization_groups(Revitalization.objects.all()).years() == [2024, 2025]


def test_the_overview_of_a_chosen_enterprise_shows_its_years_total_in_two_queries_fewer() -> None:
    own = page("chengfa", "/assets/revitalization-overview/", {"year": 2025})
    table = own[own.index('data-testid="by-enterprise"') :]
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", table[: table.index("</table>")], re.S)]
    assert cells == ["市城发集团", "28", "20.39亿元", "28.48亿元"]
    client = client_for("chengfa")
    with CaptureQueriesContext(connection) as chosen:
        client.get("/assets/revitalization-overview/")
    with CaptureQueriesContext(connection) as everything:
        client_for("guoziwei").get("/assets/revitalization-overview/")
    events = [q for q in chosen.captured_queries if "assets_revitalization" in q["sql"]]
    assert len(events) == 1
    assert len([q for q in everything.captured_queries if "assets_revitalization" in q["sql"]]) == 2
    latest = page("chengfa", "/assets/revitalization-overview/", {"year": 2019})  # not a year with events
    assert text_of(latest, "revitalization-summary") == text_of(own, "revitalization-summary")
    none = page("chengfa", "/assets/revitalization-overview/", {"enterprise": org("振宁押运").pk})
    table = none[none.index('data-testid="by-enterprise"') :]
    assert re.findall(r"<td[^>]*>(.*?)</td>", table[: table.index("</table>")], re.S) == ["尚无盘活记录。"]
