"""What every API endpoint stands on: scoped reads and service errors as HTTP answers.

An endpoint reads only through :func:`scoped` and :func:`get_scoped`, which apply
``restrict(user, action)``: an object outside the user's scope answers 404, the
same as one that does not exist.

Optimistic locking (SECURITY.md 4.2, RFC 9110 §13.1.1, RFC 6585 §3): an object of
a :class:`~guozi.core.models.base.Versioned` model answers with ``ETag: "<version>"``
(:func:`tag`); a write names the version it started from in ``If-Match`` or, for
clients written before ETags, in the body's ``version`` (:func:`edited_version`).
A stale ``If-Match`` answers 412, a stale body ``version`` 409, neither 428.
"""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase
from ninja.parser import Parser

from guozi.core.changes import EditConflict, Origin
from guozi.core.models import User
from guozi.core.models.base import Versioned
from guozi.core.paging import bounded_count, page_of

#: The largest id or page number an endpoint accepts. Beyond a signed 64-bit integer the
#: database cannot even compare (SQLite raises OverflowError, PostgreSQL "out of range"):
#: found by the API fuzzer as 500s on ``?page=2432902008176640001`` (tests/test_api_fuzz.py).
MAX_ID = 2**63 - 1
MAX_PAGE = 10**9


#: A calendar year in a query. Django's year lookups build a date, and a date's year is 1 to 9999:
#: ``?year=-499598`` was a 500 (tests/test_api_fuzz.py).
Year = Annotated[int | None, Query(None, ge=1, le=9999)]


class Pages(PaginationBase):
    """Pages of an API list that cost the same deep in the list as at its start (guozi/core/paging.py).

    ``count`` is exact up to ``paging.CAP`` (``count_exact``); beyond it the list says
    ``count: 10000, count_exact: false`` instead of counting millions of rows. ``next`` is a
    cursor: ``?after=<next>`` reads the following page with one index seek. ``?page=n`` still
    works (an OFFSET: its cost grows with n), with a page number the database can take.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
        after: str | None = Field(None, max_length=2000, description="The `next` cursor of the page before.")

    class Output(Schema):
        items: list[Any]
        count: int
        count_exact: bool
        next: str | None

    def __init__(self, page_size: int = 50, max_page_size: int = 1000, **kwargs: Any) -> None:
        self.page_size = page_size
        self.max_page_size = max_page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        size = min(pagination.page_size or self.page_size, self.max_page_size)
        if not isinstance(queryset, models.QuerySet):
            rows = list(queryset)
            start = (pagination.page - 1) * size
            return {"items": rows[start : start + size], "count": len(rows), "count_exact": True, "next": None}
        count, exact = bounded_count(queryset)
        page = page_of(queryset, per_page=size, after=pagination.after, page=pagination.page)
        following = page.next_params.get("after") if page.keyset and page.has_next else None
        return {"items": page.rows, "count": count, "count_exact": exact, "next": following}


def scoped(request: HttpRequest, model: type[models.Model], action: str = "view") -> models.QuerySet[Any]:
    return model.objects.restrict(request.user, action)  # type: ignore[attr-defined]


def get_scoped(request: HttpRequest, model: type[models.Model], pk: int, action: str = "view") -> Any:
    if not 0 < pk <= MAX_ID:
        raise HttpError(404, "Not found")
    obj = scoped(request, model, action).filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, "Not found")
    return obj


def get_related(request: HttpRequest, model: type[models.Model], pk: int | None, field: str) -> Any:
    """A related row named by id in a request body; a foreign id is refused like a wrong one."""
    if pk is None:
        return None
    if not 0 < pk <= MAX_ID:
        raise ValidationError({field: ["Not found."]})
    obj = scoped(request, model).filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ["Not found."]})
    return obj


#: The kinds of operation the route isolation sweep knows how to probe.
ISOLATION_KINDS = {"list", "object", "create", "special"}


def isolation(model: str, kind: str) -> dict[str, Any]:
    """OpenAPI extension naming an operation's model and kind, for the isolation sweep.

    ``tests/test_route_isolation.py`` probes every operation by what it declares here
    (and fails on an operation that declares nothing): "list" must return exactly the
    user's scope, "object" must answer 404 outside it, "create" must refuse foreign
    parents, "special" has a test of its own.
    """
    assert kind in ISOLATION_KINDS, kind  # nosec B101 # a declaration-time check of our own code, not of input
    return {"x-guozi-model": model, "x-guozi-kind": kind}


def actor(request: HttpRequest) -> User:
    """The signed-in user: every operation requires a session (``auth=django_auth``)."""
    user = request.user
    assert isinstance(user, User)  # nosec B101 # type narrowing: django_auth let only signed-in users in
    return user


def origin(request: HttpRequest) -> Origin:
    return Origin.api(request)


def etag(obj: Versioned) -> str:
    return f'"{obj.version}"'


def tag(response: HttpResponse, obj: Versioned) -> None:
    """Answer with the object's version as its entity tag, for a later ``If-Match``."""
    response["ETag"] = etag(obj)


def _if_match(request: HttpRequest) -> list[str] | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def edited_version(request: HttpRequest, obj: Versioned, body_version: int | None = None) -> int:
    """The version a write starts from, checked against ``obj`` as read.

    ``If-Match`` first: a tag that is not the current one answers 412 Precondition
    Failed (``*`` matches any). Without it, the body's ``version``, which the service
    checks (a stale one answers 409). With neither, 428 Precondition Required: a write
    that does not say what it overwrites is refused, never applied blindly.
    """
    tags = _if_match(request)
    if tags is not None:
        if "*" in tags:
            return obj.version
        if etag(obj) not in tags:
            raise HttpError(412, f"Precondition failed: the record is now at version {obj.version}.")
        return obj.version
    if body_version is not None:
        return body_version
    raise HttpError(428, "Precondition required: send If-Match with the ETag of the version you edit.")


def checked_if_match(request: HttpRequest, obj: Versioned) -> None:
    """For workflow steps, guarded by their state compare-and-swap: ``If-Match`` optional, honoured if sent."""
    if _if_match(request) is not None:
        edited_version(request, obj)


class JSONParser(Parser):
    """Ninja's JSON body parser, refusing the NUL character anywhere in the body (a 400).

    PostgreSQL text cannot hold NUL: ``{"region": "a\\u0000b"}`` was a 500 there (psycopg
    DataError). Django's form fields refuse NUL (``ProhibitNullCharactersValidator``);
    pydantic schemas do not, so the API refuses it here, once, for every operation.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if _holds_nul(data):
            raise ValueError("the request body contains a NUL character")
        return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(EditConflict)
    def edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        # Lost the race after the If-Match check passed: still a failed precondition.
        status = 412 if _if_match(request) is not None else 409
        response = api.create_response(request, {"detail": exc.message_dict, "version": exc.current}, status=status)
        response["ETag"] = f'"{exc.current}"'
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Permission denied"}, status=403)
