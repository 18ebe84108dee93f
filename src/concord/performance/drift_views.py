"""Drift alert pages: the list (per provider, per period) and one alert with its evidence chart. Thin."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from concord import periods
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP, svg_response
from concord.web.views import bad_request

from . import drift_charts, drift_selectors, drift_services, selectors


@login_required
@require_GET
def alert_list(request):
    access.require(request.user, Cap.VIEW_PERFORMANCE)
    providers = list(selectors.providers(request.user))
    wanted = request.GET.get("provider", "")
    provider = next((p for p in providers if str(p.pk) == wanted), None)
    month_text = request.GET.get("month", "").strip()
    start = end = None
    if month_text:
        try:
            start = periods.parse(month_text, "month")
        except ValueError as exc:
            return bad_request(
                request,
                title="That month can't be shown",
                message=f"{str(exc)[:1].upper()}{str(exc)[1:]}.",
                next_url=reverse("performance:drift-alerts"),
                next_label="Show every alert",
            )
        end = periods.end_of(start, "month")
    alerts = drift_selectors.alerts(user=request.user, provider=provider, start=start, end=end)[:500]
    return render(
        request,
        "performance/drift_alerts.html",
        {
            "alerts": alerts,
            "providers": providers,
            "provider": provider,
            "month": month_text if start else "",
            "scan": drift_selectors.last_scan(),
            "baseline_days": drift_services.BASELINE_DAYS,
            "scan_days": drift_services.SCAN_DAYS,
        },
    )


@login_required
@require_GET
@csp_update(CHART_CSP)
def alert_detail(request, pk: int):
    alert = drift_selectors.alert(request.user, pk)
    return render(
        request,
        "performance/drift_alert.html",
        {
            "alert": alert,
            "panels": drift_charts.evidence_panels(alert),
            "sigma": _sigma_text(alert),
            "svg_url": reverse("performance:drift-alert-svg", args=[alert.pk]),
            "parameters": alert.evidence.get("parameters", {}),
            "can_act": access.can(request.user, Cap.ANSWER_GOVERNANCE),
        },
    )


def _sigma_text(alert) -> str:
    """One sigma in the metric's unit; a percentage's spread is in percentage points, not a percentage."""
    sigma, unit = alert.evidence.get("sigma"), alert.evidence.get("unit", "")
    if sigma is None:
        return "—"
    if unit == "percent":
        return f"{sigma:.2f} percentage points"
    if unit == "seconds":
        return f"{sigma:.1f} seconds"
    return f"{sigma:,.3g}"


@login_required
@require_GET
def alert_svg(request, pk: int):
    alert = drift_selectors.alert(request.user, pk)
    return svg_response(drift_charts.evidence(alert), f"drift-{alert.provider.code}-{alert.metric_key}-{alert.day}")


@login_required
@require_POST
def alert_action(request, pk: int):
    """One click: an action item about this alert (or the one already made), then to its page."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    alert = drift_selectors.alert(request.user, pk)  # someone else's: 404 before the capability check
    access.require(request.user, Cap.ANSWER_GOVERNANCE)
    try:
        action = drift_services.create_action_from_alert(actor=request.user, alert=alert)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("performance:drift-alert", pk=alert.pk)
    return redirect("governance:action", pk=action.pk)
