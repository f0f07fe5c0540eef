"""The asset summary and its subtree rollup equal the ledger after every write, and dashboards
read them (issue 7)."""

from __future__ import annotations

import os
import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from guozi.assets import summaries
from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus, Package, TransferKind, Utilisation
from guozi.assets.models import Asset, AssetCategory, AssetRollup, AssetSummary
from guozi.assets.selectors import census, census_rows, censuses, enterprise_assets, summary_groups
from guozi.assets.services.assets import asset_create, asset_delete, asset_update
from guozi.assets.services.imports import ledger_import
from guozi.assets.services.transfers import asset_transfer_create
from guozi.assets.tests.ledgerfiles import csv_file, row
from guozi.core.changes import COMMAND
from guozi.core.choices import DataScope, OrganizationKind
from guozi.core.models import Organization
from guozi.core.services.organizations import organization_create, organization_update
from guozi.core.testing import client_for, org, user

pytestmark = pytest.mark.usefixtures("demo_world")

#: Each group's importer and editor, and its organisation (whose subtree it writes).
GROUPS = {"chengfa": "市城发集团", "gaotou": "市高投集团"}
#: Enterprises the random sequence moves around the tree (with whatever sits below them by then).
MOVABLE = ["振宁押运", "双鹤驾校", "城发绿能", "高投基金公司"]
CERTIFICATES = {"已办证": "done", "未办证": "missing", "办理中": "in_progress", "无需办证": "not_needed"}
UTILISATIONS = {"在用": "in_use", "闲置": "idle", "低效": "inefficient", "出租": "leased"}
PACKAGES = {"": "", "自用": "self_use", "出售": "sale", "租赁": "lease", "融资": "financing"}

Groups = dict[tuple[int, int, str, str], tuple[Any, ...]]


def ledger_groups() -> Groups:
    """The ledger added up afresh, in Python and in Decimal: nothing shared with the summary's code."""
    found: dict[tuple[int, int, str, str], list[Any]] = {}
    for a in Asset.objects.values(*summaries.FIELDS):
        key = (a["enterprise_id"], a["category_id"], a["utilisation"], a["package"])
        totals = found.setdefault(key, [0, Decimal(0), Decimal(0), Decimal(0), 0, 0])
        totals[0] += 1
        totals[1] += a["book_value"]
        totals[2] += a["original_value"] or 0
        totals[3] += a["area"] or 0
        totals[4] += a["certificate"] in NEEDS_CERTIFICATE
        totals[5] += a["certificate"] == CertificateStatus.DONE
    return {key: tuple(totals) for key, totals in found.items()}


def summary_table() -> Groups:
    hundred = Decimal(100)
    return {
        (s.enterprise_id, s.category_id, s.utilisation, s.package): (
            s.asset_count,
            s.book_value_fen / hundred,
            s.original_value_fen / hundred,
            s.area_centi / hundred,
            s.certificates_needed,
            s.certificates_done,
        )
        for s in AssetSummary.objects.all()
    }


def ledger_subtrees(ledger: Groups) -> Groups:
    """``ledger`` added up to every organisation above each enterprise (itself too), walking the
    tree as stored now: nothing shared with the rollup's code."""
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    found: dict[tuple[int, int, str, str], list[Any]] = {}
    for (enterprise, *group), totals in ledger.items():
        above = enterprise
        while above is not None:
            into = found.setdefault((above, *group), [0] * len(totals))  # type: ignore[arg-type]
            for i, value in enumerate(totals):
                into[i] += value
            above = parents[above]
    return {key: tuple(totals) for key, totals in found.items()}


def rollup_table() -> Groups:
    hundred = Decimal(100)
    return {
        (r.organization_id, r.category_id, r.utilisation, r.package): (
            r.asset_count,
            r.book_value_fen / hundred,
            r.original_value_fen / hundred,
            r.area_centi / hundred,
            r.certificates_needed,
            r.certificates_done,
        )
        for r in AssetRollup.objects.all()
    }


