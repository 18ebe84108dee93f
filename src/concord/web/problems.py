"""Errors as RFC 9457 problem details, and the request id that ties a response to its log lines.

Every request gets an id (``X-Request-ID``: the caller's if it is a sane token, else a new one).
It is echoed in the response header, put on every log record of the request, and carried by
every API error body, so "it failed at 10:42" becomes one grep in the server log.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from http import HTTPStatus

from django.http import JsonResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

PROBLEM_JSON = "application/problem+json"


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Outermost middleware: the request id is set before anything can log or fail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record ("-" outside a request: the worker, the CLI)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def problem(status: int, detail: str, *, instance: str = "", **extra) -> dict:
    """An RFC 9457 problem body. Our problems mean no more than their HTTP status, so ``type`` is
    "about:blank" and ``title`` the status phrase (RFC 9457, section 4.2.1); ``detail`` says what to do."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": current_request_id(),
    }
    body.update(extra)
    return body


def problem_response(request, status: int, detail: str, **extra) -> JsonResponse:
    body = problem(status, detail, instance=request.path, **extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON)


def is_api(request) -> bool:
    return request.path.startswith("/api/")
