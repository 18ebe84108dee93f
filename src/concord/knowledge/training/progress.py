"""Which modules each agent has done by a day, in one query per module (not per agent)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum

from concord import reporting
from concord.accounts.access import LOGIN_SOURCE
from concord.providers.models import AgentExternalId, Program

from ..models import Acknowledgement, Article, Attempt, ShadowingRecord, TreeWalk


def day_end(as_of: dt.date) -> dt.datetime:
    """The first instant after ``as_of`` in the reporting zone: records before it count for that day."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=reporting.zone())


def minimum_version(program: Program, module: dict, as_of: dt.date) -> tuple[Article | None, int]:
    """The article and the lowest version number that completes the module: the one named, or else the
    newest asking for acknowledgement published by ``as_of``."""
    article = Article.objects.filter(program=program, slug=module["article"]).first()
    if article is None:
        return None, 0
    if module.get("version"):
        return article, module["version"]
    newest = article.versions.filter(requires_ack=True, created_at__lt=day_end(as_of)).order_by("-number").first()
    return article, newest.number if newest else 1


def done(program: Program, modules: Sequence[dict], agent_ids: Sequence[int], as_of: dt.date) -> dict[str, set[int]]:
    """module key -> ids of the agents (of ``agent_ids``) who completed it by the end of ``as_of``."""
    end = day_end(as_of)
    out: dict[str, set[int]] = {}
    logins = None
    for module in modules:
        kind = module["kind"]
        if kind == "article":
            article, number = minimum_version(program, module, as_of)
            rows = Acknowledgement.objects.filter(
                agent_id__in=agent_ids, version__article=article, version__number__gte=number, acknowledged_at__lt=end
            ).values_list("agent_id", flat=True)
            out[module["key"]] = set(rows) if article else set()
        elif kind == "tree":
            if logins is None:
                logins = _logins(agent_ids)
            walkers = TreeWalk.objects.filter(
                version__tree__program=program, version__tree__slug=module["tree"], completed=True,
                finished_at__lt=end, user__provider_id__isnull=False,
            ).values_list("user__username", "user__provider_id")  # fmt: skip
            out[module["key"]] = {logins[w] for w in set(walkers) if w in logins}
        elif kind == "assessment":
            out[module["key"]] = set(
                Attempt.objects.filter(
                    agent_id__in=agent_ids, program=program, assessment=module["assessment"], passed=True,
                    submitted_at__lt=end,
                ).values_list("agent_id", flat=True)
            )  # fmt: skip
        else:
            out[module["key"]] = {
                agent_id
                for agent_id, hours in shadowing_hours(program, module["key"], agent_ids, as_of).items()
                if hours >= Decimal(module["hours"])
            }
    return out


def shadowing_hours(program: Program, module: str, agent_ids: Sequence[int], as_of: dt.date) -> dict[int, Decimal]:
    rows = (
        ShadowingRecord.objects.filter(agent_id__in=agent_ids, program=program, module=module, on__lte=as_of)
        .values("agent_id")
        .annotate(total=Sum("hours"))
    )
    return defaultdict(Decimal, {r["agent_id"]: r["total"] for r in rows})


def _logins(agent_ids: Sequence[int]) -> dict[tuple[str, int], int]:
    """(username, provider id) -> roster agent id: a walk is a login's, a module an agent's."""
    return {
        (username, provider_id): agent_id
        for agent_id, username, provider_id in AgentExternalId.objects.filter(
            agent_id__in=agent_ids, source=LOGIN_SOURCE
        ).values_list("agent_id", "external_id", "provider_id")
    }
