"""Reads for scorecards and their numbers, always scoped to the requesting user.

Every metric query built here filters on provider codes taken from what the
user may see, never from a parameter: a partner's query is always cut to their
own provider, whatever they ask for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from concord import periods, reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.lake.store import Lake
from concord.metrics.query import MetricRef, MetricRequest, MetricValue
from concord.metrics.sources import SOURCE_DIMENSIONS
from concord.providers import selectors as provider_selectors
from concord.providers.models import Agent, Provider

from . import cache
from .index import Component, ComponentInput, IndexResult, composite
from .models import Scorecard, ScorecardMetric

BREAKDOWNS = ("site", "team", "agent")
VOLUME = "_contacts_handled"
#: dimensions a source may lack and still be scored: people metrics are per provider, not per program nor
#: per contact type
DROPPABLE_FILTERS = frozenset({"program", "contact_type"})


def lake() -> Lake:
    return Lake(settings.LAKE_URI)


# --- periods -------------------------------------------------------------------------------


def parse_period(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """'2026-05' -> 2026-05-01; empty -> the last complete month in the reporting zone.

    Raises ``PeriodError`` (a ValueError) with a clear message, also outside the supported years.
    """
    return periods.parse(text, "month", today=today or reporting.today())


# --- records -------------------------------------------------------------------------------


def scorecards(user) -> QuerySet[Scorecard]:
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = Scorecard.objects.select_related("program").prefetch_related("lines")
    return access.scope(user, qs, "program__providers").distinct()


def scorecard(user, scorecard_id: int) -> Scorecard:
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = Scorecard.objects.select_related("program").prefetch_related("lines").distinct()
    return access.get_visible_or_404(user, qs, "program__providers", pk=scorecard_id)


def line(user, line_id: int) -> ScorecardMetric:
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = ScorecardMetric.objects.select_related("scorecard__program").distinct()
    return access.get_visible_or_404(user, qs, "scorecard__program__providers", pk=line_id)


def providers(user, card: Scorecard | None = None) -> QuerySet[Provider]:
    """Providers this user may see numbers of (those serving the card's program, if given)."""
    access.require(user, Cap.VIEW_PERFORMANCE)
    qs = access.scope(user, Provider.objects.all(), "pk")
    if card is not None:
        qs = qs.filter(programs=card.program_id)
    return qs.order_by("kind", "name").distinct()


def provider(user, provider_id: int) -> Provider:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return access.get_visible_or_404(user, Provider.objects.all(), "pk", pk=provider_id)


def provider_by_code(user, code: str) -> Provider:
    access.require(user, Cap.VIEW_PERFORMANCE)
    return access.get_visible_or_404(user, Provider.objects.all(), "pk", code=code)


def scorecards_for(user, prov: Provider) -> QuerySet[Scorecard]:
    return scorecards(user).filter(program__providers=prov)


def own_agent(user) -> Agent:
    """The roster entry of the agent logged in (403 for other roles, 404 when the login is not linked)."""
    return access.own_agent(user)


def own_scorecards(user) -> QuerySet[Scorecard]:
    """An agent's scorecards: those of their provider's programs (``access.own_agent`` says whose)."""
    own = own_agent(user)
    qs = Scorecard.objects.select_related("program").prefetch_related("lines")
    return qs.filter(program__providers=own.provider_id).distinct()


def agent_names(user, prov: Provider) -> dict[str, str]:
    """Employee id (as the lake names agents) -> the name people know them by, for the agents this user may see."""
    qs = access.scope(user, Agent.objects.filter(provider=prov), "provider")
    return dict(qs.values_list("employee_id", "display_name"))


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineScore:
    line: ScorecardMetric
    value: MetricValue | None  # None: this metric cannot be cut this way (see the report's notes)
    component: Component


@dataclass(frozen=True)
class ScoreRow:
    dimensions: dict[str, str | None]
    period: dt.date | None
    index: IndexResult
    lines: list[LineScore]
    volume: int

    @property
    def used(self) -> list[str]:
        """The labels of the lines the index was computed from (the others had no data or too little volume)."""
        return [ls.line.label for ls in self.lines if ls.component.included]

    def categories(self) -> dict[str, float | None]:
        """Per category: weighted mean of the capped attainments of its scored lines, on the index's scale."""
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        seen: dict[str, None] = {}
        for ls in self.lines:
            cat = ls.line.category
            seen[cat] = None
            if ls.component.included:
                sums[cat][0] += ls.line.weight * ls.component.capped
                sums[cat][1] += ls.line.weight
        cap = self.index.cap
        return {c: (100 * sums[c][0] / sums[c][1] / cap if sums[c][1] else None) for c in seen}


@dataclass
class ScorecardReport:
    scorecard: Scorecard
    lines: list[ScorecardMetric]
    start: dt.date
    end: dt.date
    group_by: tuple[str, ...]
    rows: list[ScoreRow]
    versions: dict[str, int | None]
    notes: list[str] = field(default_factory=list)
    #: lines of the card that mean nothing at this level (per agent, per team), with why: not shown, not scored
    left_out: list[tuple[ScorecardMetric, str]] = field(default_factory=list)
    level: str | None = None

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(line.category for line in self.lines))

    def row(self, period: dt.date | None = None, **dims: str) -> ScoreRow | None:
        for row in self.rows:
            if (period is None or row.period == period) and all(row.dimensions.get(k) == v for k, v in dims.items()):
                return row
        return None

    def empty_row(self, period: dt.date | None = None, **dims: str) -> ScoreRow:
        return score_row(self.lines, {}, dims, period)


