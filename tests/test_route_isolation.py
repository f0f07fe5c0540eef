"""Every route, every user: nothing outside the user's scope is shown, changed or created.

The routes come from Django's URL resolver and the API's OpenAPI document, so a
new route must be classified here (or be a generic model page, which classifies
itself by its declared model) or :func:`test_every_route_is_classified` fails.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from guozi.api import DOC_ROUTES
from guozi.core.api.base import ISOLATION_KINDS
from guozi.core.audit import DENIAL_STATUSES
from guozi.core.inventory import Route, api_routes, generic_routes, openapi_path, walk
from guozi.core.models import AuditEvent, AuditEventKind, ChangeRecord, LoginRecord, Organization, Role, User
from guozi.core.scope import holds_duty
from guozi.core.testing import client_for
from guozi.core.views import generic
from guozi.funds.models import Fund, Partner
from guozi.supervision.models import Indicator, Plan, ProgressReport, TargetTask

pytestmark = pytest.mark.usefixtures("demo_world")

#: Routes that show no organisation's data.
PUBLIC = {"healthz", "login", "set_language", "public_reports", "public_report"}
SESSION_ONLY = {"logout", "password_change", "otp_verify", "otp_enrol", *(f"api:{name}" for name in DOC_ROUTES)}
#: Routes with data of their own, probed by a test of their own below.
SPECIAL = {"home": "test_home_counts_only_what_the_user_sees", "api:me": "test_api_me_is_the_user_itself"}

#: API operations of kind "special", each with the test that covers it.
SPECIAL_API = {("get", "/api/me"): "test_api_me_is_the_user_itself"}

USERNAMES = ["ducha", "guoziwei", "chengfa", "gaotou", "lingdao", "sysadmin", "secadmin", "auditor"]
#: Foreign objects probed per model, route, method and user (the chengfa/高投 pair gets all).
SAMPLE = 4


def test_every_route_is_classified() -> None:
    generic_names = {route.name for route in generic_routes()}
    api_paths = {route.path for route in api_routes()}
    unclassified = []
    for path, name, _ in walk():
        if name in PUBLIC | SESSION_ONLY | SPECIAL.keys() | generic_names:
            continue
        if name.startswith("api:") and openapi_path(path) in api_paths:
            continue
        unclassified.append(f"{name or '?'} {path}")
    assert unclassified == [], "routes without an isolation test; classify them in this file"
    undeclared = [route.name for route in api_routes() if route.kind not in ISOLATION_KINDS or route.model is None]
    assert undeclared == [], "API operations without openapi_extra=isolation(model, kind)"
    specials = {tuple(route.name.split(" ", 1)) for route in api_routes() if route.kind == "special"}
    assert specials == set(SPECIAL_API), "special API operations need a test of their own, listed in SPECIAL_API"


def test_public_routes_are_few_and_hold_no_data() -> None:
    anonymous = Client()
    for path, name, _ in walk():
        response = anonymous.get(path.replace("<int:pk>", "1"))
        if name in PUBLIC:
            # 404: a public report page for a report that is not published (test_public_reports).
            assert response.status_code in {200, 302, 404, 405}, name
        elif name.startswith("api:") and name.removeprefix("api:") not in DOC_ROUTES:
            assert response.status_code in {401, 405}, name  # 405: a POST-only operation
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name


# --- who sees what -----------------------------------------------------------------------------


def allowed(username: str, model: type[models.Model]) -> models.QuerySet[Any]:
    return model.objects.restrict(User.objects.get(username=username), "view")  # type: ignore[attr-defined,no-any-return]


def opens(username: str, route: Route) -> bool:
    """Whether a page of one administrator's duty (``ScopedView.duty``) opens to the user at all."""
    return not route.duty or holds_duty(User.objects.get(username=username), route.duty)


def foreign(username: str, model: type[models.Model], sample: int | None = SAMPLE) -> list[Any]:
    rows = list(model.objects.exclude(pk__in=allowed(username, model).values("pk")).order_by("pk"))  # type: ignore[attr-defined]
    if sample is None or len(rows) <= sample:
        return rows
    step = len(rows) / sample
    return [rows[int(i * step)] for i in range(sample)]


