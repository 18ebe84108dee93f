"""Adoption in detail: how fast each provider acknowledges (a curve), each article's campaign, and who is overdue.

All three count the same (agent, version) pairs as ``adoption`` (``adoption.required``).

The curve: for day d, the share of pairs acknowledged within d x 24 hours of publication, over the
versions published at least d days ago only; a version published two days ago says nothing yet about
day 5, and counting it would pull the curve down as if its agents were slow.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict

from django.utils import timezone

from .adoption import required

#: days after publication the curve follows (two weeks: past every demo due date)
CURVE_DAYS = 14
#: most overdue acknowledgements listed on a page (the 50 due longest ago; the API gives every figure)
OVERDUE_LIMIT = 50


def curve(user, *, provider: str | None = None, days: int = CURVE_DAYS, now: dt.datetime | None = None) -> list[dict]:
    """Per provider and day 1..``days`` after publication: ``share_percent`` acknowledged by then, of ``pairs``."""
    now = now or timezone.now()
    found = required(user, provider=provider, now=now)
    names = {key[0]: agent.provider.name for agent, key in found.agents.values()}
    # per provider, as difference arrays over days 1..days (one step per pair, not one per pair and day):
    # the pairs old enough to say, and the pairs acknowledged by then
    steps: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([0] * (days + 2), [0] * (days + 2)))
    for asked in found.asked:
        last = min(days, int((now - asked.version.created_at).total_seconds() // 86400))
        if last < 1:
            continue
        for agent_id in asked.agent_ids:
            pairs, given = steps[found.agents[agent_id][1][0]]
            pairs[1] += 1
            pairs[last + 1] -= 1
            hours = asked.given.get(agent_id)
            if hours is not None:
                first = max(1, math.ceil(hours / 24))  # the first day by whose end it was given
                if first <= last:
                    given[first] += 1
                    given[last + 1] -= 1
    out = []
    for code, (pairs, given) in sorted(steps.items()):
        for day, (said, acked) in enumerate(zip(itertools.accumulate(pairs), itertools.accumulate(given), strict=True)):
            if 1 <= day <= days and said:
                out.append(
                    {"provider": code, "provider_name": names[code], "day": day,
                     "share_percent": 100.0 * acked / said, "pairs": said}
                )  # fmt: skip
    return out


def by_article(user, *, now: dt.datetime | None = None) -> list[dict]:
    """Each current version that asks for acknowledgement: published, due, and per provider acknowledged / asked."""
    found = required(user, now=now)
    rows: dict[int, dict] = {}
    for asked in found.asked:
        version = asked.version
        row = rows.setdefault(
            version.pk,
            {"version": version, "due": version.created_at + dt.timedelta(days=version.ack_due_days),
             "late": asked.late, "providers": defaultdict(lambda: [0, 0])},
        )  # fmt: skip
        for agent_id in asked.agent_ids:
            cell = row["providers"][found.agents[agent_id][1][0]]
            cell[1] += 1
            cell[0] += agent_id in asked.given
    out = []
    for row in rows.values():
        given = sum(c[0] for c in row["providers"].values())
        asked_total = sum(c[1] for c in row["providers"].values())
        row["share_percent"] = 100.0 * given / asked_total if asked_total else None
        row["providers"] = {
            code: {"acknowledged": g, "asked": a, "share_percent": 100.0 * g / a}
            for code, (g, a) in row["providers"].items()
        }
        out.append(row)
    return sorted(out, key=lambda r: r["version"].created_at, reverse=True)


def overdue(user, *, provider: str | None = None, limit: int = OVERDUE_LIMIT, now: dt.datetime | None = None):
    """(listed, total): the agents past the due date without acknowledging, oldest due first, at most ``limit``."""
    found = required(user, provider=provider, now=now)
    late = []
    for asked in found.asked:
        if not asked.late:
            continue
        due = asked.version.created_at + dt.timedelta(days=asked.version.ack_due_days)
        for agent_id in asked.agent_ids:
            if agent_id not in asked.given:
                late.append({"agent": found.agents[agent_id][0], "version": asked.version, "due": due})
    late.sort(key=lambda r: (r["due"], r["agent"].provider.name, r["agent"].display_name))
    return late[:limit], len(late)