def score_row(lines, values: dict[str, MetricValue], dims: dict, period: dt.date | None) -> ScoreRow:
    inputs = []
    for ln in lines:
        v = values.get(ln.alias)
        low, high = ln.band()
        inputs.append(
            ComponentInput(
                name=ln.alias,
                value=None if v is None else v.value,
                target=ln.target,
                weight=ln.weight,
                kind=ln.kind,
                band_low=low,
                band_high=high,
                too_little_volume=bool(v and v.too_little_volume),
                volume=0 if v is None else v.volume,
            )
        )
    index = composite(inputs)
    scored = [LineScore(ln, values.get(ln.alias), c) for ln, c in zip(lines, index.components, strict=True)]
    vol = values.get(VOLUME)
    volume = vol.volume if vol is not None else max((v.volume for v in values.values()), default=0)
    return ScoreRow(dict(dims), period, index, scored, volume)


def visible_codes(user, card: Scorecard, only: Provider | None = None) -> list[str]:
    """The provider codes a query may read: those the user sees that serve the card's program."""
    allowed = providers(user, card)
    if only is not None:
        allowed = allowed.filter(pk=only.pk)
        if not allowed.exists():
            raise Http404("No such object.")
    return list(allowed.values_list("code", flat=True))


def score(
    user,
    card: Scorecard,
    *,
    period: dt.date,
    months: int = 1,
    by: str | None = None,
    provider: Provider | None = None,
    agent: str | None = None,
    lake_: Lake | None = None,
) -> ScorecardReport:
    """The card's numbers per provider (and ``by``) and month, for ``months`` months ending at ``period``."""
    return score_window(
        user,
        card,
        grain="month",
        start=periods.shift(period, "month", -(months - 1)),
        end=periods.end_of(period, "month"),
        by=by,
        provider=provider,
        agent=agent,
        lake_=lake_,
    )


