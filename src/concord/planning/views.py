"""Planning pages. Thin: forms validate, selectors compute, services write."""

from __future__ import annotations

import functools

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.knowledge.training.headcount import ready_headcount
from concord.providers import selectors as provider_selectors
from concord.web.charts import CHART_CSP, svg_response
from concord.web.forms import form_page

from . import assignment_selectors, assignment_services, charts, selectors, services
from .allocation_forms import WARM_SHARE, AllocationForm
from .forms import (
    AssignVolumeForm,
    CommitmentForm,
    ForecastForm,
    ForecastStaffingForm,
    OverrideForm,
    PlanningEventForm,
    ProfileForm,
    StaffingForm,
)


@login_required
@require_GET
def index(request):
    access.require(request.user, Cap.VIEW_ASSIGNED_VOLUME)
    assigned = {
        "title": "Assigned volume",
        "url": reverse("planning:assigned"),
        "text": "The share of each forecast assigned to a provider, and the capacity it commits against it.",
    }
    if not access.can(request.user, Cap.VIEW_PLANNING):  # a partner: its own assigned volume only
        return render(request, "planning/index.html", {"sections": [assigned], "partner": True})
    sections = [
        {
            "title": "Volume forecasts",
            "url": reverse("planning:forecasts"),
            "text": "Forecasts per program from the lake's history, the model chosen by backtest, events, overrides.",
        },
        {
            "title": "Allocation and hiring",
            "url": reverse("planning:allocation"),
            "text": "Least-cost split across providers, what-ifs side by side, and the hires each provider needs.",
        },
        {"title": "Planning events", "url": reverse("planning:events"), "text": "Marketing sends, peaks, outages."},
        assigned,
    ]
    return render(request, "planning/index.html", {"sections": sections})


def _staffing_forms(request) -> tuple[StaffingForm, ProfileForm]:
    """Bound to the query string; without one, to the initial values (a worked example)."""
    if "volume" in request.GET:
        data = request.GET
    else:
        data = {**_initial(StaffingForm()), **_initial(ProfileForm(prefix="profile"))}
    form = StaffingForm(data)
    if form.is_valid():
        inp = form.staffing_input()
        return form, ProfileForm(data, prefix="profile", interval_minutes=inp.interval_minutes, peak_volume=inp.volume)
    return form, ProfileForm(data, prefix="profile")


def _initial(form) -> dict:
    out = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is not None:
            out[form.add_prefix(name)] = value.strftime("%H:%M") if hasattr(value, "strftime") else value
    return out


def _staffing_results(form: StaffingForm, profile_form: ProfileForm) -> dict:
    """Everything the results panel shows; empty when the input is not valid."""
    context: dict = {}
    if not form.is_valid():
        return context
    inp = form.staffing_input()
    figures = selectors.staffing_figures(inp)
    context["figures"] = figures
    context["erlang_a"] = inp.patience_seconds is not None
    context["curve_spec"] = charts.staffing_curve_chart(
        selectors.staffing_curve(inp, figures["agents"]), figures["agents"], inp.target_sl
    )
    if profile_form.is_valid():
        d = profile_form.cleaned_data
        intraday = selectors.intraday_staffing(inp, d["volume"], d["labels"])
        context["intraday"] = intraday
        context["heatmap_spec"] = charts.intraday_heatmap(intraday.cells())
    return context


@login_required
@require_GET
@csp_update(CHART_CSP)
def staffing(request):
    """Size one interval (Erlang C, or Erlang A with patience) and a week of intervals as a heatmap."""
    access.require(request.user, Cap.VIEW_PLANNING)
    form, profile_form = _staffing_forms(request)
    context = {"form": form, "profile_form": profile_form, **_staffing_results(form, profile_form)}
    context["query"] = request.GET.urlencode()
    context["ready_headcount"] = ready_headcount(request.user, request.GET)  # ready beside total (knowledge)
    if request.htmx:
        return render(request, "planning/_staffing_panel.html", context)
    status = 400 if form.errors or profile_form.errors else 200
    return render(request, "planning/staffing.html", context, status=status)


@login_required
@require_GET
def staffing_svg(request, chart: str):
    """The curve or the heatmap of the same query, as an SVG download."""
    access.require(request.user, Cap.VIEW_PLANNING)
    if chart not in ("curve", "heatmap"):
        raise Http404("No such chart.")
    form, profile_form = _staffing_forms(request)
    context = _staffing_results(form, profile_form)
    spec = context.get("curve_spec" if chart == "curve" else "heatmap_spec")
    if spec is None:
        return HttpResponseBadRequest("Those staffing inputs are not valid; fix them on the page first.")
    return svg_response(spec, f"staffing-{chart}")


