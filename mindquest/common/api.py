"""What every API view shares: the one error format, pagination, and route helpers."""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from mindquest.common.exceptions import ApplicationError

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "Internal server error"
UNAVAILABLE = "Service temporarily unavailable, please retry shortly"


# --- Errors ---------------------------------------------------------------------------------------


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into {"field.sub": ["message", ...]}."""
    key = prefix or "non_field_errors"
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, value in detail.items():
            for field, messages in flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {key: [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {key: [str(detail)]}


def validation_error_body(errors: dict[str, list[str]], summary: str | None = None) -> dict:
    if summary is None:
        field, messages = next(iter(errors.items()), ("", ["Invalid input."]))
        first = messages[0] if messages else "Invalid input."
        summary = first if field in ("", "non_field_errors") else f"{field}: {first}"
    return {"detail": summary, "errors": errors}


def _error_body(detail: Any) -> dict:
    # simplejwt puts a dict with its own "detail" (and token internals) in its errors: keep the message.
    if isinstance(detail, dict):
        detail = detail.get("detail", "Invalid request")
    elif isinstance(detail, list):
        detail = detail[0] if detail else "Invalid request"
    return {"detail": str(detail)}


def exception_handler(exc: Exception, context: dict) -> Response:
    """The API's one error format: {"detail": "..."}, plus "errors" for validation failures."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    set_rollback()
    if isinstance(exc, RequestDataTooBig):
        # The client's doing (a body over DATA_UPLOAD_MAX_MEMORY_SIZE), not ours: no traceback.
        return Response({"detail": "The request body is too large."}, status=413)
    if isinstance(exc, ApplicationError):
        headers = {"WWW-Authenticate": 'Bearer realm="api"'} if exc.status_code == 401 else {}
        if retry_after := getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(retry_after)
        body = validation_error_body(exc.errors, exc.message) if exc.errors else {"detail": exc.message}
        return Response(body, status=exc.status_code, headers=headers)

    if isinstance(exc, exceptions.APIException):
        headers = {}
        if auth_header := getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = auth_header
        if wait := getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(wait))
        if isinstance(exc, exceptions.ValidationError):
            body = validation_error_body(flatten_errors(exc.detail))
        else:
            body = _error_body(exc.detail)
        return Response(body, status=exc.status_code, headers=headers)

    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", exc.__class__.__name__)
        return Response({"detail": UNAVAILABLE}, status=503, headers={"Retry-After": "5"})

    if isinstance(exc, DatabaseError):
        logger.exception("database error")
    else:
        logger.exception("unhandled API error")
    return Response({"detail": INTERNAL_ERROR}, status=500)


@csrf_exempt  # the API authenticates with bearer tokens, never cookies: any method gets the JSON 404
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api answer in the API's format, never with an HTML page."""
    return JsonResponse({"detail": "Not found"}, status=404)


# --- Public views ---


class PublicApi(APIView):
    # Works without a token; a stale one sent along is ignored rather than refused.
    authentication_classes: list = []
    permission_classes = [AllowAny]


class PublicReadApi(APIView):
    # Anyone may read; a write is authenticated as everywhere, and permitted as the view's
    # permission_classes say. A read is the same for everyone, so the token sent with it is not
    # even checked: a signed-out client with a stale token in its storage is not locked out.

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        drf_request = super().initialize_request(request, *args, **kwargs)
        if request.method in SAFE_METHODS:
            drf_request.authenticators = ()
        return drf_request


# --- Routes ---------------------------------------------------------------------------------------


def api_path(route: str, view: Callable, name: str) -> list[URLPattern]:
    """The route as declared, and its trailing-slash twin: both served, neither redirects
    (a redirect would lose a POST body)."""
    return [path(route, view, name=name), path(f"{route}/", view)]


def drop_trailing_slash_twins(endpoints: Iterable[tuple], **kwargs: Any) -> list[tuple]:
    """drf-spectacular hook: document each route once, without its trailing-slash twin."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith("/")]


def document_unsupported_media_type(result: dict, **kwargs: Any) -> dict:
    """drf-spectacular hook: every operation that takes a body answers 415 to one in a media type
    it does not read, or sent without one (DRF's parsers, before the view runs)."""
    for operations in result["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"]["415"] = {
                    "description": "The body is in a media type this operation does not read, or names none",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
    return result


# --- Pagination -----------------------------------------------------------------------------------


# Far past any list's end, and within what every database takes as an OFFSET (a 64-bit integer).
MAX_OFFSET = 1_000_000_000


class PageParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description="Page size (1–100, default 20)."),
    OpenApiParameter("offset", int, description=f"Items to skip (0–{MAX_OFFSET:,}, default 0)."),
]


def page_params(request: Request) -> tuple[int, int]:
    params = PageParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["limit"], params.validated_data["offset"]


def paginated_response(request: Request, items: QuerySet | list, serializer_class: type) -> Response:
    """One page of `items` as an array (clients index it), the total in X-Total-Count; the page
    comes from the request's limit and offset."""
    limit, offset = page_params(request)
    if isinstance(items, QuerySet):
        page, total = page_with_total(items, limit=limit, offset=offset)
    else:
        page, total = items[offset : offset + limit], len(items)
    return page_response(serializer_class(page, many=True).data, total)


def page_response(page: list, total: int) -> Response:
    """One page, rendered, as an array (clients index it); the total in X-Total-Count."""
    return Response(page, headers={"X-Total-Count": str(total)})


def page_with_total(items: QuerySet, *, limit: int, offset: int) -> tuple[list, int]:
    """A page of `items` and how many there are in all, in one query: each row carries the count
    of the whole set (a window over it). Only a page past the end needs a second query."""
    page = list(items.annotate(total_count=Window(Count("pk")))[offset : offset + limit])
    if page:
        return page, page[0].total_count
    return [], items.count() if offset else 0


# --- Schema ---------------------------------------------------------------------------------------

ErrorSerializer = inline_serializer("Error", fields={"detail": serializers.CharField()})
ValidationErrorSerializer = inline_serializer(
    "ValidationError",
    fields={
        "detail": serializers.CharField(),
        # Field errors, when the input was readable but invalid (not for a malformed body).
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)

_ERROR_DESCRIPTIONS = {
    400: "Invalid input",
    401: "Missing, invalid or expired token, or inactive user",
    403: "Not allowed",
    404: "Not found",
    409: "Conflicts with existing data",
    429: "Too many requests (see Retry-After)",
    503: "Service unavailable",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error statuses a view can answer."""
    return {
        code: OpenApiResponse(
            ValidationErrorSerializer if code == 400 else ErrorSerializer, _ERROR_DESCRIPTIONS[code]
        )
        for code in codes
    }
