from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from guozi.core.api.base import Pages, get_scoped, isolation, scoped
from guozi.core.models import User

router = Router(tags=["users"])


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    organization_id: int | None
    is_active: bool


class MeOut(UserOut):
    roles: list[str]


@router.get("/me", response=MeOut, openapi_extra=isolation("core.User", "special"))
def me(request: HttpRequest) -> Any:
    user: User = request.user  # type: ignore[assignment]
    return {**UserOut.from_orm(user).dict(), "roles": sorted(user.roles.values_list("code", flat=True))}


@router.get("/users", response=list[UserOut], openapi_extra=isolation("core.User", "list"))
@paginate(Pages, page_size=50)
def user_list(request: HttpRequest) -> Any:
    return scoped(request, User).select_related("organization")


@router.get("/users/{int:pk}", response=UserOut, openapi_extra=isolation("core.User", "object"))
def user_detail(request: HttpRequest, pk: int) -> Any:
    return get_scoped(request, User, pk)