def _reporting_zone(view):
    """Dates entered and shown on the wall clock of the reporting time zone."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(str(settings.REPORTING_TIMEZONE)):
            return view(request, *args, **kwargs)

    return wrapped


@login_required
@require_GET
@_reporting_zone
def forecast_list(request):
    services.fail_stale_forecasts()
    return render(
        request,
        "planning/forecast_list.html",
        {
            "forecasts": selectors.forecasts(request.user).order_by("-created_at")[:100],
            "can_edit": access.can(request.user, Cap.EDIT_PLANNING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@_reporting_zone
def forecast_create(request):
    access.require(request.user, Cap.EDIT_PLANNING)
    programs = provider_selectors.programs(request.user)
    return form_page(
        request,
        ForecastForm(request.POST or None, programs=programs),
        lambda data: services.request_forecast(actor=request.user, **data),
        title="New forecast",
        cancel_url=reverse("planning:forecasts"),
        success=lambda f: reverse("planning:forecast-detail", args=[f.pk]),
        success_message="Queued {obj}; it is computed in the background and this page shows it when it is done.",
    )


@login_required
@require_GET
@_reporting_zone
def forecast_status(request, pk: int):
    """The live part of a queued or running forecast's page; htmx polls it. Done -> the page reloads in full."""
    services.fail_stale_forecasts()
    forecast = selectors.forecast(request.user, pk)
    context = {"forecast": forecast, "can_edit": access.can(request.user, Cap.EDIT_PLANNING)}
    response = render(request, "planning/_forecast_status.html", context)
    if request.htmx and forecast.ready:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
@csp_update(CHART_CSP)
@_reporting_zone
def forecast_detail(request, pk: int):
    services.fail_stale_forecasts()
    forecast = selectors.forecast(request.user, pk)
    if not forecast.ready:  # queued, running or failed: the status, polled while it may still change
        context = {"forecast": forecast, "can_edit": access.can(request.user, Cap.EDIT_PLANNING)}
        return render(request, "planning/forecast_detail.html", context)
    points = selectors.forecast_points(forecast)
    daily: dict = {}
    for row in points:
        day = timezone.localtime(row["period_start"]).date()
        entry = daily.setdefault(day, {"day": day, "base": 0.0, "after_events": 0.0, "value": 0.0, "overrides": 0})
        entry["base"] += row["base"]
        entry["after_events"] += row["after_events"]
        entry["value"] += row["value"]
        entry["overrides"] += row["override"] is not None
    context = {
        "forecast": forecast,
        "daily": list(daily.values()),
        "overrides": forecast.overrides.select_related("created_by"),
        "events": selectors.planning_events(request.user, forecast.program),
        "applied": selectors.events_applied(forecast),
        "spec": charts.forecast_chart(selectors.forecast_against_actuals(forecast), forecast.grain),
        "can_edit": access.can(request.user, Cap.EDIT_PLANNING),
        "commitments": assignment_selectors.commitments_against_plan(request.user, forecast),
        "backtest": [  # WAPE read as a percentage, as everywhere a person reads one
            {**s, "wape_percent": None if s["wape"] is None else s["wape"] * 100} for s in forecast.backtest
        ],
    }
    if forecast.grain != "D":  # Erlang staffing is per interval
        staff_form = ForecastStaffingForm(
            request.GET if "aht_seconds" in request.GET else _initial(ForecastStaffingForm())
        )
        context["staff_form"] = staff_form
        if staff_form.is_valid():
            staffing = selectors.forecast_staffing(forecast, staff_form.staffing_input())
            context["staffing"] = staffing
            context["staffing_spec"] = charts.intraday_heatmap(staffing["cells"], staffing["days"])
    return render(request, "planning/forecast_detail.html", context)


@login_required
@require_POST
def forecast_retry(request, pk: int):
    forecast = selectors.forecast(request.user, pk)
    try:
        services.retry_forecast(actor=request.user, forecast=forecast)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Queued {forecast} again.")
    return redirect("planning:forecast-detail", pk=forecast.pk)


