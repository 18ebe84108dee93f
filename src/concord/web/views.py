from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from concord.accounts import access
from concord.accounts.roles import Cap

from .problems import current_request_id, is_api, problem_response


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


def error_400(request, exception=None):
    if is_api(request):
        return problem_response(request, 400, "The request could not be understood.")
    return render(
        request,
        "web/error.html",
        {
            "status": 400,
            "title": "That request could not be understood",
            "message": "",
            "next_step": "Go back and try again.",
        },
        status=400,
    )


def error_403(request, exception=None):
    if is_api(request):
        return problem_response(request, 403, str(exception) or "You do not have access to this.")
    return render(
        request,
        "web/error.html",
        {
            "status": 403,
            "title": "You don't have access to this",
            "message": str(exception) if exception else "",
            "next_step": "If you need it, ask a client admin to change your role.",
        },
        status=403,
    )


def error_404(request, exception=None):
    if is_api(request):
        return problem_response(request, 404, "Not found.")
    return render(
        request,
        "web/error.html",
        {
            "status": 404,
            "title": "Page not found",
            "message": "It may have moved, or it belongs to an organisation you can't see.",
            "next_step": "Go back to the start page and navigate from there.",
        },
        status=404,
    )


def error_500(request):
    reference = current_request_id()
    if is_api(request):
        return problem_response(
            request, 500, f"Something went wrong on our side; the error has been logged as request {reference}."
        )
    return render(
        request,
        "web/error.html",
        {
            "status": 500,
            "title": "Something went wrong on our side",
            "message": f"The error has been logged (reference {reference}).",
            "next_step": "Try again in a minute; if it persists, tell your Concord administrator the time it happened.",
        },
        status=500,
    )
