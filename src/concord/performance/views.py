"""Performance pages: portfolio, provider scorecard, and the client's scorecard editor. Thin."""

from __future__ import annotations

import functools

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.contracts import status as sla_status
from concord.web.charts import CHART_CSP, svg_response
from concord.web.forms import form_page
from concord.web.views import bad_request

from . import exports, reports, selectors, services
from . import grain as grains
from .forms import LineForm, ScorecardForm
from .grain import PeriodError


def _grain_period(request, card):
    """The grain (?grain=, else the card's) and the period of it the page shows (?period=, else the last
    complete one). A bad one raises ``PeriodError``, which ``_answers_bad_periods`` turns into a 400 page."""
    grain = request.GET.get("grain") or (card.grain if card else "month")
    return grain, grains.parse(request.GET.get("period"), grain)


def _answers_bad_periods(view):
    """A period nobody can show (9999-12, 2025-W53, 'soon') is the asker's mistake: a 400 that says why
    and links to the latest complete period, never a 500 nor a silently different period."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PeriodError as exc:
            query = request.GET.copy()
            query.pop("period", None)
            if query.get("grain") not in grains.GRAINS:
                query.pop("grain", None)
            return bad_request(
                request,
                title="That period can't be shown",
                message=f"{str(exc)[:1].upper()}{str(exc)[1:]}.",
                next_url=f"{request.path}?{query.urlencode()}",
                next_label="Show the latest complete period",
            )

    return wrapped


def _period_context(grain, period) -> dict:
    return {
        "grain": grain,
        "grains": grains.GRAINS,
        "period_param": grains.param(period, grain),
        "period_label": grains.label(period, grain),
    }


def _svg_url(provider, card, period, agent, chart, grain="month") -> str:
    query = {
        "period": grains.param(period, grain),
        "grain": grain,
        "chart": chart,
        **({"agent": agent} if agent else {}),
    }
    return f"{reverse('performance:provider-chart-svg', args=[provider.pk, card.pk])}?{urlencode(query)}"


def _pick(request, cards):
    """The card named by ?scorecard= among ``cards`` (already scoped), else the first."""
    wanted = request.GET.get("scorecard", "")
    cards = list(cards)
    if wanted.isdigit():
        for card in cards:
            if card.pk == int(wanted):
                return card, cards
    return (cards[0] if cards else None), cards


@login_required
@require_GET
@csp_update(CHART_CSP)
@_answers_bad_periods
def portfolio(request):
    access.require(request.user, Cap.VIEW_PERFORMANCE)
    card, cards = _pick(request, selectors.scorecards(request.user))
    grain, period = _grain_period(request, card)
    view = reports.portfolio(request.user, card, period, grain) if card else None
    fmt = exports.requested_format(request)
    if fmt and view:
        return exports.respond(fmt, reports.portfolio_table(view), f"portfolio-{grains.param(period, grain)}")
    if view:
        for r in view.rows:
            r.svg_url = _svg_url(r.provider, card, period, None, "index", grain)
    show_slas = access.can(request.user, Cap.VIEW_CONTRACTS)
    if view and show_slas:
        statuses = sla_status.by_provider(request.user, [r.provider.pk for r in view.rows], period, card.program)
        for r in view.rows:
            r.sla_status = statuses.get(r.provider.pk, [])
    return render(
        request,
        "performance/portfolio.html",
        {
            "view": view,
            "cards": cards,
            "card": card,
            "period": period,
            "can_edit": access.can(request.user, Cap.EDIT_SCORECARDS),
            "show_slas": show_slas,
            **_period_context(grain, period),
        },
    )


@login_required
@require_GET
@csp_update(CHART_CSP)
@_answers_bad_periods
def provider_scorecard(request, pk: int):
    provider = selectors.provider(request.user, pk)
    card, cards = _pick(request, selectors.scorecards_for(request.user, provider))
    grain, period = _grain_period(request, card)
    by = request.GET.get("by", "site")
    if by not in selectors.BREAKDOWNS:
        by = "site"
    agent = request.GET.get("agent", "").strip() or None
    view = (
        reports.provider_scorecard(request.user, provider, card, period, by=by, agent=agent, grain=grain)
        if card
        else None
    )
    if view:
        for t in view.trends:
            t.svg_url = _svg_url(provider, card, period, agent, t.line.pk, grain)
    fmt = exports.requested_format(request)
    if fmt and view:
        if request.GET.get("table") == "components":
            return exports.respond(
                fmt, reports.components_table(view), f"{provider.code}-{grains.param(period, grain)}"
            )
        return exports.respond(
            fmt, reports.breakdown_table(view), f"{provider.code}-{grains.param(period, grain)}-by-{by}"
        )
    return render(
        request,
        "performance/provider.html",
        {
            "provider": provider,
            "view": view,
            "cards": cards,
            "card": card,
            "period": period,
            "by": by,
            "agent": agent,
            "breakdowns": selectors.BREAKDOWNS,
            **_period_context(grain, period),
        },
    )


@login_required
@require_GET
@csp_update(CHART_CSP)
@_answers_bad_periods
def own_numbers(request):
    """An agent's own scorecard and its trend (issue #10.7): the numbers their provider and the client see."""
    card, cards = _pick(request, selectors.own_scorecards(request.user))
    grain, period = _grain_period(request, card)
    view = reports.own_scorecard(request.user, card, period, grain=grain) if card else None
    return render(
        request,
        "performance/own.html",
        {"view": view, "cards": cards, "card": card, "period": period, **_period_context(grain, period)},
    )


