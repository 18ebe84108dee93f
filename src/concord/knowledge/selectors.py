"""Reads of the knowledge base, always for one user: what their audience lets them see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent, Program

from . import audience as audiences
from . import markdown, search
from .models import Acknowledgement, Article, ArticleVersion


def person_of(agent: Agent) -> audiences.Person:
    site = agent.site
    return person_from(
        provider=agent.provider.code,
        site=site.code if site else None,
        languages=site.languages if site else None,
        team=agent.team.code if agent.team_id else None,
        role=agent.role,
    )


def person_from(
    *, provider: str, site: str | None, languages: str | None, team: str | None, role: str
) -> audiences.Person:
    """An audience's view of a roster entry from its codes (a site's languages: comma-separated codes)."""
    return audiences.Person(
        provider=provider,
        site=site or "",
        team=team or "",
        role=role,
        languages=frozenset(code.strip() for code in (languages or "").split(",") if code.strip()),
    )


def visible_programs(user) -> QuerySet[Program]:
    access.require(user, Cap.VIEW_KNOWLEDGE)
    provider_id = access.provider_scope(user)
    programs = Program.objects.all()
    return programs if provider_id is None else programs.filter(providers=provider_id)


def _reader(user):
    """Whether an audience admits this user: the client everyone's, partner staff their provider's, an agent
    by their roster entry (looked up once, not per article)."""
    provider_id = access.provider_scope(user)
    if provider_id is None:
        return lambda audience: True
    if access.can(user, Cap.VIEW_OWN_NUMBERS) and not access.can(user, Cap.VIEW_ROSTER):  # an agent
        agent = _own_agent_or_none(user)
        person = person_of(agent) if agent is not None else None
        return lambda audience: person is not None and audiences.admits(audience, person)
    code = user.provider.code
    return lambda audience: audiences.admits_provider(audience, code)


def _may_read(user, version: ArticleVersion) -> bool:
    return _reader(user)(version.audience)


def _own_agent_or_none(user) -> Agent | None:
    try:
        return access.own_agent(user)
    except Http404:
        return None


def articles(
    user, *, program: str | None = None, contact_type: str | None = None
) -> list[tuple[Article, ArticleVersion]]:
    """Every article the user may read, with its current version, by program then title."""
    qs = Article.objects.filter(program__in=visible_programs(user)).select_related("program", "contact_type", "owner")
    if program:
        qs = qs.filter(program__code=program)
    if contact_type:
        qs = qs.filter(contact_type__code=contact_type)
    latest: dict[int, ArticleVersion] = {}
    for version in (
        ArticleVersion.objects.filter(article__in=qs).defer("terms", "html").order_by("article_id", "-number")
    ):
        latest.setdefault(version.article_id, version)
    admits = _reader(user)
    rows = [(a, latest[a.pk]) for a in qs if a.pk in latest and admits(latest[a.pk].audience)]
    rows.sort(key=lambda pair: (pair[0].program.name, pair[1].title.lower()))
    return rows


def to_acknowledge(user) -> list[dict]:
    """For an agent's login: the current versions of articles in their audience that ask for an
    acknowledgement they have not given, oldest first, each with its due date (empty for anyone else)."""
    agent = _own_agent_or_none(user) if access.can(user, Cap.VIEW_OWN_NUMBERS) else None
    if agent is None:
        return []
    required = [(a, v) for a, v in articles(user) if v.requires_ack]
    acked = set(
        Acknowledgement.objects.filter(agent=agent, version__in=[v for _, v in required]).values_list(
            "version_id", flat=True
        )
    )
    now = timezone.now()
    out = []
    for found, current in required:
        if current.pk in acked:
            continue
        due = current.created_at + dt.timedelta(days=current.ack_due_days)
        out.append({"article": found, "version": current, "due": due, "overdue": now > due})
    return sorted(out, key=lambda row: row["due"])


def article(user, pk: int | None = None, *, program: str | None = None, slug: str | None = None) -> Article:
    """The article by id (or program code and slug), or 404 for one the user may not read: the same
    answer as for one that does not exist."""
    lookup = {"pk": pk} if pk is not None else {"program__code": program, "slug": slug}
    found = (
        Article.objects.filter(program__in=visible_programs(user), **lookup)
        .select_related("program", "contact_type", "owner")
        .first()
    )
    if found is None or found.current is None or not _may_read(user, found.current):
        raise Http404("No such article.")
    return found


def version(user, *, article: Article, number: int) -> ArticleVersion:
    found = article.versions.filter(number=number).first()
    if found is None:
        raise Http404("No such version.")
    return found


def is_stale(article: Article, *, today: dt.date | None = None) -> bool:
    return article.review_by is not None and article.review_by < (today or timezone.localdate())


def own_acknowledgement(user, article: Article) -> Acknowledgement | None:
    """The logged-in agent's latest acknowledgement of any version of this article."""
    agent = _own_agent_or_none(user) if access.can(user, Cap.VIEW_OWN_NUMBERS) else None
    if agent is None:
        return None
    return (
        Acknowledgement.objects.filter(agent=agent, version__article=article)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


def changes_since(article: Article, acknowledged: ArticleVersion | None) -> str | None:
    """The diff from the version a person acknowledged to the current one (None: nothing to show)."""
    current = article.current
    if acknowledged is None or current is None or acknowledged.pk == current.pk:
        return None
    return markdown.diff_html(
        acknowledged.body,
        current.body,
        before_label=f"v{acknowledged.number} (you acknowledged)",
        after_label=f"v{current.number} (current)",
    )


def find(user, query: str, *, program: str | None = None, limit: int = 20) -> list[search.Hit]:
    programs = visible_programs(user)
    if program:
        programs = programs.filter(code=program)
    hits = search.search(query, program_ids=set(programs.values_list("pk", flat=True)), limit=limit * 3)
    audiences_of = dict(
        ArticleVersion.objects.filter(pk__in=[h.version_id for h in hits]).values_list("pk", "audience")
    )  # one query for every hit's audience, not one per hit
    admits = _reader(user)
    return [h for h in hits if admits(audiences_of[h.version_id])][:limit]


@dataclass(frozen=True)
class KnowledgeChange:
    """A version that asked for acknowledgement: the moment the knowledge behind the numbers changed."""

    day: dt.date  # publication day in the reporting zone
    published: dt.datetime
    program_id: int
    article_id: int
    title: str
    number: int
    version: ArticleVersion


def knowledge_changes(*, user, program_ids: Iterable[int], start: dt.date, end: dt.date) -> list[KnowledgeChange]:
    """Versions asking for acknowledgement, published on a reporting-zone day in [start, end) in these programs,
    oldest first: only programs the user serves and versions whose audience admits the user (the one
    definition of a "knowledge change" for trend charts and review packs)."""
    from concord import reporting

    zone = reporting.zone()
    versions = (
        ArticleVersion.objects.filter(
            requires_ack=True,
            created_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone),
            created_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone),
            article__program__in=visible_programs(user).filter(pk__in=list(program_ids)),
        )
        .select_related("article__program")
        .defer("terms", "html", "body")
        .order_by("created_at", "pk")
    )
    admits = _reader(user)
    return [
        KnowledgeChange(
            day=v.created_at.astimezone(zone).date(),
            published=v.created_at,
            program_id=v.article.program_id,
            article_id=v.article_id,
            title=v.title,
            number=v.number,
            version=v,
        )
        for v in versions
        if admits(v.audience)
    ]


def changes(*, user, provider, start: dt.date, end: dt.date) -> list[dict]:
    """Knowledge changes for a review pack: versions asking for acknowledgement published on a local day in
    [start, end) in the provider's programs, with how many of the provider's asked agents acknowledged."""
    from .adoption import adoption

    programs = visible_programs(user).filter(providers=provider).values_list("pk", flat=True)
    out = []
    for change in knowledge_changes(user=user, program_ids=programs, start=start, end=end):
        version = change.version
        row = next(iter(adoption(user, provider=provider.code, versions=[version])), None)
        out.append({
            "title": version.title, "version": version.number, "program": version.article.program.name,
            "published": change.day.isoformat(), "note": version.note,  # JSON: a pack stores its sections
            "required": row.required if row else 0, "acknowledged": row.acknowledged if row else 0,
            "share_percent": row.share_percent if row else None,
        })  # fmt: skip
    return out
