"""Contract pages: list, contract, the SLA report per month with its evidence, and (client) computing a month."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord import periods, reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.performance import exports
from concord.web.charts import CHART_CSP, svg_response
from concord.web.forms import form_page

from . import charts, reports, selectors, services
from .forms import ContractForm, OutageForm, SLAForm


def _period(request, source):
    try:
        return periods.parse(source.get("period"), "month", today=reporting.today())
    except ValueError as exc:
        messages.error(request, f"{exc}; showing the current month.")
        return reporting.last_complete("month")


def _can_edit(user) -> bool:
    return access.can(user, Cap.EDIT_CONTRACTS) and user.provider_id is None


def _require_edit(user, provider_id) -> None:
    """Contract pages that write: the client's users with EDIT_CONTRACTS (a partner's GET is refused too)."""
    access.require_for_provider(user, Cap.EDIT_CONTRACTS, provider_id)
    if user.provider_id is not None:
        raise PermissionDenied("Contracts are edited by the client.")


@login_required
@require_GET
def contract_list(request):
    return render(
        request,
        "contracts/contract_list.html",
        {"contracts": selectors.contracts(request.user), "can_edit": _can_edit(request.user)},
    )


def _detail_url(pk: int) -> str:
    return reverse("contracts:detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    access.require(request.user, Cap.VIEW_CONTRACTS)
    _require_edit(request.user, None)
    return form_page(
        request,
        ContractForm(request.POST or None, initial={"currency": "EUR", "at_risk_percent": 10}),
        lambda data: services.contract_create(actor=request.user, **data),
        title="New contract",
        cancel_url=reverse("contracts:list"),
        success=lambda c: _detail_url(c.pk),
        success_message="Created {obj}. Add its SLAs next.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract = selectors.contract(request.user, pk)
    _require_edit(request.user, contract.provider_id)
    return form_page(
        request,
        ContractForm(request.POST or None, instance=contract, initial={"programs": list(contract.programs.all())}),
        lambda data: services.contract_update(actor=request.user, contract=contract, **data),
        title=f"Edit {contract}",
        cancel_url=_detail_url(pk),
        success=lambda c: _detail_url(c.pk),
        success_message="Saved {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def sla_create(request, pk: int):
    contract = selectors.contract(request.user, pk)
    _require_edit(request.user, contract.provider_id)
    position = contract.slas.count()
    return form_page(
        request,
        SLAForm(request.POST or None, initial={"params": {}, "filters": {}, "position": position}),
        lambda data: services.sla_create(actor=request.user, contract=contract, **data),
        title=f"Add an SLA to {contract}",
        cancel_url=_detail_url(pk),
        success=lambda _: _detail_url(pk),
        success_message="Added the SLA {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def sla_edit(request, pk: int):
    sla = selectors.sla(request.user, pk)
    _require_edit(request.user, sla.contract.provider_id)
    back = _detail_url(sla.contract_id)
    return form_page(
        request,
        SLAForm(request.POST or None, instance=sla),
        lambda data: services.sla_update(actor=request.user, sla=sla, **data),
        title=f"Edit the SLA {sla.name}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Saved the SLA {obj}.",
    )


@login_required
@require_POST
def sla_delete(request, pk: int):
    sla = selectors.sla(request.user, pk)
    _require_edit(request.user, sla.contract.provider_id)
    label, back = str(sla), _detail_url(sla.contract_id)
    services.sla_delete(actor=request.user, sla=sla)
    messages.success(request, f"Removed the SLA {label} and its stored results.")
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def outage_create(request, pk: int):
    contract = selectors.contract(request.user, pk)
    _require_edit(request.user, contract.provider_id)
    # the form's times are read and shown on the reporting time zone's clock
    with timezone.override(settings.REPORTING_TIMEZONE):
        return form_page(
            request,
            OutageForm(request.POST or None, contract=contract),
            lambda data: services.outage_create(actor=request.user, contract=contract, **data),
            title=f"Declare an outage for {contract} ({settings.REPORTING_TIMEZONE} time)",
            cancel_url=_detail_url(pk),
            success=lambda _: _detail_url(pk),
            success_message="Declared the outage; recompute the months it touches.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def outage_edit(request, pk: int):
    outage = selectors.outage(request.user, pk)
    _require_edit(request.user, outage.contract.provider_id)
    back = _detail_url(outage.contract_id)
    with timezone.override(settings.REPORTING_TIMEZONE):
        return form_page(
            request,
            OutageForm(request.POST or None, instance=outage, contract=outage.contract),
            lambda data: services.outage_update(actor=request.user, outage=outage, **data),
            title=f"Edit the outage ({settings.REPORTING_TIMEZONE} time)",
            cancel_url=back,
            success=lambda _: back,
            success_message="Saved the outage; recompute the months it touches.",
        )


@login_required
@require_POST
def outage_delete(request, pk: int):
    outage = selectors.outage(request.user, pk)
    _require_edit(request.user, outage.contract.provider_id)
    back = _detail_url(outage.contract_id)
    services.outage_delete(actor=request.user, outage=outage)
    messages.success(request, "Removed the outage; recompute the months it touched.")
    return redirect(back)


@login_required
@require_GET
@csp_update(CHART_CSP)
def contract_detail(request, pk: int):
    contract = selectors.contract(request.user, pk)
    history = []
    for sla in contract.slas.all():
        points = charts.history_points(sla)
        if points:
            svg_url = reverse("contracts:sla-history-svg", args=[sla.pk])
            spec = charts.sla_history(sla, points)
            history.append({"sla": sla, "spec": spec, "svg_url": svg_url, "chart_id": f"sla-history-{sla.pk}"})
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "periods": selectors.periods_with_results(request.user, contract),
            "can_compute": _can_edit(request.user),
            "can_edit": _can_edit(request.user),
            "reporting_timezone": settings.REPORTING_TIMEZONE,
            "history": history,
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
    with timezone.override(settings.REPORTING_TIMEZONE):  # times on the reporting zone's clock, as the statement
        return render(
            request,
            "contracts/sla_report.html",
            {
                "contract": contract,
                "report": report,
                "period": period,
                "can_compute": _can_edit(request.user) and not report.closed,
            },
        )


@login_required
@require_GET
def sla_history_svg(request, pk: int):
    sla = selectors.sla(request.user, pk)
    spec = charts.sla_history(sla, charts.history_points(sla))
    return svg_response({**spec, "width": 640}, f"sla-{sla.contract.provider.code}-{sla.pk}-history")


@login_required
@require_POST
def compute(request, pk: int):
    contract = selectors.contract(request.user, pk)
    access.require_for_provider(request.user, Cap.EDIT_CONTRACTS, contract.provider_id)
    period = _period(request, request.POST)
    back = f"{reverse('contracts:report', args=[pk])}?period={period:%Y-%m}"
    try:
        results = services.compute_month(actor=request.user, contract=contract, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    missed = sum(1 for r in results if r.status == "missed")
    messages.success(request, f"Computed {len(results)} SLA result(s) for {period:%B %Y}: {missed} missed.")
    return redirect(back)
