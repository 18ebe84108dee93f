from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render

from concord.accounts import access
from concord.accounts.roles import Cap

from .problems import current_request_id, is_api, problem_response

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Where everyone lands: the figures their role acts on, each linking to its page, then their organisations."""
    from concord.providers import selectors as provider_selectors

    from . import home as figures  # reads every domain: loaded on first use, not with the error handlers

    providers = provider_selectors.providers(request.user) if access.can(request.user, Cap.VIEW_PROVIDERS) else []
    return render(request, "web/home.html", {"providers": providers, "home": figures.build(request.user)})


def bad_request(request, *, title: str, message: str, next_url: str = "/", next_label: str = "Back to the start page"):
    """A 400 page for a request a person can correct: what was wrong, and a link to something that works."""
    return render(
        request,
        "web/error.html",
        {"status": 400, "title": title, "message": message, "next_url": next_url, "next_label": next_label},
        status=400,
    )


def _error_page(request, status: int, title: str, message: str, next_step: str):
    """The one error page for people; API paths get the same error as an RFC 9457 problem instead."""
    if is_api(request):
        return problem_response(request, status, message or title)
    context = {"status": status, "title": title, "message": message, "next_step": next_step}
    return render(request, "web/error.html", context, status=status)


def error_400(request, exception=None):
    return _error_page(request, 400, "That request could not be understood", "", "Go back and try again.")


def error_403(request, exception=None):
    return _error_page(
        request,
        403,
        "You don't have access to this",
        str(exception) if exception else "",
        "If you need it, ask a client admin to change your role.",
    )


def error_404(request, exception=None):
    return _error_page(
        request,
        404,
        "Page not found",
        "It may have moved, or it belongs to an organisation you can't see.",
        "Go back to the start page and navigate from there.",
    )


#: what a 500 says when even the error page cannot be drawn (a broken template or static manifest)
PLAIN_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p>The error has been logged. Try again in a minute; "
    "if it persists, tell your Concord administrator the time it happened.</p></html>"
)


def error_500(request):
    try:
        return _error_500_page(request)
    except Exception:  # the page itself failed: answer plainly rather than fail the handler too
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(PLAIN_500)


def _error_500_page(request):
    return _error_page(
        request,
        500,
        "Something went wrong on our side",
        f"The error has been logged (reference {current_request_id()}).",
        "Try again in a minute; if it persists, tell your Concord administrator the time it happened.",
    )
