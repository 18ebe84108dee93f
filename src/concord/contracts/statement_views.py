"""The month's credit statement: the page and its CSV, and the client closing or restating a month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from concord.performance import exports

from . import month_close, reports, selectors
from .views import _can_edit, _period, _require_edit


def _statement_url(pk: int, period) -> str:
    return f"{reverse('contracts:statement', args=[pk])}?period={period:%Y-%m}"


@login_required
@require_GET
def statement_page(request, pk: int):
    contract = selectors.contract(request.user, pk)
    period = _period(request, request.GET)
    view = selectors.statement(request.user, contract, period)
    fmt = exports.requested_format(request)
    if fmt and view.statement:
        name = f"credit-statement-{contract.provider.code}-{period:%Y-%m}"
        return exports.respond(fmt, reports.statement_table(view), name)
    return render(
        request,
        "contracts/statement.html",
        {"contract": contract, "period": period, "view": view, "can_close": _can_edit(request.user)},
    )


@login_required
@require_POST
def close(request, pk: int):
    contract = selectors.contract(request.user, pk)
    _require_edit(request.user, contract.provider_id)
    period = _period(request, request.POST)
    try:
        month_close.close_month(actor=request.user, contract=contract, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Closed {period:%B %Y}: the credit statement is issued.")
    return redirect(_statement_url(pk, period))


@login_required
@require_POST
def restate(request, pk: int):
    contract = selectors.contract(request.user, pk)
    _require_edit(request.user, contract.provider_id)
    period = _period(request, request.POST)
    view = selectors.statement(request.user, contract, period)
    if view.statement is None:
        messages.error(request, f"{period:%B %Y} is not closed: recompute it instead of restating it.")
        return redirect(_statement_url(pk, period))
    try:
        r = month_close.restate_month(
            actor=request.user, statement=view.statement, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Restatement {r.number} of {period:%B %Y} recorded; the billed figures are kept.")
    return redirect(_statement_url(pk, period))
