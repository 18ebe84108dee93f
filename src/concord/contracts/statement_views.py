"""The month's credit statement: the page and its CSV, and the client closing or restating a month."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.performance import exports

from . import attachments, month_close, pdf, reports, selectors, signoff
from .models import Dispute
from .views import _can_edit, _period, _require_edit


def _statement_url(pk: int, period) -> str:
    return f"{reverse('contracts:statement', args=[pk])}?period={period:%Y-%m}"


@login_required
@require_GET
def statement_page(request, pk: int):
    contract = selectors.contract(request.user, pk)
    period = _period(request, request.GET)
    view = selectors.statement(request.user, contract, period)
    if request.GET.get("format") == "pdf" and view.statement:
        response = HttpResponse(pdf.statement_pdf(view), content_type="application/pdf")
        name = f"credit-statement-{contract.provider.code}-{period:%Y-%m}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    fmt = exports.requested_format(request)
    if fmt and view.statement:
        name = f"credit-statement-{contract.provider.code}-{period:%Y-%m}"
        return exports.respond(fmt, reports.statement_table(view), name)
    with timezone.override(settings.REPORTING_TIMEZONE):  # every time on the reporting zone's clock
        return render(
            request,
            "contracts/statement.html",
            {
                "contract": contract,
                "period": period,
                "view": view,
                "can_close": _can_edit(request.user),
                "can_sign": access.can(request.user, Cap.SIGN_STATEMENTS) and request.user.provider_id is not None,
                "decisions": Dispute.Decision.choices[1:],
                "attachment_rule": (
                    f"Up to {attachments.MAX_FILES} files of {attachments.ALLOWED_TEXT}, "
                    f"{attachments.MAX_BYTES // (1024 * 1024)} MB each; no macros or scripts."
                ),
            },
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


def _signoff(request, pk: int, act) -> object:
    """Run a sign-off step for the statement of the posted month; refusals become messages."""
    contract = selectors.contract(request.user, pk)
    period = _period(request, request.POST)
    view = selectors.statement(request.user, contract, period)
    if view.statement is None:
        messages.error(request, f"{period:%B %Y} is not closed: there is no statement to sign.")
        return redirect(_statement_url(pk, period))
    try:
        done = act(view.statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(_statement_url(pk, period))


@login_required
@require_POST
def accept(request, pk: int):
    def act(statement):
        signoff.statement_accept(actor=request.user, statement=statement)
        return "You accepted the statement."

    return _signoff(request, pk, act)


@login_required
@require_POST
def dispute(request, pk: int):
    def act(statement):
        signoff.dispute_raise(
            actor=request.user,
            statement=statement,
            sla_ids=[i for i in request.POST.getlist("lines") if i.isdigit()],
            reason=request.POST.get("reason", ""),
            attachments=request.FILES.getlist("attachments"),
        )
        return "Your dispute is recorded; the client will decide it."

    return _signoff(request, pk, act)


@login_required
@require_POST
def decide(request, pk: int):
    d = selectors.dispute(request.user, pk)
    credits = {k.removeprefix("credit-"): v for k, v in request.POST.items() if k.startswith("credit-")}
    try:
        signoff.dispute_decide(
            actor=request.user,
            dispute=d,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            client_note=request.POST.get("client_note", ""),
            credits=credits,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Decided the dispute.")
    return redirect(_statement_url(d.statement.contract_id, d.statement.period))


@login_required
@require_GET
def attachment(request, pk: int):
    """A dispute's file, as a download (never shown inline), of the type its content was checked to be."""
    att = selectors.attachment(request.user, pk)
    response = HttpResponse(bytes(att.data), content_type=att.content_type)
    response["Content-Disposition"] = content_disposition_header(True, att.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