def assert_summary_equals_ledger(step: str) -> None:
    expected = ledger_groups()
    for name, found, wanted in (
        ("summary", summary_table(), expected),
        ("rollup", rollup_table(), ledger_subtrees(expected)),
    ):
        wrong = {
            k: (found.get(k), wanted.get(k)) for k in found.keys() | wanted.keys() if found.get(k) != wanted.get(k)
        }
        assert not wrong, f"after {step}: ({name}, ledger) {wrong}"


def subtree(group: str) -> list[str]:
    """The short names of the enterprises in ``group``'s subtree as the tree stands now."""
    below = Organization.objects.descendants(org(GROUPS[group]), include_self=True)
    return list(below.filter(kind="enterprise").order_by("pk").values_list("short_name", flat=True))


class Writer:
    """Random writes through the services, as the users who may make them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0
        self.categories = list(AssetCategory.objects.values_list("name", flat=True))
        self.category_ids = list(AssetCategory.objects.values_list("pk", flat=True))

    def code(self) -> str:
        self.serial += 1
        return f"SUM-{self.serial:04d}"

    def amount(self, top: int = 5000) -> str:
        return f"{self.rng.randint(0, top * 100) / 100:.2f}"

    def subtree_assets(self, group: str) -> list[Asset]:
        return list(Asset.objects.filter(enterprise__short_name__in=subtree(group)).order_by("pk"))

    def import_file(self) -> str:
        group = self.rng.choice(list(GROUPS))
        rows = []
        existing = self.subtree_assets(group)
        for _ in range(self.rng.randint(1, 12)):
            if existing and self.rng.random() < 0.4:
                asset = self.rng.choice(existing)
                code, enterprise = asset.code, asset.enterprise.short_name
            else:
                code, enterprise = self.code(), self.rng.choice(subtree(group))
            rows.append(
                row(
                    code,
                    enterprise=enterprise,
                    category=self.rng.choice(self.categories),
                    area=self.rng.choice(["", self.amount(2000)]),
                    original_value=self.rng.choice(["", self.amount()]),
                    book_value=self.amount(),
                    certificate=self.rng.choice(list(CERTIFICATES)),
                    utilisation=self.rng.choice(list(UTILISATIONS)),
                    package=self.rng.choice(list(PACKAGES)),
                )
            )
        codes = [(r[1], r[0]) for r in rows]
        rows = [r for i, r in enumerate(rows) if (r[1], r[0]) not in codes[:i]]  # a code once per enterprise
        bad = self.rng.random() < 0.15
        if bad:
            rows[-1][8] = "-1"  # a negative book value: the whole file is refused, nothing written
        outcome = ledger_import(actor=user(group), origin=COMMAND, file_name="s.csv", content=csv_file(rows))
        assert outcome.ok is not bad, outcome.errors
        return f"import of {len(rows)} rows by {group}{' (refused)' if bad else ''}"

    def create(self) -> str:
        group = self.rng.choice(list(GROUPS))
        asset_create(
            actor=user(group),
            origin=COMMAND,
            data={
                "enterprise": org(self.rng.choice(subtree(group))),
                "code": self.code(),
                "name": "新增资产",
                "category_id": self.rng.choice(self.category_ids),
                "book_value": Decimal(self.amount()),
                "area": self.rng.choice([None, Decimal(self.amount(900))]),
                "certificate": self.rng.choice(list(CertificateStatus)),
                "utilisation": self.rng.choice(list(Utilisation)),
                "package": self.rng.choice(["", *Package]),
            },
        )
        return f"create by {group}"

    def edit(self) -> str:
        group = self.rng.choice(list(GROUPS))
        asset = self.rng.choice(self.subtree_assets(group))
        changes = {
            "book_value": Decimal(self.amount()),
            "original_value": self.rng.choice([None, Decimal(self.amount())]),
            "area": self.rng.choice([None, Decimal(self.amount(900))]),
            "category_id": self.rng.choice(self.category_ids),
            "certificate": self.rng.choice(list(CertificateStatus)),
            "utilisation": self.rng.choice(list(Utilisation)),
            "package": self.rng.choice(["", *Package]),
            "name": "改名",
        }
        picked = dict(self.rng.sample(sorted(changes.items()), self.rng.randint(1, 4)))
        asset_update(actor=user(group), origin=COMMAND, asset=asset, data=picked)
        return f"edit of {asset.code} ({', '.join(sorted(picked))}) by {group}"

    def delete(self) -> str:
        group = self.rng.choice(list(GROUPS))
        asset = self.rng.choice(self.subtree_assets(group))
        try:
            asset_delete(actor=user(group), origin=COMMAND, asset=asset)
        except ValidationError:
            return f"delete of {asset.code} refused (revitalisations refer to it)"
        return f"delete of {asset.code} by {group}"

    def transfer(self) -> str:
        giving, receiving = self.rng.sample(["市城发集团", "市高投集团", "市国资公司"], 2)
        below = Organization.objects.descendants(org(giving), include_self=True)
        candidates = list(Asset.objects.filter(enterprise__in=below).order_by("pk"))
        if not candidates:
            return "no transfer (nothing to move)"
        receiving_to = self.rng.choice(list(Organization.objects.descendants(org(receiving), include_self=True)))
        taken = set(Asset.objects.filter(enterprise=receiving_to).values_list("code", flat=True))
        moving: dict[str, Asset] = {}
        for asset in self.rng.sample(candidates, min(len(candidates), self.rng.randint(1, 5))):
            if asset.code not in taken and asset.code not in moving:
                moving[asset.code] = asset
        if not moving:
            return "no transfer (codes clash)"
        asset_transfer_create(
            actor=user("guoziwei"),
            origin=COMMAND,
            data={
                "kind": TransferKind.ASSETS,
                "title": "随机划转",
                "from_organization": org(giving),
                "to_organization": receiving_to,
                "transferred_on": date(2025, 10, 10),
                "assets": list(moving.values()),
            },
        )
        return f"transfer of {len(moving)} assets {giving} → {receiving_to.short_name}"

    def move(self) -> str:
        """An enterprise (with its subsidiaries by now) to another parent, as 国资委's administrator."""
        moved = org(self.rng.choice(MOVABLE))
        below = set(Organization.objects.descendants(moved, include_self=True).values_list("short_name", flat=True))
        names = ["国资委", "市城发集团", "市高投集团", "市国资公司", *MOVABLE]
        parents = [name for name in names if name not in below and name != moved.parent.short_name]
        parent = org(self.rng.choice(parents))
        was = moved.parent.short_name if moved.parent else "-"
        organization_update(actor=user("sysadmin"), origin=COMMAND, organization=moved, data={"parent": parent})
        return f"move of {moved.short_name} ({len(below)} organisation(s)) from {was} to {parent.short_name}"


