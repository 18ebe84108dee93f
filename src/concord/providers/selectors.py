"""Reads for providers and people, always scoped to the requesting user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.metrics.conventions import Conventions

from .models import Agent, ContactType, Program, Provider, Site, Team


def providers(user) -> QuerySet[Provider]:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.scope(user, Provider.objects.all(), "pk").annotate(
        site_count=Count("sites", distinct=True),
        active_agents=Count("agents", filter=Q(agents__exit_date__isnull=True), distinct=True),
    )


def provider(user, provider_id: int) -> Provider:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.get_visible_or_404(user, Provider.objects.all(), "pk", pk=provider_id)


def sites(user, provider: Provider | None = None) -> QuerySet[Site]:
    access.require(user, Cap.VIEW_PROVIDERS)
    qs = access.scope(user, Site.objects.select_related("provider"))
    return qs.filter(provider=provider) if provider else qs


def site(user, site_id: int) -> Site:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.get_visible_or_404(user, Site.objects.select_related("provider"), pk=site_id)


def teams(user, provider: Provider | None = None) -> QuerySet[Team]:
    access.require(user, Cap.VIEW_PROVIDERS)
    qs = access.scope(user, Team.objects.select_related("provider", "site"))
    return qs.filter(provider=provider) if provider else qs


def team(user, team_id: int) -> Team:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.get_visible_or_404(user, Team.objects.select_related("provider", "site"), pk=team_id)


def agents(user, provider: Provider | None = None) -> QuerySet[Agent]:
    access.require(user, Cap.VIEW_ROSTER)
    qs = access.scope(user, Agent.objects.select_related("provider", "site", "team"))
    return qs.filter(provider=provider) if provider else qs


def agent(user, agent_id: int) -> Agent:
    access.require(user, Cap.VIEW_ROSTER)
    return access.get_visible_or_404(
        user, Agent.objects.select_related("provider", "site", "team").prefetch_related("external_ids"), pk=agent_id
    )


def programs(user) -> QuerySet[Program]:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.scope(user, Program.objects.all(), "providers").distinct()


def program(user, program_id: int) -> Program:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.get_visible_or_404(user, Program.objects.all().distinct(), "providers", pk=program_id)


def contact_types(user, program: Program | None = None) -> QuerySet[ContactType]:
    access.require(user, Cap.VIEW_PROVIDERS)
    qs = access.scope(user, ContactType.objects.select_related("program"), "program__providers").distinct()
    return qs.filter(program=program) if program else qs


def contact_type(user, contact_type_id: int) -> ContactType:
    access.require(user, Cap.VIEW_PROVIDERS)
    return access.get_visible_or_404(
        user, ContactType.objects.select_related("program").distinct(), "program__providers", pk=contact_type_id
    )


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Last day of every month from ``start``'s month to ``end``'s, ``end`` itself last."""
    points = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        points.append(min(nxt - dt.timedelta(days=1), end))
        year, month = nxt.year, nxt.month
    return points


def headcount_by_site(user, provider: Provider, *, months: int = 12, today: dt.date | None = None) -> list[dict]:
    """Agents employed at each month end, per site: hired on or before, not yet exited.

    One query for the roster, counted in Python: a provider has hundreds of
    agents, and the same rule (``hire <= day < exit``) must hold at every point.
    """
    access.require(user, Cap.VIEW_ROSTER)
    today = today or dt.date.today()
    first = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    points = month_ends(first, today)
    roster = agents(user, provider).values_list("site__name", "hire_date", "exit_date")
    counts: dict[tuple[str, dt.date], int] = defaultdict(int)
    for site_name, hired, exited in roster:
        for day in points:
            if hired <= day and (exited is None or exited > day):
                counts[(site_name or "No site", day)] += 1
    return [
        {"site": site_name, "month_end": day.isoformat(), "headcount": n}
        for (site_name, day), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def attrition_summary(user, provider: Provider, *, today: dt.date | None = None) -> dict:
    """Exits in the last 12 months over the average of the month-end headcounts (annual rate)."""
    access.require(user, Cap.VIEW_ROSTER)
    today = today or dt.date.today()
    year_ago = today - dt.timedelta(days=365)
    roster = list(agents(user, provider).values_list("hire_date", "exit_date", "exit_reason"))
    points = month_ends(year_ago, today)[1:]
    heads = [sum(1 for h, e, _ in roster if h <= d and (e is None or e > d)) for d in points]
    exits = [(e, r) for _, e, r in roster if e is not None and year_ago < e <= today]
    average = sum(heads) / len(heads) if heads else 0
    return {
        "headcount": heads[-1] if heads else 0,
        "average_headcount": average,
        "exits": len(exits),
        "voluntary_exits": sum(1 for _, r in exits if r == Agent.ExitReason.VOLUNTARY),
        "annual_attrition": (len(exits) / average) if average else None,
    }


def conventions_for(*, count_by: str, hours: str, provider_codes) -> Conventions:
    """The metric conventions of a scorecard or an SLA, with the opening hours of the providers' sites.

    ``provider_codes`` are the providers a query already may read (scoped by the caller): a calendar
    is opening hours, needed to compute, not shown.
    """
    found: tuple = ()
    if hours == "business":
        sites = Site.objects.filter(provider__code__in=list(provider_codes)).select_related("provider")
        pairs = ((s.provider.code, s.code, s.calendar()) for s in sites.order_by("provider__code", "code"))
        found = tuple((p, code, cal) for p, code, cal in pairs if cal is not None)
    return Conventions(count_by=count_by, hours=hours, calendars=found)
