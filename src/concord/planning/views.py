"""Planning pages. Thin: forms validate, selectors compute, services write."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP, svg_response

from . import charts, selectors
from .forms import ProfileForm, StaffingForm


@login_required
@require_GET
def index(request):
    access.require(request.user, Cap.VIEW_PLANNING)
    return render(request, "planning/index.html", {})


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