def fingerprint() -> str:
    """A digest of every row the probes could touch: equal before and after means nothing changed."""
    # Sign-ins of the probing users themselves move last_login and the login log.
    # Refusals are audit events: those change by design (counted by the object probe).
    models_ = sorted((set(generic.REGISTRY) | {ChangeRecord}) - {LoginRecord, AuditEvent}, key=lambda m: m._meta.label)
    data = [
        [{k: v for k, v in row.items() if k != "last_login"} for row in model.objects.order_by("pk").values()]  # type: ignore[attr-defined]
        for model in models_
    ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def probe_targets(username: str, model: type[models.Model]) -> list[Any]:
    # chengfa against everything of 市高投集团's tree, everyone else against a sample.
    if username == "chengfa":
        gaotou = allowed("gaotou", model)
        return list(
            model.objects.exclude(pk__in=allowed("chengfa", model).values("pk")).filter(pk__in=gaotou.values("pk"))
        ) + foreign(username, model)  # type: ignore[attr-defined]
    return foreign(username, model)


#: pytest's record_property: the probe counts go into the --junitxml report.
Record = Callable[[str, object], None]


def test_objects_outside_the_scope_answer_404_and_stay_unchanged(record_property: Record) -> None:
    before = fingerprint()
    denials_before = AuditEvent.objects.filter(kind=AuditEventKind.DENIED).count()
    probes = denials = 0
    routes: set[tuple[str, str]] = set()
    leaks: list[str] = []
    for username in USERNAMES:
        client = client_for(username)
        for route in generic_routes() + api_routes():
            if route.kind != "object" or route.model is None:
                continue
            targets = probe_targets(username, route.model)
            is_api = " " in route.name
            methods = [route.name.split()[0]] if is_api else ["get", "post"]
            for obj in targets:
                url = route.path.replace("{pk}", str(obj.pk))
                for method in methods:
                    routes.add((route.path, method))
                    kwargs: dict[str, Any] = {"content_type": "application/json", "data": "{}"}
                    if method in {"get", "delete"}:
                        kwargs = {}
                    response = getattr(client, method)(url, **kwargs)
                    probes += 1
                    denials += response.status_code in DENIAL_STATUSES
                    where = f"{username} {method.upper()} {url}"
                    if str(obj) in response.content.decode():
                        leaks.append(f"{where} shows {obj}")
                    if is_api:
                        # The API checks a body before the object: an empty one gets 422 either way.
                        # What must hold is that a foreign object answers exactly like a missing one.
                        missing = getattr(client, method)(route.path.replace("{pk}", "999999"), **kwargs)
                        denials += missing.status_code in DENIAL_STATUSES
                        if (response.status_code, response.content) != (missing.status_code, missing.content):
                            leaks.append(f"{where} answers {response.status_code}, unlike a missing object")
                        if response.status_code not in {404, 405, 422}:
                            leaks.append(f"{where} answers {response.status_code}")
                    elif response.status_code not in {404, 405}:
                        # 405 (a read-only page) answers the same whether or not the object exists.
                        leaks.append(f"{where} answers {response.status_code}")
    if fingerprint() != before:
        leaks.append("the probes changed the database")
    figure = f"{probes} probes of {len(routes)} route × method pairs by {len(USERNAMES)} users, {len(leaks)} leaks"
    record_property("isolation", figure)  # printed at the end of the run (conftest.py)
    record_property("probes", probes)  # reported with --junitxml
    assert leaks == [], leaks[:20]
    assert probes > 300  # the probe set is real, not emptied by a bug in this test
    # Every refusal is on the audit trail (8.1.4.3 a): the probing is visible to the auditor.
    assert AuditEvent.objects.filter(kind=AuditEventKind.DENIED).count() - denials_before == denials


def _names(queryset: models.QuerySet[Any]) -> list[str]:
    return [str(obj) for obj in queryset]


def _leaks(username: str, model: type[models.Model], text: str) -> list[str]:
    """Foreign objects whose name shows in ``text`` (names inside a visible name are skipped)."""
    visible = _names(allowed(username, model))
    if model is Organization:
        # A unit's own record names its parent: the supervising units above it are no secret.
        own = User.objects.get(username=username).organization
        visible += [str(o) for o in Organization.objects.ancestors(own)] if own else []
    return [
        str(obj)
        for obj in foreign(username, model, sample=None)
        if str(obj) in text and not any(str(obj) in name for name in visible)
    ]


def test_lists_and_exports_hold_exactly_the_users_scope() -> None:
    for username in USERNAMES:
        client = client_for(username)
        for route in generic_routes():
            if route.kind not in {"list", "export"}:
                continue
            assert route.model is not None
            # Counted first: reading the audit trail adds an event to it.
            expected = allowed(username, route.model).count() if opens(username, route) else 0
            response = client.get(route.path, {"per_page": 100000})
            if not expected and response.status_code == 403:
                continue
            assert response.status_code == 200, f"{username} {route.path}"
            if route.kind == "export":
                sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
                rows = list(sheet.iter_rows(values_only=True))[1:]
                assert len(rows) == expected, f"{username} {route.path}"
                text = "\n".join(str(cell) for row in rows for cell in row)
            else:
                text = response.content.decode()
                linked = {int(pk) for pk in re.findall(rf"{route.path}(\d+)/", text)}
                assert linked <= set(allowed(username, route.model).values_list("pk", flat=True))
            assert _leaks(username, route.model, text) == [], f"{username} {route.path}"


def test_api_lists_hold_exactly_the_users_scope() -> None:
    for username in USERNAMES:
        client = client_for(username)
        for route in api_routes():
            if route.kind != "list":
                continue
            assert route.model is not None
            body = client.get(route.path, {"page_size": 1000}).json()
            ids = {item["id"] for item in body["items"]}
            assert ids == set(allowed(username, route.model).values_list("pk", flat=True)), f"{username} {route.path}"
            assert body["count"] == len(ids)


@dataclass(frozen=True)
class CreateProbe:
    """How to ask a create route for a row tied to a foreign ``target`` of model ``foreign``."""

    foreign: type[models.Model]
    body: Callable[[str, Any], dict[str, Any]]
    json: bool = False


#: Every create route, page or API; a new one without an entry fails the sweep.
CREATE_PROBES: dict[str, CreateProbe] = {
    "/api/organizations": CreateProbe(
        Organization, lambda tag, o: {"name": tag, "kind": "enterprise", "parent_id": o.pk}, json=True
    ),
    "/core/organization/add/": CreateProbe(
        Organization, lambda tag, o: {"name": tag, "kind": "enterprise", "parent": o.pk, "sort_order": 0}
    ),
    "/core/user/add/": CreateProbe(
        Organization, lambda tag, o: {"username": tag, "organization": o.pk, "password": "Xq7!pLm2#zK"}
    ),
    "/supervision/plan/add/": CreateProbe(
        Organization, lambda tag, o: {"name": tag, "kind": "campaign", "year": 2025, "issuer": o.pk}
    ),
    "/supervision/targettask/add/": CreateProbe(
        Organization,
        lambda tag, o: {"plan": Plan.objects.first().pk, "number": 999, "text": tag, "lead_unit": o.pk},  # type: ignore[union-attr]
    ),
    "/api/funds": CreateProbe(
        Organization,
        lambda tag, o: {"name": tag, "short_name": tag, "kind": "special", "target_size": "1", "sponsor_id": o.pk},
        json=True,
    ),
    "/funds/fund/add/": CreateProbe(
        Organization,
        lambda tag, o: {"name": tag, "short_name": tag, "kind": "special", "target_size": "1", "sponsor": o.pk},
    ),
    "/funds/partner/add/": CreateProbe(
        Fund, lambda tag, f: {"fund": f.pk, "outside_name": tag, "role": "lp", "commitment": "1"}
    ),
    "/funds/contribution/add/": CreateProbe(
        Partner, lambda tag, p: {"partner": p.pk, "paid_on": "2025-10-01", "amount": "0.01"}
    ),
    "/funds/stageentry/add/": CreateProbe(Fund, lambda tag, f: {"fund": f.pk, "stage": 80, "entered_on": "2030-01-01"}),
    "/funds/gate/add/": CreateProbe(
        Fund, lambda tag, f: {"fund": f.pk, "kind": "approval", "description": tag, "since": "2025-10-01"}
    ),
    "/supervision/workitem/add/": CreateProbe(
        TargetTask,
        lambda tag, t: {
            "task": t.pk,
            "title": tag,
            "kind": "key_work",
            "owner_unit": t.lead_unit_id,
            "weight": "1",
            "status": "not_started",
            "progress_method": "status",
        },
    ),
    "/supervision/milestone/add/": CreateProbe(
        TargetTask, lambda tag, t: {"task": t.pk, "title": tag, "planned_on": "2025-12-01"}
    ),
    "/supervision/indicator/add/": CreateProbe(
        TargetTask,
        lambda tag, t: {
            "task": t.pk,
            "name": tag,
            "unit": "项",
            "target": "1",
            "direction": "higher",
            "source": "entered",
        },
    ),
    "/supervision/indicatorvalue/add/": CreateProbe(
        Indicator, lambda tag, i: {"indicator": i.pk, "period_end": "2030-12-31", "value": "1"}
    ),
    "/supervision/problem/add/": CreateProbe(
        TargetTask,
        lambda tag, t: {
            "task": t.pk,
            "description": tag,
            "found_on": "2025-10-01",
            "owner_unit": t.lead_unit_id,
            "due_on": "2025-12-31",
        },
    ),
    "/supervision/reportinground/add/": CreateProbe(
        Plan,
        lambda tag, p: {
            "plan": p.pk,
            "year": 2031,
            "quarter": 1,
            "period_end": "2031-03-31",
            "due_on": "2031-04-10",
            "grace_days": 0,
        },
    ),
    "/supervision/reportcontribution/add/": CreateProbe(ProgressReport, lambda tag, r: {"report": r.pk, "text": tag}),
    "/reports/generatedreport/add/": CreateProbe(
        Organization,
        lambda tag, o: {
            "plan": Plan.objects.first().pk,
            "year": 2025,
            "quarter": 3,
            "unit": o.pk,  # type: ignore[union-attr]
            "addressee": tag,
        },
    ),
    "/api/work-items": CreateProbe(
        TargetTask,
        lambda tag, t: {"task_id": t.pk, "title": tag, "owner_unit_id": t.lead_unit_id},
        json=True,
    ),
    "/api/milestones": CreateProbe(
        TargetTask, lambda tag, t: {"task_id": t.pk, "title": tag, "planned_on": "2025-12-01"}, json=True
    ),
    "/api/problems": CreateProbe(
        TargetTask,
        lambda tag, t: {
            "task_id": t.pk,
            "description": tag,
            "found_on": "2025-10-01",
            "owner_unit_id": t.lead_unit_id,
            "due_on": "2025-12-31",
        },
        json=True,
    ),
    "/api/rounds": CreateProbe(
        Plan,
        lambda tag, p: {
            "plan_id": p.pk,
            "year": 2031,
            "quarter": 1,
            "period_end": "2031-03-31",
            "due_on": "2031-04-10",
            "task_ids": [],
        },
        json=True,
    ),
    "/funds/managerterm/add/": CreateProbe(
        Fund, lambda tag, f: {"fund": f.pk, "manager": tag, "started_on": "2030-01-01"}
    ),
    "/assets/asset/add/": CreateProbe(
        Organization,
        lambda tag, o: {
            "enterprise": o.pk,
            "code": tag,
            "name": tag,
            "category": apps.get_model("assets.AssetCategory").objects.get(name="房屋").pk,
            "quantity": 1,
            "book_value": "1",
            "certificate": "not_needed",
            "utilisation": "in_use",
        },
    ),
    "/assets/revitalization/add/": CreateProbe(
        apps.get_model("assets.Asset"),
        lambda tag, a: {
            "asset": a.pk,
            "method": "sale",
            "revitalized_on": "2025-10-01",
            "value": "1",
            "cash": "1",
            "counterparty": tag,
        },
    ),
    "/assets/assettransfer/add/": CreateProbe(
        Organization,
        lambda tag, o: {
            "kind": "injection",
            "title": tag,
            "from_organization": Organization.objects.get(short_name="市政府").pk,
            "to_organization": o.pk,
            "transferred_on": "2025-10-01",
        },
    ),
    "/assets/financialsnapshot/add/": CreateProbe(
        Organization,
        lambda tag, o: {
            "enterprise": o.pk,
            "as_of": "2025-10-01",
            "total_assets": "1",
            "total_liabilities": "1",
            "financing_cost_rate": "1",
            "note": tag,
        },
    ),
    # A ledger file naming the foreign organisation as the asset's enterprise: refused as a bad row.
    "/assets/import/": CreateProbe(
        Organization,
        lambda tag, o: {
            "file": type("LedgerCsv", (io.BytesIO,), {"name": f"{tag}.csv"})(
                "单位：万元\n"
                "资产编号,所属企业,资产名称,资产类别,坐落位置,面积(㎡),数量,账面原值(万元),账面价值(万元),"
                f"取得日期,权证状态,使用状态,资产包,备注\n{tag},{o.name},{tag},房屋,,,1,,1,,无需办证,在用,,\n".encode()
            )
        },
    ),
    # Only the SASAC (all organisations) adds registry rows: for everyone else each add page is 404.
    "/enterprises/enterpriseprofile/add/": CreateProbe(
        Organization,
        lambda tag, o: {
            "organization": o.pk,
            "credit_code": "91110000802100433B",
            "level": 1,
            "ownership": "city",
            "status": "active",
        },
    ),
    "/enterprises/governancerecord/add/": CreateProbe(
        Organization, lambda tag, o: {"organization": o.pk, "kind": "board", "title": tag, "done_on": "2025-10-01"}
    ),
    "/enterprises/creditrating/add/": CreateProbe(
        Organization, lambda tag, o: {"organization": o.pk, "agency": tag, "grade": "AAA", "rated_on": "2025-10-01"}
    ),
    "/enterprises/headcount/add/": CreateProbe(
        Organization, lambda tag, o: {"organization": o.pk, "as_of": "2025-10-01", "staff_quota": 1, "note": tag}
    ),
    "/enterprises/restructuring/add/": CreateProbe(
        Organization,
        lambda tag, o: {"done_on": "2025-10-01", "document_number": tag, "result": o.pk, "merged": [o.pk]},
    ),
}


def test_creating_against_foreign_rows_is_refused(record_property: Record) -> None:
    create_routes = {route.path for route in generic_routes() + api_routes() if route.kind == "create"}
    assert create_routes == set(CREATE_PROBES), "every create route needs a CreateProbe"
    before = fingerprint()
    probes = 0
    leaks: list[str] = []
    for username in USERNAMES:
        client = client_for(username)
        for path, probe in CREATE_PROBES.items():
            for target in probe_targets(username, probe.foreign):
                body = probe.body(f"probe{username}{target.pk}", target)
                if probe.json:
                    response = client.post(path, body, content_type="application/json")
                else:
                    response = client.post(path, body)
                probes += 1
                if response.status_code not in {400, 401, 403, 404, 422}:
                    leaks.append(f"{username} {path} {target} answers {response.status_code}")
    if fingerprint() != before:
        leaks.append("the probes changed the database")
    figure = f"{probes} create probes with foreign ids by {len(USERNAMES)} users, {len(leaks)} accepted"
    record_property("isolation", figure)
    record_property("probes", probes)
    assert leaks == [], leaks[:20]
    assert probes > 50


def test_home_counts_only_what_the_user_sees() -> None:
    response = client_for("chengfa").get("/")
    assert response.context["organization_count"] == allowed("chengfa", Organization).count() == 4
    assert "咸宁高新投资集团有限公司" not in response.content.decode()


def test_api_me_is_the_user_itself() -> None:
    for username in USERNAMES:
        body = client_for(username).get("/api/me").json()
        assert body["username"] == username


# --- the fixture world: three enterprise trees two levels deep, one user per role per node -----

#: A grandchild under each demo group, so that every tree is two levels deep.
GRANDCHILDREN = {
    "振宁押运": "振宁押运一分公司",
    "高投基金公司": "高投基金一号",
    "市国资公司": ("国资资产公司", "国资资产一部"),
}


@pytest.fixture
def three_trees() -> list[str]:
    """One user per role at every node of 市城发集团, 市高投集团 and 市国资公司 (SECURITY.md, fixture world)."""
    for parent, names in GRANDCHILDREN.items():
        node = Organization.objects.get(short_name=parent)
        for name in names if isinstance(names, tuple) else (names,):
            node = Organization.objects.create(name=name, short_name=name, kind="enterprise", parent=node)
    usernames = []
    for root in ("市城发集团", "市高投集团", "市国资公司"):
        for node in Organization.objects.descendants(Organization.objects.get(short_name=root), include_self=True):
            for role in Role.objects.all():
                account = User.objects.create(username=f"w{node.pk}-{role.code}", organization=node)
                account.groups.add(role)
                usernames.append(account.username)
    return usernames


def test_every_role_at_every_node_of_three_trees_sees_only_its_scope(
    three_trees: list[str], record_property: Record
) -> None:
    probes = 0
    leaks: list[str] = []
    for username in three_trees:
        client = client_for(username)
        for route in api_routes():
            if route.kind != "list":
                continue
            assert route.model is not None
            ids = {item["id"] for item in client.get(route.path, {"page_size": 1000}).json()["items"]}
            probes += 1
            if ids != set(allowed(username, route.model).values_list("pk", flat=True)):
                leaks.append(f"{username} {route.path}")
        if not username.endswith("-enterprise_staff"):
            continue  # roles reaching every organisation see the same from any node: their lists prove it
        for route in generic_routes() + api_routes():
            if route.model is None:
                continue
            if route.kind == "list" and " " not in route.name:
                text = client.get(route.path, {"per_page": 100000}).content.decode()
                linked = {int(pk) for pk in re.findall(rf"{route.path}(\d+)/", text)}
                probes += 1
                if not linked <= set(allowed(username, route.model).values_list("pk", flat=True)):
                    leaks.append(f"{username} {route.path} links outside the scope")
            if route.kind != "object":
                continue
            is_api = " " in route.name
            method = route.name.split()[0] if is_api else "get"
            for obj in foreign(username, route.model, sample=1):
                response = getattr(client, method)(route.path.replace("{pk}", str(obj.pk)))
                probes += 1
                if str(obj) in response.content.decode():
                    leaks.append(f"{username} {method.upper()} {route.path} shows {obj}")
                # As in the sweep above: the API answers a foreign object exactly like a missing one.
                expected = getattr(client, method)(route.path.replace("{pk}", "999999")) if is_api else None
                if (expected is not None and response.content != expected.content) or response.status_code not in {
                    404,
                    405,
                    *({400, 422} if is_api else ()),
                }:
                    leaks.append(f"{username} {method.upper()} {route.path} {obj}: {response.status_code}")
    nodes = len({name.split("-")[0] for name in three_trees})
    roles = Role.objects.count()
    figure = f"{probes} probes by {len(three_trees)} users ({nodes} nodes × {roles} roles), {len(leaks)} leaks"
    record_property("isolation", figure)
    assert leaks == [], leaks[:20]
    assert probes > 1000
