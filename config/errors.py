"""Refusals and outages answered plainly: a POST over the upload limit gets 413 (JSON under /api/, a page
elsewhere) before anything reads it, and a database that does not answer gets 503 (JSON under /api/, a page
elsewhere, with Retry-After) rather than Django's 500 and its traceback. Both are expected, so both are logged
as one warning line; docs/protocol.md and docs/deploy.md ("Outages") say what a client gets."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
OUTAGES = (OperationalError, InterfaceError)
BODY_METHODS = ("POST", "PUT", "PATCH")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def too_large(request: HttpRequest) -> HttpResponse:
    log.warning("refused a %s to %s over the upload limit (413)", request.method, request.path)
    if _wants_json(request):
        body = {"error": {"code": "too_large", "message": "The request is larger than this site accepts."}}
        response: HttpResponse = JsonResponse(body, status=413)
    else:
        response = HttpResponse(render_to_string("413.html"), status=413)
    response._has_been_logged = True
    return response


def unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Rendered without the request: the page's usual context asks the database (the user) that is away."""
    log.warning("the database did not answer %s %s: %s (503)", request.method, request.path, type(exc).__name__)
    if _wants_json(request):
        body = {"error": {"code": "unavailable", "message": "The site cannot reach its database. Try again soon."}}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # the warning above says it: Django's own error line would repeat it
    return response


class RefusalMiddleware:
    """Placed before the session, CSRF and authentication middleware: the body is read (and its size checked)
    before any of them reads it; a view that meets a database outage answers 503 here, and one met by a
    middleware reaches `server_error` (handler500)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            try:
                _read_body(request)
            except RequestDataTooBig:
                return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OUTAGES):
            return unavailable(request, exception)
        return None


def _read_body(request: HttpRequest) -> None:
    """Forms are parsed (their files are limited by the form, not here); any other body is read whole."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        request.POST  # noqa: B018 - parsing is what checks the size
    else:
        request.body  # noqa: B018


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage met outside a view (a middleware asking for the user) is a 503 too."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OUTAGES):
        return unavailable(request, exc)
    return HttpResponse(render_to_string("500.html"), status=500)
