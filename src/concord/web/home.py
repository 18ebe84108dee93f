"""What the start page shows each person: the figures their role acts on, each linking to its page.

The client's people: the portfolio index per provider, SLAs at risk and open issues (failed loads and
rejected rows). A partner's lead: their own scorecard, SLAs and the forecast of the volume assigned to
them for the next weeks. An agent: their own numbers and the articles waiting for their acknowledgement. Every
figure is read through the domain's scoped selectors, for the last complete period in the reporting zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from concord import periods, reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.contracts import status
from concord.ingest import selectors as ingest_selectors
from concord.ingest.models import IngestRun
from concord.knowledge import selectors as knowledge_selectors
from concord.performance import grain, selectors
from concord.planning import assignment_selectors
from concord.planning.models import Forecast
from concord.providers import selectors as provider_selectors
from concord.web import waiting


@dataclass
class IndexFigure:
    """One provider's (or the agent's own) composite index on one scorecard, for one period."""

    who: str
    scorecard: str
    period_label: str
    index: float | None
    volume: int
    url: str


@dataclass
class SLAFigure:
    contract: str
    provider: str
    missed: int
    unmeasured: int
    total: int
    credit: str
    url: str


@dataclass
class AssignedFigure:
    """A partner's share of the latest forecast of one program, in contacts per week from this week on."""

    program: str
    version: int
    share: float
    weeks: list[tuple[str, float, int]]  # (label, contacts, forecast days in the week from today on)
    committed_fte: float | None
    url: str


@dataclass
class Home:
    own: list[IndexFigure] = field(default_factory=list)
    portfolio: list[IndexFigure] = field(default_factory=list)
    slas: list[SLAFigure] = field(default_factory=list)
    sla_month: dt.date | None = None
    open_issues: list[dict] = field(default_factory=list)
    issues_url: str = ""
    assigned: list[AssignedFigure] = field(default_factory=list)
    assigned_url: str = ""
    to_acknowledge: list[dict] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)


def _query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def build(user) -> Home:
    home = Home()
    if access.can(user, Cap.VIEW_OWN_NUMBERS):
        home.own = _own_numbers(user)
        home.to_acknowledge = knowledge_selectors.to_acknowledge(user)
    if access.can(user, Cap.VIEW_PERFORMANCE):
        home.portfolio = _portfolio(user)
    if access.can(user, Cap.VIEW_CONTRACTS):
        home.sla_month = reporting.last_complete("month")
        home.slas = _slas_at_risk(user, home.sla_month)
    if access.can(user, Cap.VIEW_ASSIGNED_VOLUME) and user.provider_id is not None:
        home.assigned, home.assigned_url = _assigned_forecast(user), reverse("planning:assigned")
    home.waiting = waiting.on(user)
    if access.can(user, Cap.INGEST) and user.provider_id is None:
        home.open_issues, home.issues_url = _open_issues(user), reverse("ingest:runs")
    return home


def _figure(who: str, card, period: dt.date, row, url: str) -> IndexFigure:
    index = row.index.index if row else None
    return IndexFigure(who, card.name, periods.label(period, card.grain), index, row.volume if row else 0, url)


def _own_numbers(user) -> list[IndexFigure]:
    try:
        own = selectors.own_agent(user)
    except Http404:
        return []  # the login is not linked to a roster entry: the page says so
    out = []
    for card in selectors.own_scorecards(user):
        period = reporting.last_complete(card.grain)
        row = grain.score(user, card, grain=card.grain, period=period).row(period, provider=own.provider.code)
        out.append(_figure(own.display_name, card, period, row, _query(reverse("performance:own"), scorecard=card.pk)))
    return out


def _portfolio(user) -> list[IndexFigure]:
    out = []
    for card in selectors.scorecards(user).order_by("name"):
        period = reporting.last_complete(card.grain)
        report = grain.score(user, card, grain=card.grain, period=period)
        for prov in selectors.providers(user, card):
            url = _query(
                reverse("performance:provider", args=[prov.pk]),
                scorecard=card.pk,
                grain=card.grain,
                period=periods.param(period, card.grain),
            )
            out.append(_figure(prov.name, card, period, report.row(period, provider=prov.code), url))
    return out


def _slas_at_risk(user, month: dt.date) -> list[SLAFigure]:
    """Every contract in force last month with how many SLAs were missed or could not be measured."""
    providers = {p.pk: p for p in provider_selectors.providers(user)}
    out = []
    for provider_id, statuses in status.by_provider(user, providers, month).items():
        for cs in statuses:
            out.append(
                SLAFigure(
                    cs.contract.name,
                    providers[provider_id].name,
                    cs.count("missed"),
                    cs.count("too little volume") + cs.count("not computed") + cs.count("could not be computed"),
                    len(cs.slas),
                    f"{cs.credit:,.2f} {cs.contract.currency}",
                    _query(reverse("contracts:report", args=[cs.contract.pk]), period=f"{month:%Y-%m}"),
                )
            )
    return sorted(out, key=lambda f: (-f.missed, -f.unmeasured, f.provider))


ASSIGNED_WEEKS = 4


def _assigned_forecast(user) -> list[AssignedFigure]:
    """Per program, the newest forecast version assigned to the partner: its contacts in each of the next
    weeks (Monday to Sunday in the reporting zone, from the current week), days already past left out."""
    today = reporting.today()
    first = periods.start_of(today, "week")
    weeks = [periods.shift(first, "week", n) for n in range(ASSIGNED_WEEKS)]
    newest: dict = {}
    for a in _assignments_newest_first(user):
        newest.setdefault(a.forecast.program_id, a)
    out = []
    for a in newest.values():
        totals, days = dict.fromkeys(weeks, 0.0), dict.fromkeys(weeks, 0)
        for day in assignment_selectors.assigned_days(a):
            week = periods.start_of(day["day"], "week")
            if day["day"] >= today and week in totals:
                totals[week] += day["contacts"]
                days[week] += 1
        latest = a.commitments.first()
        out.append(
            AssignedFigure(
                a.forecast.program.name,
                a.forecast.version,
                a.share,
                [(periods.label(w, "week"), totals[w], days[w]) for w in weeks],
                latest.fte if latest else None,
                reverse("planning:assignment-detail", args=[a.pk]),
            )
        )
    return sorted(out, key=lambda f: f.program)


def _assignments_newest_first(user):
    return (
        assignment_selectors.assignments(user)
        .filter(forecast__status=Forecast.Status.SUCCEEDED)
        .order_by("-forecast__created_at", "-forecast__version")
    )


def _open_issues(user) -> list[dict]:
    """Loads of the last 30 days that failed or rejected rows: someone has to look at them."""
    since = timezone.now() - dt.timedelta(days=30)
    runs = (
        ingest_selectors.runs(user)
        .filter(created_at__gte=since)
        .filter(Q(status=IngestRun.Status.FAILED) | Q(rejected__gt=0))
        .order_by("-created_at")[:5]
    )
    return [
        {
            "label": f"{run.file_name}: {run.get_status_display().lower()}, {run.rejected:,} rows rejected",
            "url": reverse("ingest:run", args=[run.pk]),
        }
        for run in runs
    ]
