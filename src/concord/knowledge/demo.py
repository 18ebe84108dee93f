"""Demo step: 42 procedures for the two demo programs, and acknowledgement campaigns.

Six articles were updated 20 days ago and ask every agent to acknowledge them: most partners
acknowledged within a day or two, Atlas CX is slow (fewer, later, some overdue). One article,
"Refund a damaged item", changed again 3 days ago, so an agent who acknowledged the earlier
version sees what changed. Three articles are past their review date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from concord.accounts.access import LOGIN_SOURCE
from concord.providers.models import Agent

from . import services
from .demo_catalogue import CATALOGUE, body
from .demo_trees import build_trees
from .models import Acknowledgement, ArticleVersion

CAMPAIGN = ["refund-damaged-item", "failed-payment", "reset-password", "start-a-return", "mystery-fee",
            "start-warranty-claim"]  # fmt: skip
#: provider code -> (share of agents who acknowledge, mean hours to acknowledge)
BEHAVIOUR = {"ATLAS": (0.55, 96.0)}
DEFAULT_BEHAVIOUR = (0.96, 18.0)
STALE = ["shipping-costs", "screen-flicker", "warranty-abroad"]


def build_knowledge(ctx) -> None:
    admin = ctx.actor
    programs = ctx.made["programs"]
    now = timezone.now()
    published: dict[str, ArticleVersion] = {}
    for (program_code, contact_type), topics in CATALOGUE.items():
        for topic in topics:
            slug, title = topic[0], topic[1]
            data = services.ArticleInput(
                slug=slug, title=title, body=body(topic), contact_type=contact_type, note="First edition."
            )
            published[slug] = services.publish(user=admin, program=programs[program_code], data=data).version
    ArticleVersion.objects.update(created_at=now - dt.timedelta(days=120))
    for slug in STALE:
        article = published[slug].article
        article.review_by = ctx.today - dt.timedelta(days=ctx.rng.randint(5, 40))
        article.save(update_fields=["review_by"])
    for slug in CAMPAIGN:
        first = published[slug]
        update = services.ArticleInput(
            slug=slug,
            title=first.title,
            body=first.body + "\n## Since November\n\nLog the case number in the notes.\n",
            contact_type=first.article.contact_type.code,
            note="Case number now required in the notes.",
            requires_ack=True,
        )
        version = services.publish(user=admin, program=first.article.program, data=update).version
        ArticleVersion.objects.filter(pk=version.pk).update(created_at=now - dt.timedelta(days=20))
        version.refresh_from_db()
        _acknowledgements(ctx, version, now)
    refund = published["refund-damaged-item"].article
    latest = refund.current
    again = services.ArticleInput(
        slug=refund.slug,
        title=latest.title,
        body=latest.body.replace("Ask for a photo", "Ask for two photos"),
        contact_type="RETURN",
        note="Two photos: one of the item, one of the parcel label.",
        requires_ack=True,
        ack_due_days=5,
    )
    third = services.publish(user=admin, program=refund.program, data=again).version
    ArticleVersion.objects.filter(pk=third.pk).update(created_at=now - dt.timedelta(days=3))
    third.refresh_from_db()
    # once the agent login is tied to its roster entry (an after-users hook of the QA step), so it stays open
    ctx.made.setdefault("after_users", []).append(lambda c: _acknowledgements(c, third, now, skip_logins=True))
    build_trees(ctx)
    ctx.progress(f"{len(published)} articles, {len(CAMPAIGN) + 1} acknowledgement campaigns")


def _acknowledgements(ctx, version: ArticleVersion, now: dt.datetime, *, skip_logins: bool = False) -> None:
    """Roster agents acknowledge the way their provider does; the demo's agent login keeps the newest open."""
    serving = version.article.program.providers.all()
    agents = (
        Agent.objects.filter(provider__in=serving, role=Agent.Role.AGENT, exit_date__isnull=True)
        .exclude(status=Agent.Status.EXITED)
        .select_related("provider")
    )
    if skip_logins:
        agents = agents.exclude(external_ids__source=LOGIN_SOURCE)
    rows = []
    for agent in agents:
        share, mean_hours = BEHAVIOUR.get(agent.provider.code, DEFAULT_BEHAVIOUR)
        if ctx.rng.random() > share:
            continue
        hours = ctx.rng.expovariate(1 / mean_hours)
        at = version.created_at + dt.timedelta(hours=hours)
        if at >= now:
            continue
        rows.append(
            Acknowledgement(
                version=version,
                agent=agent,
                provider_id=agent.provider_id,
                acknowledged_at=at,
                hours_to_acknowledge=hours,
                via=Acknowledgement.Via.API,
            )
        )
    Acknowledgement.objects.bulk_create(rows, batch_size=2000)
