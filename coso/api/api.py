"""The NinjaAPI object: authentication, the error format, and the routers each app registers.

Errors are always JSON `{"code": ..., "message": ..., "fields": {...}}` with the right status:
400 bad input, 401 not authenticated, 403 not allowed, 404 not found or outside the caller's scope,
409 stale version (someone else saved first), 422 a domain rule refused the change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from coso.accounts.models import ApiToken
from coso.accounts.selectors import is_locked_out
from coso.core.exceptions import CosoError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenRefused(CosoError):
    """A known token that may not be used now (expired, or its account locked out by failed log-ins)."""

    code = "unauthenticated"
    status = 401


class TokenReadOnly(CosoError):
    code = "forbidden"
    status = 403


class TokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer coso_...` (created with `coso token create USERNAME`)."""

    def authenticate(self, request: HttpRequest, token: str):
        """A token works while it is not revoked nor expired, its user is active and not locked out by failed
        log-ins; a read-only token only reads (a write answers 403)."""
        if not token:
            return None
        record = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if record is None:
            return None
        if record.is_expired:
            raise TokenRefused(_("This API token has expired. Create a new one on the API tokens page."))
        if is_locked_out(record.user):
            raise TokenRefused(
                _(
                    "This account is locked after failed log-ins; its API tokens work again when the lock ends."
                )
            )
        if record.read_only and request.method not in SAFE_METHODS:
            raise TokenReadOnly(_("This API token is read-only: it cannot change anything."))
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class ErrorOut(Schema):
    """The one error format of the whole API."""

    code: str = Field(description="Machine-readable error code, e.g. invalid, not_found, conflict.")
    message: str = Field(description="What went wrong, in the caller's language.")
    fields: dict[str, list[str]] = Field(
        description="Messages per input field; `__all__` for the whole input."
    )


ERROR_DESCRIPTIONS = {
    "400": "Bad input: the body, a query or a path parameter could not be read or is not valid (code invalid).",
    "401": "Not authenticated: log in or send a valid API token; an expired token, or one whose account is locked out "
    "after failed log-ins, is refused too (code unauthenticated).",
    "403": "Not allowed for this user's role, a field this user may not change, or a write with a read-only token "
    "(code forbidden).",
    "404": "Not found, or outside this user's part of the tree (code not_found).",
    "409": "Stale version: someone else saved first; reload and try again (code conflict).",
    "422": "A domain rule refused the change (code rule_violation or a more precise code).",
    "429": "Too many requests from this client; try again later (code rate_limited).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_codes_for(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, from what it takes: every operation can be sent bad input
    or an unknown id (400, 404); a protected one can be refused (401, 403); a write can be stale or break a rule
    (409, 422); the public, anonymous operations are rate-limited (429)."""
    codes = ["400", "404"]
    if operation.get("security"):
        codes += ["401", "403"]
    if method in WRITE_METHODS:
        codes += ["409", "422"]
    if not operation.get("security"):
        codes += ["429"]
    return sorted(codes)


class CosoNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for methods in schema.get("paths", {}).values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for status in error_codes_for(method, operation):
                    responses[status] = {"description": ERROR_DESCRIPTIONS[status], "content": error}
                for status in list(responses):
                    if str(status).startswith(("4", "5")):
                        responses[status]["content"] = error
        return schema


api = CosoNinjaAPI(
    title="Coso API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    description="JSON API of Coso. Authenticate with a session cookie (and CSRF token) or a personal token.",
)


def error_response(request, status: int, code: str, message, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": str(message), "fields": fields or {}}, status=status
    )


@api.exception_handler(CosoError)
def _coso_error(request, exc: CosoError):
    fields = {name: [str(m) for m in messages] for name, messages in exc.fields.items()}
    return error_response(request, exc.status, exc.code, exc.message, fields)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(DjangoValidationError)
def _django_validation(request, exc: DjangoValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error_response(request, 400, "invalid", _("Please correct the errors."), fields)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload", "data")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return error_response(request, 400, "invalid", _("Please correct the errors."), fields)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    from .middleware import CODES

    return error_response(request, exc.status_code, CODES.get(exc.status_code, "error"), str(exc))


def register_routers() -> None:
    """Each app's `api.router` is mounted here (apps import nothing from this module but the helpers)."""
    from importlib import import_module

    from coso.accounts.api import router as accounts_router
    from coso.members.api import router as members_router
    from coso.orgs.api import router as orgs_router

    api.add_router("/orgs/", orgs_router, tags=["organizations"])
    api.add_router("/members/", members_router, tags=["members"])
    api.add_router("/", accounts_router, tags=["accounts"])
    # The apps built on the foundation declare their own prefix next to their router.
    for app in (
        "notifications",
        "meetings",
        "study",
        "citizens",
        "commitments",
        "reviews",
        "emulation",
        "inspection",
    ):
        module = import_module(f"coso.{app}.api")
        api.add_router(module.PREFIX, module.router)


register_routers()