def test_the_summary_equals_the_ledger_after_a_random_sequence_of_writes() -> None:
    seed = int(os.environ.get("GUOZI_SUMMARY_SEED", random.randrange(2**32)))
    print(f"summary sequence seed: {seed} (rerun with GUOZI_SUMMARY_SEED={seed})")  # noqa: T201
    rng = random.Random(seed)
    writer = Writer(rng)
    assert_summary_equals_ledger("loading the demo")
    steps = [writer.import_file] * 3 + [writer.create, writer.edit, writer.edit, writer.delete, writer.transfer]
    steps += [writer.move]
    for number in range(45):
        done = rng.choice(steps)()
        print(f"step {number}: {done}")  # noqa: T201  (the sequence, to read a failure by)
        assert_summary_equals_ledger(f"step {number} (seed {seed}): {done}")
    assert summaries.differences() == []
    # And every census a dashboard shows, as each reader sees it, is the ledger's to the 分: the
    # whole of the reader's scope, and each enterprise with and without its subsidiaries.
    own_scope_reader()
    for reader in ("guoziwei", "chengfa", "gaotou", "own_scope"):
        account = user(reader)
        ledger = Asset.objects.restrict(account)
        assert census(census_rows(account)) == census(ledger), (seed, reader)
        for short in ("市城发集团", "振宁押运", "双鹤驾校", "市高投集团", "市国资公司"):
            for whole in (True, False):
                of_ledger = enterprise_assets(ledger, org(short), subtree=whole)
                of_summary = enterprise_assets(AssetSummary.objects.restrict(account), org(short), subtree=whole)
                assert census(of_summary) == census(of_ledger), (seed, reader, short, whole)
                if Organization.objects.restrict(account).filter(pk=org(short).pk).exists():
                    served = census(census_rows(account, org(short), subtree=whole))
                    assert served == census(of_ledger), (seed, reader, short, whole)


