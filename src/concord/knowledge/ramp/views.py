"""The ramp page: per program, each provider's curve against the internal team's median, cohorts' weeks."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP

from . import present, selectors
from .curves import MIN_COHORT_AGENTS, TENURED_AFTER_WEEKS
from .tenure import RAMP_METRICS

#: weeks of tenure the cohort table shows beside the chart (week 0, the hire week, is mostly training)
WEEKS_SHOWN = (4, 8, 12)


@login_required
@require_GET
@csp_update(CHART_CSP)
def index(request):
    access.require(request.user, Cap.VIEW_PERFORMANCE)
    programs = selectors.programs(request.user)
    providers = selectors.visible_providers(request.user)
    metric = request.GET.get("metric") or "aht"
    errors = []
    if metric not in RAMP_METRICS:
        errors.append(f"metric: {metric!r} has no ramp; choose one of {', '.join(RAMP_METRICS)}.")
        metric = "aht"
    code = request.GET.get("program") or ""
    program = selectors.program_by_code(request.user, code) if code else None
    pcode = request.GET.get("provider") or ""
    provider = selectors.provider_by_code(request.user, pcode) if pcode else None
    report = selectors.ramp_report(request.user, metric=metric, program=program, provider=provider)
    by_week = [(c, {p.week: p.value for p in c.points}) for c in report.cohorts]
    context = {
        "weeks_shown": WEEKS_SHOWN, "cohort_rows": [(c, [w.get(n) for n in WEEKS_SHOWN]) for c, w in by_week],
        "report": report, "spec": present.chart(report), "programs": programs, "providers": providers,
        "metrics": [(k, selectors.registry.get(k).label) for k in RAMP_METRICS], "metric": metric,
        "program_code": code, "provider_code": pcode, "errors": errors, "min_agents": MIN_COHORT_AGENTS,
        "tenured_after": TENURED_AFTER_WEEKS, "band_limit": present.payload(report)["benchmark"]["band_limit"],
    }  # fmt: skip
    return render(request, "ramp/index.html", context, status=400 if errors else 200)