@login_required
@require_GET
@_answers_bad_periods
def provider_chart_svg(request, pk: int, scorecard: int):
    """A chart of the provider's pages as an SVG file: ``chart=index`` (the portfolio's index trend)
    or ``chart=<line id>`` (one metric's trend against its target), for ?period= (and ?agent=)."""
    provider = selectors.provider(request.user, pk)
    card = selectors.scorecards_for(request.user, provider).filter(pk=scorecard).first()
    if card is None:
        raise Http404("No such scorecard for this provider.")
    grain, period = _grain_period(request, card)
    agent = request.GET.get("agent", "").strip() or None
    trend = reports.provider_trend(request.user, provider, card, period, agent=agent, grain=grain)
    chart = request.GET.get("chart", "index")
    if chart == "index":
        spec, name = reports.index_trend(trend, provider, period, grain), "index"
    else:
        marks = reports.knowledge_marks(request.user, card, period, grain)
        found = [
            t for t in reports.metric_trends(trend, provider, period, grain, changes=marks) if str(t.line.pk) == chart
        ]
        if not found:
            raise Http404("No such chart.")
        spec, name = found[0].spec, found[0].line.metric_key
    if spec.get("width") == "container":
        spec = {**spec, "width": 640}
    return svg_response(spec, f"{provider.code}-{name}-{grains.param(period, grain)}")


@login_required
@require_GET
def scorecard_list(request):
    return render(
        request,
        "performance/scorecard_list.html",
        {
            "cards": selectors.scorecards(request.user),
            "can_edit": access.can(request.user, Cap.EDIT_SCORECARDS),
        },
    )


@login_required
@require_GET
def scorecard_detail(request, pk: int):
    return render(
        request,
        "performance/scorecard_detail.html",
        {
            "card": selectors.scorecard(request.user, pk),
            "can_edit": access.can(request.user, Cap.EDIT_SCORECARDS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_create(request):
    access.require(request.user, Cap.EDIT_SCORECARDS)
    return form_page(
        request,
        ScorecardForm(request.POST or None),
        lambda data: services.scorecard_create(actor=request.user, **data),
        title="New scorecard",
        cancel_url=reverse("performance:scorecards"),
        success=lambda c: reverse("performance:scorecard-detail", args=[c.pk]),
        success_message="Created {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_edit(request, pk: int):
    card = selectors.scorecard(request.user, pk)
    access.require(request.user, Cap.EDIT_SCORECARDS)
    back = reverse("performance:scorecard-detail", args=[pk])
    return form_page(
        request,
        ScorecardForm(request.POST or None, instance=card),
        lambda data: services.scorecard_update(actor=request.user, scorecard=card, **data),
        title=f"Edit {card}",
        cancel_url=back,
        success=lambda c: back,
        success_message="Saved {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request, pk: int):
    card = selectors.scorecard(request.user, pk)
    access.require(request.user, Cap.EDIT_SCORECARDS)
    back = reverse("performance:scorecard-detail", args=[pk])
    return form_page(
        request,
        LineForm(request.POST or None, initial={"weight": 1, "params": {}}),
        lambda data: services.line_create(actor=request.user, scorecard=card, **data),
        title=f"Add a metric to {card}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Added {obj}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, pk: int):
    line = selectors.line(request.user, pk)
    access.require(request.user, Cap.EDIT_SCORECARDS)
    back = reverse("performance:scorecard-detail", args=[line.scorecard_id])
    return form_page(
        request,
        LineForm(request.POST or None, instance=line),
        lambda data: services.line_update(actor=request.user, line=line, **data),
        title=f"Edit {line}",
        cancel_url=back,
        success=lambda _: back,
        success_message="Saved {obj}.",
    )


@login_required
@require_POST
def line_delete(request, pk: int):
    line = selectors.line(request.user, pk)
    access.require(request.user, Cap.EDIT_SCORECARDS)
    back = reverse("performance:scorecard-detail", args=[line.scorecard_id])
    label = str(line)
    services.line_delete(actor=request.user, line=line)
    messages.success(request, f"Removed {label}.")
    return redirect(back)