def own_scope_reader() -> None:
    """``own_scope``: 城发集团's reader with the "own organisation" scope (its subsidiaries hidden)."""
    from guozi.core.models import Role, User

    role = Role.objects.create(name="本单位只读", code="own-reader", scope=DataScope.OWN)
    role.permissions.set(user("chengfa").roles.get().permissions.all())
    account = User.objects.create(username="own_scope", organization=org("市城发集团"))
    account.groups.add(role)


def test_a_write_refused_midway_leaves_the_summary_as_it_was() -> None:
    before = summary_table()
    asset = Asset.objects.get(code="CF-0001")
    with pytest.raises(ValidationError):
        # The summary's delta would be applied after update_object: a bad value stops both.
        asset_update(actor=user("chengfa"), origin=COMMAND, asset=asset, data={"book_value": Decimal(-1)})
    assert summary_table() == before


def test_the_summary_is_only_written_inside_the_ledger_transaction() -> None:
    row_values = summaries.row_of(Asset.objects.first())  # type: ignore[arg-type]
    in_test_transaction = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="transaction"):
            summaries.apply([(None, row_values)])
    finally:
        connection.in_atomic_block = in_test_transaction


def test_rebuild_check_finds_a_write_behind_the_services_back_and_rebuild_mends_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("summaries", "rebuild", "--check")
    assert "equals the ledger" in capsys.readouterr().out
    Asset.objects.filter(code="CF-0001").update(book_value=Decimal("1.23"))
    with pytest.raises(CommandError) as differs:
        call_command("summaries", "rebuild", "--check")
    assert differs.value.returncode == 1
    # Its enterprise's summary row and the rollup row of every subtree that holds it.
    chain = Organization.objects.ancestors(Asset.objects.get(code="CF-0001").enterprise, include_self=True)
    assert f"{1 + chain.count()} group(s)" in str(differs.value)
    assert "no row" not in capsys.readouterr().out
    with transaction.atomic():
        call_command("summaries", "rebuild")
    assert "rebuilt from the ledger" in capsys.readouterr().out
    assert summaries.differences() == []
    assert_summary_equals_ledger("the rebuild")


def test_the_upsert_adds_every_group_at_once() -> None:
    """Every group of the demo ledger added into empty tables in one call (on PostgreSQL one
    statement, an array per column): the summary and every rollup equal the ledger."""
    AssetSummary.objects.all().delete()
    AssetRollup.objects.all().delete()
    with transaction.atomic():
        summaries.add(summaries.deltas((None, summaries.row_of(asset)) for asset in Asset.objects.all()))
    assert_summary_equals_ledger("adding the whole ledger at once")