def score_window(
    user,
    card: Scorecard,
    *,
    grain: str,
    start: dt.date,
    end: dt.date,
    by: str | None = None,
    provider: Provider | None = None,
    agent: str | None = None,
    level: str | None = None,
    lake_: Lake | None = None,
    contact_types: list[str] | None = None,
) -> ScorecardReport:
    """The card's numbers per provider (and ``by``) and ``grain`` period from ``start`` to before ``end``.

    ``contact_types`` (codes) narrows the card to that work, e.g. a transition plan's; lines whose data has
    no contact type are then measured over all of it, and said so in ``notes``.

    Per agent or team (``agent``, ``by``, or ``level`` to score a provider on an agent's terms) the lines
    with no meaning there are left out, and said so in ``left_out``.
    """
    if access.can(user, Cap.VIEW_PERFORMANCE):
        visible, codes = scorecards(user), None
    else:  # an agent: their own numbers only, whatever they ask for (403 for any other role)
        own = access.own_agent(user)
        if (agent or own.employee_id) != own.employee_id or (provider is not None and provider.pk != own.provider_id):
            raise Http404("No such object.")
        visible, codes, agent = own_scorecards(user), [own.provider.code], own.employee_id
    if not visible.filter(pk=card.pk).exists():
        raise Http404("No such object.")
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"cannot break down by {by!r}; use one of {', '.join(BREAKDOWNS)}")
    # the finest cut decides what can be scored: one agent, a team, or a provider or site (their own queue)
    level = "agent" if agent or by == "agent" else (level or by)
    lines, left_out = lines_at_level(card, level)
    group_by = ("provider", *((by,) if by else ()))
    codes = codes or visible_codes(user, card, provider)
    filters: dict[str, list[str]] = {"provider": codes, "program": [card.program.code]}
    if agent:
        filters["agent"] = [agent]
    if contact_types:
        filters["contact_type"] = list(contact_types)
    merged: dict[tuple, dict[str, MetricValue]] = defaultdict(dict)
    versions: dict[str, int | None] = {}
    notes: list[str] = []
    by_source: dict[str, list[ScorecardMetric]] = defaultdict(list)
    for ln in lines:
        by_source[ln.metric.source].append(ln)
    if not by_source or "interactions" not in by_source:
        by_source.setdefault("interactions", [])
    store = lake_ or lake()
    conv = provider_selectors.conventions_for(count_by=card.count_by, hours=card.hours, provider_codes=codes)
    for source, src_lines in by_source.items():
        allowed = SOURCE_DIMENSIONS[source]
        missing = [d for d in (*group_by, *filters) if d not in allowed and d not in DROPPABLE_FILTERS]
        if missing:
            labels = ", ".join(ln.label for ln in src_lines)
            if labels:
                notes.append(f"{labels}: not available by {', '.join(missing)} (the {source} data has no such column).")
            continue
        src_filters = {k: v for k, v in filters.items() if k in allowed}
        if "program" not in allowed and src_lines:
            notes.append(
                f"{', '.join(ln.label for ln in src_lines)}: measured for the whole provider, not per program."
            )
        if contact_types and "contact_type" not in allowed and src_lines:
            notes.append(f"{', '.join(ln.label for ln in src_lines)}: measured over every contact type.")
        refs = [MetricRef(ln.metric_key, ln.query_params(), ln.min_volume, ln.alias) for ln in src_lines]
        if source == "interactions":
            refs.append(MetricRef("contacts_handled", alias=VOLUME))
        request = MetricRequest(
            metrics=refs,
            start=start,
            end=end,
            timezone=settings.REPORTING_TIMEZONE,
            grain=grain,
            group_by=group_by,
            filters=src_filters,
            conventions=conv,
        )
        result = cache.run(request, store)  # exact: pinned to the lake version it reads
        versions.update(result.versions)
        for row in result.rows:
            merged[(tuple(row.dimensions.get(d) for d in group_by), row.period_start)].update(row.values)
    rows = [
        score_row(lines, values, dict(zip(group_by, dims, strict=True)), period_start)
        for (dims, period_start), values in sorted(merged.items(), key=lambda kv: (kv[0][1], str(kv[0][0])))
    ]
    return ScorecardReport(card, lines, start, end, group_by, rows, versions, notes, left_out, level)


LeftOut = list[tuple[ScorecardMetric, str]]


def lines_at_level(card: Scorecard, level: str | None) -> tuple[list[ScorecardMetric], LeftOut]:
    """The card's lines that mean something at ``level`` (None: a provider; 'site', 'team', 'agent'), and
    the others with why. Scoring abandonment per agent gave every agent full points (abandoned contacts have no agent),
    so every agent outscored their own team by construction."""
    lines, left_out = [], []
    for ln in card.lines.all():
        why = ln.metric.why_not_by(level) if level else None
        if why:
            left_out.append((ln, why))
        else:
            lines.append(ln)
    return lines, left_out
