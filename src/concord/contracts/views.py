"""Contract pages: list, contract, the SLA report per month with its evidence, and (client) computing a month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.performance import exports
from concord.performance.selectors import parse_period

from . import reports, selectors, services


def _period(request, source):
    try:
        return parse_period(source.get("period"))
    except ValueError as exc:
        messages.error(request, f"{exc}; showing the current month.")
        return parse_period(None)


@login_required
@require_GET
def contract_list(request):
    return render(request, "contracts/contract_list.html", {"contracts": selectors.contracts(request.user)})


@login_required
@require_GET
def contract_detail(request, pk: int):
    contract = selectors.contract(request.user, pk)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "periods": selectors.periods_with_results(request.user, contract),
            "can_compute": access.can(request.user, Cap.EDIT_CONTRACTS) and request.user.provider_id is None,
        },
    )


@login_required
@require_GET
def sla_report(request, pk: int):
    contract = selectors.contract(request.user, pk)
    period = _period(request, request.GET)
    report = selectors.month_report(request.user, contract, period)
    fmt = exports.requested_format(request)
    if fmt:
        return exports.respond(fmt, reports.report_table(report), f"sla-{contract.provider.code}-{period:%Y-%m}")
    return render(
        request,
        "contracts/sla_report.html",
        {
            "contract": contract,
            "report": report,
            "period": period,
            "can_compute": access.can(request.user, Cap.EDIT_CONTRACTS) and request.user.provider_id is None,
        },
    )


@login_required
@require_POST
def compute(request, pk: int):
    contract = selectors.contract(request.user, pk)
    access.require_for_provider(request.user, Cap.EDIT_CONTRACTS, contract.provider_id)
    period = _period(request, request.POST)
    results = services.compute_month(actor=request.user, contract=contract, period=period)
    missed = sum(1 for r in results if r.status == "missed")
    messages.success(request, f"Computed {len(results)} SLA result(s) for {period:%B %Y}: {missed} missed.")
    return redirect(f"{reverse('contracts:report', args=[pk])}?period={period:%Y-%m}")
