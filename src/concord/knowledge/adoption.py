"""Adoption: of the acknowledgements current articles ask for, how many were given, how fast, how late.

Counted over pairs (agent, version): every active agent of a provider serving the article's
program whom the version's audience admits, for the current version of every article that asks
for an acknowledgement. Share = acknowledged pairs / required pairs; the median is over the hours
from publication to acknowledgement of the acknowledged pairs; a pair is overdue when it is still
unacknowledged ``ack_due_days`` after publication.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent

from . import audience as audiences
from .models import Acknowledgement, ArticleVersion
from .selectors import person_from, person_of

GROUPINGS = ("provider", "site", "team")


@dataclass
class AdoptionRow:
    provider: str
    site: str = ""
    team: str = ""
    required: int = 0
    acknowledged: int = 0
    overdue: int = 0
    provider_name: str = ""
    _hours: list[float] = field(default_factory=list, repr=False)

    @property
    def share_percent(self) -> float | None:
        return None if not self.required else 100.0 * self.acknowledged / self.required

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self._hours) if self._hours else None

    def as_json(self) -> dict:
        return {
            "provider": self.provider,
            "site": self.site,
            "team": self.team,
            "required": self.required,
            "acknowledged": self.acknowledged,
            "overdue": self.overdue,
            "share_percent": None if self.share_percent is None else round(self.share_percent, 1),
            "median_hours_to_acknowledge": None if self.median_hours is None else round(self.median_hours, 1),
        }


def current_required_versions() -> list[ArticleVersion]:
    latest: dict[int, ArticleVersion] = {}
    for version in (
        ArticleVersion.objects.select_related("article__program")
        .defer("terms", "html", "body")
        .order_by("article_id", "-number")
    ):
        latest.setdefault(version.article_id, version)
    return [v for v in latest.values() if v.requires_ack]


@dataclass
class Asked:
    """What one current version asks of a group of alike agents: ``given`` maps agent id to hours from
    publication to acknowledgement; ``late`` says the due days are over."""

    version: ArticleVersion
    agent_ids: list[int]
    given: dict[int, float]
    late: bool


@dataclass
class Required:
    """The agents ``user`` may see, each with its (provider, site, team) codes, and what is asked of them."""

    agents: dict[int, tuple[Agent, tuple[str, str, str]]]
    asked: list[Asked]


def _active_agents(user, provider: str | None):
    """The active agents adoption counts, among those ``user`` may see (only ``provider``'s when given)."""
    access.require(user, Cap.VIEW_ADOPTION)
    agents = access.scope(
        user, Agent.objects.filter(role=Agent.Role.AGENT, exit_date__isnull=True).exclude(status=Agent.Status.EXITED)
    )
    return agents.filter(provider__code=provider) if provider else agents


def required(user, *, provider: str | None = None, now: dt.datetime | None = None, versions=None) -> Required:
    """Every (agent, version) pair adoption counts, per agent, for the detail views (the curve, each
    article, who is overdue): active agents of a provider serving the version's program whom its
    audience admits, among the agents ``user`` may see. ``adoption`` counts the same pairs per group."""
    now = now or timezone.now()
    agents = _active_agents(user, provider).select_related("provider", "site", "team")
    by_id: dict[int, tuple[Agent, tuple[str, str, str]]] = {}
    people: dict[tuple, list[int]] = defaultdict(list)  # one audience check per kind of person, not per agent
    for agent in agents:
        person = person_of(agent)
        by_id[agent.pk] = (agent, (person.provider, person.site, person.team))
        people[(person, agent.provider_id)].append(agent.pk)
    versions = current_required_versions() if versions is None else list(versions)
    serving = _providers_serving({v.article.program_id for v in versions})
    acked: dict[int, dict[int, float]] = defaultdict(dict)
    for version_id, agent_id, hours in _acknowledgements(user, provider, versions):
        if agent_id in by_id:
            acked[version_id][agent_id] = hours
    asked = []
    for version in versions:
        late = now > version.created_at + dt.timedelta(days=version.ack_due_days)
        given = acked.get(version.pk, {})
        for (person, provider_id), agent_ids in people.items():
            if provider_id in serving[version.article.program_id] and audiences.admits(version.audience, person):
                asked.append(Asked(version, agent_ids, given, late))
    return Required(by_id, asked)


def adoption(
    user, *, provider: str | None = None, by: str = "provider", now: dt.datetime | None = None, versions=None
) -> list[AdoptionRow]:
    """Adoption grouped ``by`` provider, site or team; ``versions`` (default: every current one that asks
    for an acknowledgement) narrows it, e.g. to one article change for a review pack."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    now = now or timezone.now()
    agents = _active_agents(user, provider)
    # Agents with the same roster attributes are one "person" to an audience and fall in one row: count per
    # such group, and walk the acknowledgements once (5,000 agents x 200 versions is a million pairs).
    group_of: dict[int, int] = {}  # agent id -> group index
    groups: dict[tuple, int] = {}  # (person, provider id) -> group index
    group_people: list[tuple[audiences.Person, int]] = []
    group_sizes: list[int] = []
    names: dict[str, str] = {}
    # plain values, not 5,000 agents with their provider, site and team as model instances
    rows_of = agents.values_list(
        "pk", "provider_id", "provider__code", "provider__name", "site__code", "site__languages", "team__code", "role"
    )
    for pk, provider_id, code, name, site, languages, team, role in rows_of.iterator():
        names[code] = name
        group = (person_from(provider=code, site=site, languages=languages, team=team, role=role), provider_id)
        index = groups.get(group)
        if index is None:
            index = groups[group] = len(group_people)
            group_people.append(group)
            group_sizes.append(0)
        group_sizes[index] += 1
        group_of[pk] = index
    group_keys = [
        (person.provider, person.site if by != "provider" else "", person.team if by == "team" else "")
        for person, _ in group_people
    ]
    versions = current_required_versions() if versions is None else list(versions)
    serving = _providers_serving({v.article.program_id for v in versions})
    rows: dict[tuple[str, str, str], AdoptionRow] = {}
    for key in sorted(set(group_keys)):
        rows[key] = AdoptionRow(*key, provider_name=names[key[0]])
    row_of_group = [rows[key] for key in group_keys]

    asked: dict[int, list[int]] = {}  # version id -> the groups its audience admits
    for version in versions:
        asked[version.pk] = [
            i for i, (person, provider_id) in enumerate(group_people)
            if provider_id in serving[version.article.program_id] and audiences.admits(version.audience, person)
        ]  # fmt: skip
    admitted = {(version_id, i) for version_id, ids in asked.items() for i in ids}
    acked: dict[tuple[int, int], int] = defaultdict(int)
    for version_id, agent_id, hours in _acknowledgements(user, provider, versions):
        index = group_of.get(agent_id)
        if index is not None and (version_id, index) in admitted:
            acked[version_id, index] += 1
            row_of_group[index]._hours.append(hours)
    for version in versions:
        overdue = now > version.created_at + dt.timedelta(days=version.ack_due_days)
        for index in asked[version.pk]:
            target, given = row_of_group[index], acked.get((version.pk, index), 0)
            target.required += group_sizes[index]
            target.acknowledged += given
            if overdue:
                target.overdue += group_sizes[index] - given
    return [r for r in rows.values() if r.required]


def _acknowledgements(user, provider: str | None, versions) -> list[tuple[int, int, float]]:
    """(version id, agent id, hours) of the versions' acknowledgements in the user's scope, read with one plain
    cursor: at a million rows the ORM's per-row work would be most of the time."""
    if not versions:  # Django compiles ``IN ()`` to no SQL at all (EmptyResultSet): nothing was asked
        return []
    qs = Acknowledgement.objects.filter(version_id__in=[v.pk for v in versions])
    scope = access.provider_scope(user)
    if scope is not None:
        qs = qs.filter(provider_id=scope)
    if provider:
        qs = qs.filter(provider__code=provider)
    sql, params = qs.values_list("version_id", "agent_id", "hours_to_acknowledge").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _providers_serving(program_ids: set[int]) -> dict[int, set[int]]:
    from concord.providers.models import Program

    serving: dict[int, set[int]] = {pid: set() for pid in program_ids}
    for program_id, provider_id in Program.providers.through.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "provider_id"
    ):
        serving[program_id].add(provider_id)
    return serving
