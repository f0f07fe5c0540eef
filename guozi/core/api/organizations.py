from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from guozi.core.api.base import (
    Pages,
    actor,
    checked_if_match,
    edited_version,
    get_related,
    get_scoped,
    isolation,
    origin,
    scoped,
    tag,
)
from guozi.core.choices import OrganizationKind
from guozi.core.models import Organization
from guozi.core.services.organizations import organization_create, organization_delete, organization_update

router = Router(tags=["organisations"])


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganizationKind
    parent_id: int | None
    region: str
    sort_order: int
    is_active: bool


class OrganizationIn(Schema):
    name: str
    short_name: str = ""
    kind: OrganizationKind
    parent_id: int | None = None
    region: str = ""
    sort_order: int = 0
    is_active: bool = True


class OrganizationPatch(Schema):
    #: The version the edit started from, for clients that do not send ``If-Match``.
    version: int | None = None
    name: str | None = None
    short_name: str | None = None
    kind: OrganizationKind | None = None
    parent_id: int | None = None
    region: str | None = None
    sort_order: int | None = None
    is_active: bool | None = None


def _data(request: HttpRequest, payload: Schema, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    if "parent_id" in data:
        data["parent"] = get_related(request, Organization, data.pop("parent_id"), "parent_id")
    return data


ORG = "core.Organization"


@router.get("/organizations", response=list[OrganizationOut], openapi_extra=isolation(ORG, "list"))
@paginate(Pages, page_size=50)
def organization_list(request: HttpRequest) -> Any:
    return scoped(request, Organization)


@router.get("/organizations/{int:pk}", response=OrganizationOut, openapi_extra=isolation(ORG, "object"))
def organization_detail(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    organization = get_scoped(request, Organization, pk)
    tag(response, organization)
    return organization


@router.post("/organizations", response={201: OrganizationOut}, openapi_extra=isolation(ORG, "create"))
def organization_add(request: HttpRequest, payload: OrganizationIn) -> Any:
    data = _data(request, payload, partial=False)
    organization = organization_create(actor=actor(request), origin=origin(request), data=data)
    return Status(201, organization)


@router.patch("/organizations/{int:pk}", response=OrganizationOut, openapi_extra=isolation(ORG, "object"))
def organization_edit(request: HttpRequest, pk: int, payload: OrganizationPatch, response: HttpResponse) -> Any:
    organization = get_scoped(request, Organization, pk, "change")
    data = _data(request, payload, partial=True)
    data["version"] = edited_version(request, organization, data.pop("version", None))
    updated = organization_update(actor=actor(request), origin=origin(request), organization=organization, data=data)
    tag(response, updated)
    return updated


@router.delete("/organizations/{int:pk}", response={204: None}, openapi_extra=isolation(ORG, "object"))
def organization_remove(request: HttpRequest, pk: int) -> Any:
    organization = get_scoped(request, Organization, pk, "delete")
    checked_if_match(request, organization)
    organization_delete(actor=actor(request), origin=origin(request), organization=organization)
    return Status(204, None)