def test_groups_of_owners_with_and_without_rows_add_up_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The assets of every other enterprise first, then the rest's: the second call meets owners
    without any row (enterprises, their own subtrees: written by COPY on PostgreSQL, here from
    the first group on) beside rollup rows of shared ancestors (upserted), and the tables still
    equal the ledger."""
    monkeypatch.setattr(summaries, "COPY_FROM", 1)
    AssetSummary.objects.all().delete()
    AssetRollup.objects.all().delete()
    assets = list(Asset.objects.order_by("pk"))
    enterprises = sorted({asset.enterprise_id for asset in assets})
    assert len(enterprises) > 2
    first = set(enterprises[::2])
    with transaction.atomic():
        for part in (first, set(enterprises) - first):
            summaries.add(summaries.deltas((None, summaries.row_of(a)) for a in assets if a.enterprise_id in part))
    assert_summary_equals_ledger("adding every other enterprise's assets, then the rest")


def test_a_subtree_moved_under_a_new_organisation_carries_its_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """城发集团 with its subsidiaries moved under a new holding company, which has no rollup row
    yet: asked from the first group on, the new company's rows go by COPY on PostgreSQL, the old
    ancestors' rows are upserted down, and the rollup still equals the ledger."""
    monkeypatch.setattr(summaries, "COPY_FROM", 1)
    holding = organization_create(
        actor=user("sysadmin"),
        origin=COMMAND,
        data={"name": "咸宁市测试控股有限公司", "short_name": "测试控股", "kind": OrganizationKind.ENTERPRISE},
    )
    moved = org("市城发集团")
    assert AssetRollup.objects.filter(organization=moved).exists()
    assert not AssetRollup.objects.filter(organization=holding).exists()
    organization_update(actor=user("sysadmin"), origin=COMMAND, organization=moved, data={"parent": holding})
    assert_summary_equals_ledger("城发集团 moved under a new holding company")
    rows = AssetRollup.objects.filter
    assert rows(organization=holding).count() == rows(organization=moved).count()


