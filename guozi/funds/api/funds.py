"""Funds under /api/: read with computed state, write through the same services as the pages."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from guozi.core.api.base import Pages, actor, edited_version, get_related, get_scoped, isolation, origin, scoped, tag
from guozi.core.models import Organization
from guozi.funds.choices import FundKind, GateKind, PartnerRole, Stage
from guozi.funds.models import Fund, Gate, Partner
from guozi.funds.selectors import FundState, fund_states
from guozi.funds.services.funds import fund_create, fund_update
from guozi.funds.services.partners import contribution_create, partner_create
from guozi.funds.services.stages import gate_create, stage_entry_create
from guozi.supervision.models import TargetTask

router = Router(tags=["funds"])
FUND = "funds.Fund"


class StageOut(Schema):
    stage: Stage
    label: str
    entered_on: date
    note: str


class PartnerOut(Schema):
    id: int
    name: str
    organization_id: int | None
    role: PartnerRole
    commitment: Decimal
    paid_in: Decimal


class FundOut(Schema):
    """Amounts in 元; ``leverage`` is social capital per 元 of fund size."""

    id: int
    name: str
    short_name: str
    kind: FundKind
    target_size: Decimal
    focus_industries: str
    sponsor_id: int
    parent_id: int | None
    target_task_id: int | None
    planned_social_capital: Decimal | None
    leverage: Decimal | None
    current_stage: Stage | None
    days_in_stage: int | None
    waiting_on: list[str]
    committed: Decimal
    paid_in: Decimal
    stages: list[StageOut]
    partners: list[PartnerOut]


def _out(state: FundState) -> dict[str, Any]:
    fund = state.fund
    return {
        **{
            name: getattr(fund, name)
            for name in (
                "id",
                "name",
                "short_name",
                "kind",
                "target_size",
                "focus_industries",
                "sponsor_id",
                "parent_id",
                "target_task_id",
                "planned_social_capital",
                "leverage",
            )
        },
        "current_stage": state.current_stage,
        "days_in_stage": state.days_in_stage,
        "waiting_on": [gate.text for gate in state.waiting_on],
        "committed": state.committed,
        "paid_in": state.paid_in,
        "stages": [
            {"stage": e.stage, "label": e.get_stage_display(), "entered_on": e.entered_on, "note": e.note}
            for e in state.stages
        ],
        "partners": [
            {
                "id": p.partner.pk,
                "name": p.partner.name,
                "organization_id": p.partner.organization_id,
                "role": p.partner.role,
                "commitment": p.commitment,
                "paid_in": p.paid_in,
            }
            for p in state.partners
        ],
    }


def _fund_out(request: HttpRequest, pk: int, as_of: date | None = None) -> dict[str, Any]:
    (state,) = fund_states(scoped(request, Fund).filter(pk=pk), as_of)
    return _out(state)


class FundIn(Schema):
    name: str
    short_name: str
    kind: FundKind
    target_size: Decimal
    focus_industries: str = ""
    sponsor_id: int
    parent_id: int | None = None
    target_task_id: int | None = None
    planned_social_capital: Decimal | None = None
    note: str = ""


class FundPatch(Schema):
    #: The version the edit started from, for clients that do not send ``If-Match``.
    version: int | None = None
    name: str | None = None
    short_name: str | None = None
    kind: FundKind | None = None
    target_size: Decimal | None = None
    focus_industries: str | None = None
    planned_social_capital: Decimal | None = None
    note: str | None = None


class StageIn(Schema):
    stage: Stage
    entered_on: date
    note: str = ""


class PartnerIn(Schema):
    organization_id: int | None = None
    outside_name: str = ""
    role: PartnerRole = PartnerRole.LP
    commitment: Decimal


class ContributionIn(Schema):
    paid_on: date
    amount: Decimal
    note: str = ""


class GateIn(Schema):
    kind: GateKind
    description: str
    since: date
    awaited_fund_id: int | None = None
    awaited_partner_id: int | None = None


@router.get("/funds", response=list[FundOut], openapi_extra=isolation(FUND, "list"))
@paginate(Pages, page_size=50)
def fund_list(request: HttpRequest, as_of: date | None = None) -> Any:
    return [_out(state) for state in fund_states(scoped(request, Fund), as_of)]


@router.get("/funds/{int:pk}", response=FundOut, openapi_extra=isolation(FUND, "object"))
def fund_detail(request: HttpRequest, pk: int, response: HttpResponse, as_of: date | None = None) -> Any:
    tag(response, get_scoped(request, Fund, pk))
    return _fund_out(request, pk, as_of)


@router.post("/funds", response={201: FundOut}, openapi_extra=isolation(FUND, "create"))
def fund_add(request: HttpRequest, payload: FundIn) -> Any:
    data = payload.dict()
    data["sponsor"] = get_related(request, Organization, data.pop("sponsor_id"), "sponsor_id")
    data["parent"] = get_related(request, Fund, data.pop("parent_id"), "parent_id")
    data["target_task"] = get_related(request, TargetTask, data.pop("target_task_id"), "target_task_id")
    fund = fund_create(actor=actor(request), origin=origin(request), data=data)
    return Status(201, _fund_out(request, fund.pk))


@router.patch("/funds/{int:pk}", response=FundOut, openapi_extra=isolation(FUND, "object"))
def fund_edit(request: HttpRequest, pk: int, payload: FundPatch, response: HttpResponse) -> Any:
    fund = get_scoped(request, Fund, pk, "change")
    data = payload.dict(exclude_unset=True)
    data["version"] = edited_version(request, fund, data.pop("version", None))
    tag(response, fund_update(actor=actor(request), origin=origin(request), fund=fund, data=data))
    return _fund_out(request, pk)


@router.post("/funds/{int:pk}/stages", response={201: FundOut}, openapi_extra=isolation(FUND, "object"))
def fund_enter_stage(request: HttpRequest, pk: int, payload: StageIn) -> Any:
    fund = get_scoped(request, Fund, pk, "change")
    stage_entry_create(actor=actor(request), origin=origin(request), data={"fund": fund, **payload.dict()})
    return Status(201, _fund_out(request, pk))


@router.post("/funds/{int:pk}/partners", response={201: FundOut}, openapi_extra=isolation(FUND, "object"))
def fund_add_partner(request: HttpRequest, pk: int, payload: PartnerIn) -> Any:
    fund = get_scoped(request, Fund, pk, "change")
    data = payload.dict()
    data["organization"] = get_related(request, Organization, data.pop("organization_id"), "organization_id")
    partner_create(actor=actor(request), origin=origin(request), data={"fund": fund, **data})
    return Status(201, _fund_out(request, pk))


@router.post("/funds/{int:pk}/gates", response={201: FundOut}, openapi_extra=isolation(FUND, "object"))
def fund_add_gate(request: HttpRequest, pk: int, payload: GateIn) -> Any:
    fund = get_scoped(request, Fund, pk, "change")
    data = payload.dict()
    data["awaited_fund"] = get_related(request, Fund, data.pop("awaited_fund_id"), "awaited_fund_id")
    data["awaited_partner"] = get_related(request, Partner, data.pop("awaited_partner_id"), "awaited_partner_id")
    gate_create(actor=actor(request), origin=origin(request), data={"fund": fund, **data})
    return Status(201, _fund_out(request, pk))


@router.post(
    "/partners/{int:pk}/contributions",
    response={201: FundOut},
    openapi_extra=isolation("funds.Partner", "object"),
)
def partner_add_contribution(request: HttpRequest, pk: int, payload: ContributionIn) -> Any:
    partner = get_scoped(request, Partner, pk, "change")
    contribution_create(actor=actor(request), origin=origin(request), data={"partner": partner, **payload.dict()})
    return Status(201, _fund_out(request, partner.fund_id))


@router.get("/gates/{int:pk}", response=dict[str, Any], openapi_extra=isolation("funds.Gate", "object"))
def gate_detail(request: HttpRequest, pk: int) -> Any:
    gate: Gate = get_scoped(request, Gate, pk)
    return {
        "id": gate.pk,
        "fund_id": gate.fund_id,
        "kind": gate.kind,
        "description": gate.description,
        "since": gate.since,
        "cleared_on": gate.cleared_on,
    }