def _point_choices(forecast) -> list:
    return [
        (p.period_start, timezone.localtime(p.period_start).strftime("%a %Y-%m-%d %H:%M") + f" · {p.value:.1f}")
        for p in forecast.points.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
@_reporting_zone
def forecast_override(request, pk: int):
    forecast = selectors.forecast(request.user, pk)
    access.require(request.user, Cap.EDIT_PLANNING)
    if not forecast.ready:
        messages.error(request, f"{forecast} has no intervals to override yet ({forecast.get_status_display()}).")
        return redirect("planning:forecast-detail", pk=pk)
    back = reverse("planning:forecast-detail", args=[pk])
    return form_page(
        request,
        OverrideForm(request.POST or None, points=_point_choices(forecast)),
        lambda data: services.override_forecast(actor=request.user, forecast=forecast, **data),
        title=f"Override {forecast}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Recorded the override ({obj}).",
    )


@login_required
@require_GET
@_reporting_zone
def event_list(request):
    return render(
        request,
        "planning/event_list.html",
        {
            "events": selectors.planning_events(request.user),
            "can_edit": access.can(request.user, Cap.EDIT_PLANNING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@_reporting_zone
def event_create(request):
    access.require(request.user, Cap.EDIT_PLANNING)
    programs = provider_selectors.programs(request.user)
    return form_page(
        request,
        PlanningEventForm(request.POST or None, programs=programs),
        lambda data: services.create_event(actor=request.user, **data),
        title="New planning event",
        cancel_url=reverse("planning:events"),
        success=lambda _: reverse("planning:events"),
        success_message="Created the event {obj}; the next forecast of its program applies it.",
    )


@login_required
@require_POST
def event_delete(request, pk: int):
    event = selectors.planning_event(request.user, pk)
    services.delete_event(actor=request.user, event=event)
    messages.success(request, f"Deleted the event {event.name}.")
    return redirect("planning:events")


@login_required
@require_GET
@csp_update(CHART_CSP)
def allocation(request):
    """Split the workload across providers at least cost, scenarios side by side, and the hiring each needs."""
    access.require(request.user, Cap.VIEW_PLANNING)
    defaults = selectors.provider_defaults(request.user)
    ready = ready_headcount(request.user, request.GET)
    if ready is not None and ready.only_ready:  # the worked example starts from ready agents, not the whole roster
        counts = ready.ready_by_provider()
        for d in defaults:
            d["headcount"] = counts.get(d["provider"].pk, 0)
    bound = "demand" in request.GET
    form = AllocationForm(request.GET if bound else None, defaults=defaults)
    if not bound:  # a worked example from the current providers
        form = AllocationForm({**_initial(form)}, defaults=defaults)
    context: dict = {"form": form, "warm_share": WARM_SHARE, "ready_headcount": ready}
    if form.is_valid():
        outcome = form.outcome(request.user)
        context["comparison"] = outcome["comparison"]
        if outcome["plans"] is not None:
            context["plans"] = outcome["plans"]
            context["hiring_spec"] = charts.hiring_chart(outcome["plans"])
    template = "planning/_allocation_panel.html" if request.htmx else "planning/allocation.html"
    return render(request, template, context, status=400 if form.errors and not request.htmx else 200)


@login_required
@require_http_methods(["GET", "POST"])
@_reporting_zone
def forecast_assign(request, pk: int):
    """The client gives a provider serving the program a share of this forecast's volume."""
    forecast = selectors.forecast(request.user, pk)
    access.require(request.user, Cap.EDIT_PLANNING)
    back = reverse("planning:forecast-detail", args=[pk])
    return form_page(
        request,
        AssignVolumeForm(request.POST or None, providers=forecast.program.providers.order_by("name")),
        lambda data: assignment_services.assign_volume(actor=request.user, forecast=forecast, **data),
        title=f"Assign volume of {forecast}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Assigned {obj}.",
    )


@login_required
@require_GET
@_reporting_zone
def assigned_list(request):
    """A partner's own assigned volume (the client's people see every provider's)."""
    rows = assignment_selectors.assignments(request.user).filter(forecast__status="succeeded")
    context = {"assignments": rows, "partner": request.user.provider_id is not None}
    return render(request, "planning/assigned_list.html", context)


@login_required
@require_GET
@_reporting_zone
def assignment_detail(request, pk: int):
    assignment = assignment_selectors.assignment(request.user, pk)
    context = {
        "assignment": assignment,
        "days": assignment_selectors.assigned_days(assignment),
        "commitments": assignment.commitments.select_related("created_by"),
        "can_commit": access.can(request.user, Cap.COMMIT_CAPACITY),
        "intraday": assignment.forecast.grain != "D",  # a daily forecast has no busiest interval
    }
    return render(request, "planning/assignment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_reporting_zone
def assignment_commit(request, pk: int):
    assignment = assignment_selectors.assignment(request.user, pk)
    access.require_for_provider(request.user, Cap.COMMIT_CAPACITY, assignment.provider_id)
    back = reverse("planning:assignment-detail", args=[pk])
    return form_page(
        request,
        CommitmentForm(request.POST or None),
        lambda data: assignment_services.commit_capacity(actor=request.user, assignment=assignment, **data),
        title=f"Commit capacity: {assignment.forecast.program.name} v{assignment.forecast.version}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Recorded your commitment ({obj}).",
    )