def test_the_imports_planned_writes_add_up_as_add_does(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """The import's way (``owners_with_rows``, ``planned`` in Python, ``write``): every other
    enterprise first, then the rest, so the second write meets owners with and without rows
    (COPY and upsert on PostgreSQL); the tables equal the ledger, and a write of a tenth of the
    rollup gathers statistics after the commit as ``add`` does."""
    AssetSummary.objects.all().delete()
    AssetRollup.objects.all().delete()
    assets = list(Asset.objects.order_by("pk"))
    enterprises = sorted({asset.enterprise_id for asset in assets})
    first = set(enterprises[::2])
    monkeypatch.setattr(summaries, "ANALYZE_FROM", 1)
    monkeypatch.setattr(summaries, "_rollup_rows", lambda: -1.0)  # as after a TRUNCATE
    writes: list[summaries.Planned] = []
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for part in (first, set(enterprises) - first):
            found = summaries.deltas((None, summaries.row_of(a)) for a in assets if a.enterprise_id in part)
            up = summaries.ancestors(part)
            owners = summaries.owners_with_rows(part, {pk for chain in up.values() for pk in chain})
            writes.append(summaries.planned(found, summaries.rolled_up(found, up), owners))
            summaries.write(writes[-1])
    assert_summary_equals_ledger("the import's planned writes, every other enterprise first")
    analyzed = {q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")}
    if connection.vendor == "postgresql":
        assert analyzed == {'ANALYZE (SKIP_LOCKED) "assets_assetsummary", "assets_assetrollup"'}
        # Both ways were taken: new owners' groups by COPY, the shared ancestors' rollup upserted.
        assert writes[0].summary.fresh
        assert not writes[0].summary.upserts
        assert writes[1].rollup.fresh
        assert writes[1].rollup.upserts
    else:
        assert analyzed == set()


def test_a_new_owners_groups_go_by_copy_with_their_text_as_it_was() -> None:
    """PostgreSQL: an owner without rows gets its groups by COPY, whose text format escapes
    backslash, tab and newline (the key's texts are choices today; the format must not depend on it)."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    enterprise = org("双鹤驾校")
    category_id = AssetCategory.objects.values_list("pk", flat=True).first()
    texts = ["a\tb\\c\nd\r", "中文\\N"]
    key = (enterprise.pk, category_id, *texts)
    with transaction.atomic():
        AssetSummary.objects.filter(enterprise=enterprise).delete()
        writes = summaries.planned({key: [1, 2, 3, 4, 1, 0]}, {}, summaries.Owners(set(), set()))
        assert writes.summary.fresh
        assert not writes.summary.upserts
        summaries.write(writes)
        stored = AssetSummary.objects.get(enterprise=enterprise)
        assert (stored.utilisation, stored.package, stored.asset_count, stored.area_centi) == (*texts, 1, 4)
        transaction.set_rollback(True)


def test_the_census_page_and_api_read_the_summary_not_the_ledger() -> None:
    client = client_for("chengfa")
    chengfa = org("市城发集团")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/assets/census/?enterprise={chengfa.pk}")
        api = client.get(f"/api/organizations/{chengfa.pk}/asset-census")
    assert page.status_code == api.status_code == 200
    ledger = connection.ops.quote_name(Asset._meta.db_table)
    assert not [q["sql"] for q in queries.captured_queries if ledger in q["sql"]]
    assert api.json()["total"]["count"] == Asset.objects.filter(enterprise__in=chengfa_subtree()).count()
    # The summary keeps to the ledger's scope: 高投's figures are not chengfa's to read.
    gaotou = org("市高投集团")
    assert client.get(f"/api/organizations/{gaotou.pk}/asset-census").status_code == 404
    seen = census(enterprise_assets(AssetSummary.objects.restrict(user("chengfa")), gaotou))
    assert seen.total.count == 0


def chengfa_subtree() -> Any:
    return Organization.objects.descendants(org("市城发集团"), include_self=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's plans are in docs/assets.md")
def test_sqlite_reads_the_census_from_an_index_not_through_a_bad_grouped_plan() -> None:
    whole = AssetSummary.objects.all()
    assert "USING COVERING INDEX assets_summary_census" in summary_groups(whole).explain()
    subtree = summary_groups(enterprise_assets(whole, org("市城发集团"))).explain()
    assert "SEARCH assets_assetsummary USING INDEX sqlite_autoindex_assets_assetsummary_1 (enterprise_id=?)" in subtree


def test_a_rollup_is_read_only_by_readers_of_its_whole_subtree() -> None:
    chengfa, gaotou = org("市城发集团"), org("市高投集团")
    below = set(Organization.objects.descendants(chengfa, include_self=True).values_list("pk", flat=True))
    seen = set(AssetRollup.objects.restrict(user("chengfa")).values_list("organization", flat=True))
    assert chengfa.pk in seen
    assert seen <= below  # not 高投's, nor the city's above the group: those hold others' assets
    assert not AssetRollup.objects.restrict(user("chengfa")).filter(organization=gaotou).exists()
    assert AssetRollup.objects.restrict(user("guoziwei")).filter(organization=gaotou).exists()
    # "Own organisation" above subsidiaries: the group's rollup would show theirs, so none at all;
    # its census comes from its own summary rows and is its own ledger's.
    own_scope_reader()
    own = user("own_scope")
    assert not AssetRollup.objects.restrict(own).exists()
    rows = census_rows(own, chengfa)
    assert rows.model is AssetSummary
    assert census(rows) == census(Asset.objects.restrict(own))
    assert census(rows).total.count == Asset.objects.filter(enterprise=chengfa).count() > 0
    assert not AssetRollup.objects.restrict(user("auditor")).exists()  # no ledger permission, no rollup
    assert census_rows(user("auditor")).count() == 0


def test_subtree_and_city_censuses_read_one_organisations_rollup_rows() -> None:
    chengfa = org("市城发集团")
    rows = census_rows(user("chengfa"), chengfa)
    assert rows.model is AssetRollup
    assert set(rows.values_list("organization", flat=True)) == {chengfa.pk}
    city = census_rows(user("guoziwei"))
    roots = set(Organization.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    assert city.model is AssetRollup
    assert set(city.values_list("organization", flat=True)) == roots
    assert census(city).total.count == Asset.objects.count()
    assert census_rows(user("chengfa"), chengfa, subtree=False).model is AssetSummary


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's plans are in docs/assets.md")
def test_sqlite_reads_a_subtree_census_from_the_rollup_index() -> None:
    for reader, enterprise in (("chengfa", org("市城发集团")), ("guoziwei", None)):
        plan = summary_groups(census_rows(user(reader), enterprise)).explain()
        assert "SEARCH assets_assetrollup USING INDEX sqlite_autoindex_assets_assetrollup_1 (organization_id=?)" in plan


@pytest.mark.parametrize("reader", ["guoziwei", "chengfa", "own_scope", "auditor"])
def test_many_censuses_at_once_equal_each_census_alone(reader: str) -> None:
    own_scope_reader()
    reader_user = user(reader)
    enterprises = list(Organization.objects.all())
    alone = {e.pk: census(census_rows(reader_user, e)) for e in enterprises}
    assert reader == "auditor" or any(found.total.count for found in alone.values())
    with CaptureQueriesContext(connection) as queries:
        at_once = censuses(reader_user, enterprises)
    assert at_once == alone
    if reader == "guoziwei":
        # Every subtree whole: the same few queries for any number of enterprises (a report names
        # hundreds): the whole subtrees, the classes, and a GROUP BY per class, utilisation, package.
        assert len(enterprises) > 10
        assert len(queries) <= 5


def test_an_array_literal_reads_back_as_its_values() -> None:
    """The PostgreSQL upsert's one-string arrays: quotes, backslashes, empty text, Chinese."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's array syntax")
    texts = ['a"b', "c\\d", "", "中文", "in_use", "{x,y}"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[]",
            [summaries._array_literal(texts, "text"), summaries._array_literal([1, -2, 10**15], "bigint")],
        )
        assert cursor.fetchone() == (texts, [1, -2, 10**15])
        cursor.execute("SELECT %s::text[]", [summaries._array_literal([""], "text")])
        assert cursor.fetchone() == ([""],)


def test_statistics_are_gathered_again_after_a_write_of_a_tenth_of_the_rollup() -> None:
    assert summaries.worth_analyzing(100, -1)  # never analysed
    assert summaries.worth_analyzing(100, 1000)
    assert not summaries.worth_analyzing(99, 1000)
    assert summaries.worth_analyzing(0, 0)


def test_a_large_write_analyzes_the_summaries_once_committed(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL: after a write of many groups, ANALYZE of the summary and the rollup runs, after
    the commit; below ``ANALYZE_FROM`` groups (a hand edit) it does not."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics; SQLite's plans are pinned by their own tests")

    def create(code: str) -> None:
        asset_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data={
                "enterprise": org("市城发集团"),
                "code": code,
                "name": "统计测试资产",
                "category_id": AssetCategory.objects.order_by("pk").values_list("pk", flat=True).first(),
                "book_value": Decimal("12.34"),
                "certificate": CertificateStatus.DONE,
                "utilisation": Utilisation.IN_USE,
                "package": "",
            },
        )

    def analyzes(code: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            create(code)
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]

    assert analyzes("STAT-1") == []  # one asset: a few groups, far below ANALYZE_FROM
    monkeypatch.setattr(summaries, "ANALYZE_FROM", 1)
    monkeypatch.setattr(summaries, "_rollup_rows", lambda: -1.0)  # as after a TRUNCATE
    with caplog.at_level("ERROR"):
        assert analyzes("STAT-2") == ['ANALYZE (SKIP_LOCKED) "assets_assetsummary", "assets_assetrollup"']
    assert not [r for r in caplog.records if r.levelname == "ERROR"], caplog.records  # it ran, and did not fail
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'assets_assetrollup'")
        assert cursor.fetchone()[0] >= 0  # PostgreSQL now knows the table


def test_a_rebuild_analyzes_the_summaries_once_committed(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """PostgreSQL: the rebuild writes both tables anew, and gathers their statistics as a large import does."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics; SQLite's plans are pinned by their own tests")

    def analyzes() -> list[str]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            summaries.rebuild()
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]

    assert analyzes() == []  # the demo's rollup: far below ANALYZE_FROM groups
    monkeypatch.setattr(summaries, "ANALYZE_FROM", 1)
    assert analyzes() == ['ANALYZE (SKIP_LOCKED) "assets_assetsummary", "assets_assetrollup"']
    assert_summary_equals_ledger("the rebuild")
