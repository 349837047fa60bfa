"""Every answer under /api/ is JSON, errors included.

Ninja's exception handlers only see what happens inside an operation. What Django answers itself — no route
for the path (a mistyped URL, an id written in other digits than 0-9), a body it cannot parse (a multipart
request without a boundary), a method the route does not take, an error page after an unexpected exception —
comes back as the HTML 400/403/404/405/500 page, and in debug mode as the technical page with a traceback.
This middleware, placed outermost, rewrites such answers under /api/ into the API's error format
`{"code", "message", "fields"}` with the same status. HTML pages elsewhere are left as they are.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"

CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}


def _message(status: int) -> str:
    messages = {
        400: _("The request could not be read."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        500: _("Something went wrong on the server. The error has been recorded."),
    }
    if status in messages:
        return messages[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("The request could not be completed.")


def json_error(status: int) -> JsonResponse:
    code = CODES.get(status, "server_error" if status >= 500 else "error")
    return JsonResponse({"code": code, "message": str(_message(status)), "fields": {}}, status=status)


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = json_error(response.status_code)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            if response.has_header("Retry-After"):
                replaced["Retry-After"] = response["Retry-After"]
            return replaced
        return response
