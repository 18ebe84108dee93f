"""Metrics over the interactions table (one row per offered or handled contact).

The expressions read helper columns the query layer adds to the prepared
table (see ``sources.prepare_interactions``):

- ``handled``: answered (``answered_at`` set) and not abandoned
- ``handle_s``: talk + hold + wrap, a missing part counting as 0
- ``has_handle``: some part of the handle time is known (a ticket usually has none)
- ``wait_s``: ``wait_seconds``, or answered - created when the source left it out
- ``first_response_s`` / ``resolution_s``: answered - created / resolved - created
- ``next_created`` and ``horizon`` (only with need "next_contact"): the next
  contact of the same customer, and the latest contact in the snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from .registry import HIGHER, LOWER, Metric, Param, register

SYNC_CHANNELS = ("voice", "chat")
ASYNC_CHANNELS = ("chat", "email", "messaging", "social")
P = Mapping[str, Any]


def _in_channels(t: ir.Table, p: P, default: tuple[str, ...] | None = None) -> ir.BooleanValue | None:
    channels = p.get("channels", default)
    return t.channel.isin(list(channels)) if channels else None


def _and(condition: ir.BooleanValue, scope: ir.BooleanValue | None) -> ir.BooleanValue:
    return condition if scope is None else condition & scope


def _count(cond):
    return lambda t, p: t.count(where=cond(t, p))


# --- building blocks shared by several metrics -------------------------------------------


def _handled(t, p):
    return t.handled


def _answered_in_scope(t, p):
    return _and(t.handled, _in_channels(t, p))


def _long_abandon(t, p):
    # A missing wait cannot prove an abandon was short, so it counts as a real abandon.
    short = t.wait_seconds.notnull() & (t.wait_seconds < p["short_abandon_seconds"])
    return _and(t.abandoned & ~short, _in_channels(t, p))


def _resolved(t, p):
    return t.resolved


CHANNELS_PARAM = Param("channels", tuple, None, "Only contacts of these channels; None for every channel in scope.")
#: Waiting in a queue, answering and abandoning exist only where a customer waits live (DOMAIN.md:
#: "ASA, service level and abandonment on live channels"); an e-mail is neither answered in 20 s nor abandoned.
LIVE_CHANNELS_PARAM = Param(
    "channels", tuple, SYNC_CHANNELS, "Live channels the metric is computed on; an empty list for every channel."
)


def _with_handle_time(t, p):
    # A ticket with no talk, hold or wrap time has no handle time: it is left out, not counted as 0 s.
    return _and(t.handled & t.has_handle, _in_channels(t, p))

SHORT_ABANDON = Param("short_abandon_seconds", float, 5.0, "Abandons before this many seconds of wait are ignored.")

register(
    Metric(
        key="aht",
        label="Average handle time",
        description="(talk + hold + wrap) / handled contacts that have a handle time (any channel recording one).",
        unit="seconds",
        direction=LOWER,
        category="efficiency",
        source="interactions",
        columns=("talk_seconds", "hold_seconds", "wrap_seconds", "answered_at", "abandoned", "channel"),
        numerator=lambda t, p: t.handle_s.sum(where=_with_handle_time(t, p)),
        denominator=_count(_with_handle_time),
        volume=_count(_with_handle_time),
        params=(CHANNELS_PARAM,),
    )
)

register(
    Metric(
        key="asa",
        label="Average speed of answer",
        description="Total wait of answered contacts / answered contacts, on live channels (voice, chat).",
        unit="seconds",
        direction=LOWER,
        category="customer",
        source="interactions",
        columns=("wait_seconds", "answered_at", "created_at", "abandoned", "channel"),
        numerator=lambda t, p: t.wait_s.sum(where=_answered_in_scope(t, p)),
        denominator=_count(_answered_in_scope),
        volume=_count(_answered_in_scope),
        params=(LIVE_CHANNELS_PARAM,),
        no_meaning_by=(
            ("agent", "the wait happens before an agent is chosen: it is the queue's, not the agent's"),
            ("team", "the wait happens before a team is chosen: it is the queue's, not the team's"),
        ),
    )
)


#: contacts that hang up while waiting never reach an agent nor a team (a site's queue, yes), and nobody
#: chooses which agent answers after a long wait: per agent or team, these measure the queue
QUEUE_NOT_AGENT = (
    ("agent", "abandoned contacts never reach an agent, and the wait is the queue's, not the agent's"),
    ("team", "abandoned contacts never reach a team, and the wait is the queue's, not the team's"),
)

#: service level variants (ICMI): what an abandoned contact does to the measure
SL_ABANDONS = {
    "short_excluded": "abandons after the short-abandon threshold count against; short ones are left out (default)",
    "ignored": "abandons are left out: answered within T / answered",
    "against": "every abandon counts against: answered within T / (answered + abandoned)",
    "met_within": "an abandon within T counts as met, later ones against",
}


def _any_abandon(t, p):
    return _and(t.abandoned, _in_channels(t, p))


def _sl_numerator(t, p):
    within = _answered_in_scope(t, p) & (t.wait_s <= p["threshold_seconds"])
    if p["abandons"] == "met_within":
        # a missing wait cannot prove the customer left within T
        within = within | (_any_abandon(t, p) & t.wait_seconds.notnull() & (t.wait_seconds <= p["threshold_seconds"]))
    return t.count(where=within)


def _sl_denominator(t, p):
    answered = _answered_in_scope(t, p)
    abandons = {"short_excluded": _long_abandon, "against": _any_abandon, "met_within": _any_abandon}
    if p["abandons"] == "ignored":
        return t.count(where=answered)
    return t.count(where=answered | abandons[p["abandons"]](t, p))


register(
    Metric(
        key="service_level",
        label="Service level",
        description=(
            "Answered within T seconds / (answered + abandoned after the short-abandon "
            "threshold), on live channels (voice, chat). Short abandons are left out of both sides."
        ),
        unit="percent",
        direction=HIGHER,
        category="customer",
        source="interactions",
        columns=("wait_seconds", "answered_at", "created_at", "abandoned", "channel"),
        numerator=_sl_numerator,
        denominator=_sl_denominator,
        volume=_sl_denominator,
        scale=100.0,
        params=(
            Param("threshold_seconds", float, 20.0, "Answered within this wait counts as met."),
            SHORT_ABANDON,
            LIVE_CHANNELS_PARAM,
            Param(
                "abandons",
                str,
                "short_excluded",
                "How abandons count: " + "; ".join(f"{k}: {v}" for k, v in SL_ABANDONS.items()) + ".",
                choices=tuple(SL_ABANDONS),
            ),
        ),
        no_meaning_by=QUEUE_NOT_AGENT,
    )
)


def _offered(t, p):
    return t.count(where=_in_channels(t, p))  # where=None counts every contact


register(
    Metric(
        key="abandon_rate",
        label="Abandon rate",
        description="Contacts abandoned after the short-abandon threshold / contacts offered, on live channels.",
        unit="percent",
        direction=LOWER,
        category="customer",
        source="interactions",
        columns=("wait_seconds", "abandoned", "channel"),
        numerator=_count(_long_abandon),
        denominator=_offered,
        volume=_offered,
        scale=100.0,
        params=(SHORT_ABANDON, LIVE_CHANNELS_PARAM),
        no_meaning_by=(
            ("agent", "abandoned contacts never reach an agent"),
            ("team", "abandoned contacts never reach a team"),
        ),
    )
)


#: every exact quantile of a column is taken from one sort: each quantile metric asks for
#: all of them (one identical aggregate, which DuckDB computes once) and picks its own
QUANTILES = (0.5, 0.9)


def _quantile_metric(key, label, description, column, q, scope, columns, params=()):
    def value(t, p):
        return t[column].quantile(list(QUANTILES), where=scope(t, p) & t[column].notnull())[QUANTILES.index(q)]

    def volume(t, p):
        return t.count(where=scope(t, p) & t[column].notnull())

    return register(
        Metric(
            key=key,
            label=label,
            description=description,
            unit="seconds",
            direction=LOWER,
            category="customer",
            source="interactions",
            columns=columns,
            numerator=value,
            volume=volume,
            params=params,
        )
    )


def _first_response_scope(t, p):
    return _and(t.answered_at.notnull() & ~t.abandoned, _in_channels(t, p, ASYNC_CHANNELS))


FRT_CHANNELS = Param("channels", tuple, ASYNC_CHANNELS, "Channels whose first response is measured (asynchronous).")
for _q, _name in ((0.5, "median"), (0.9, "p90")):
    _quantile_metric(
        f"first_response_{_name}",
        f"First-response time ({_name})",
        f"{_name} of first response - created, over answered contacts of asynchronous channels.",
        "first_response_s",
        _q,
        _first_response_scope,
        ("created_at", "answered_at", "abandoned", "channel"),
        (FRT_CHANNELS,),
    )
    _quantile_metric(
        f"resolution_{_name}",
        f"Resolution time ({_name})",
        f"{_name} of resolved - created, over resolved contacts.",
        "resolution_s",
        _q,
        lambda t, p: t.resolved & t.resolved_at.notnull(),
        ("created_at", "resolved_at", "resolved"),
    )


def _fcr_eligible(t, p):
    eligible = t.resolved & t.customer_key.notnull()
    if p["mature_only"]:
        # Without N days of later data we cannot know whether the customer came back.
        eligible &= (t.created_at + ibis.interval(days=p["window_days"])) <= t.horizon
    return eligible


def _fcr_numerator(t, p):
    no_repeat = t.next_created.isnull() | (t.next_created > t.created_at + ibis.interval(days=p["window_days"]))
    return t.count(where=_fcr_eligible(t, p) & no_repeat)


register(
    Metric(
        key="fcr",
        label="First-contact resolution",
        description=(
            "Resolved contacts with no later contact by the same customer within N days "
            "/ resolved contacts with a known customer. A repeat may land on any provider "
            "or channel, and after the reporting range. Contacts younger than N days at the "
            "end of the data are left out (mature_only) because their outcome is not known yet."
        ),
        unit="percent",
        direction=HIGHER,
        category="quality",
        source="interactions",
        columns=("customer_key", "created_at", "resolved"),
        numerator=_fcr_numerator,
        denominator=lambda t, p: t.count(where=_fcr_eligible(t, p)),
        volume=lambda t, p: t.count(where=_fcr_eligible(t, p)),
        scale=100.0,
        params=(
            Param("window_days", int, 7, "A contact by the same customer within N days is a repeat."),
            Param("mature_only", bool, True, "Leave out contacts whose N-day window is not over."),
        ),
        needs=frozenset({"next_contact"}),
    )
)


def _rate_of_handled(key, label, flag, description, category="quality"):
    register(
        Metric(
            key=key,
            label=label,
            description=description,
            unit="percent",
            direction=LOWER,
            category=category,
            source="interactions",
            columns=(flag, "answered_at", "abandoned"),
            numerator=lambda t, p: t.count(where=t.handled & t[flag]),
            denominator=_count(_handled),
            volume=_count(_handled),
            scale=100.0,
        )
    )


_rate_of_handled("transfer_rate", "Transfer rate", "transferred", "Transferred / handled contacts.")
_rate_of_handled("escalation_rate", "Escalation rate", "escalated", "Escalated / handled contacts.")

register(
    Metric(
        key="reopen_rate",
        label="Reopen rate",
        description="Reopened / resolved contacts.",
        unit="percent",
        direction=LOWER,
        category="quality",
        source="interactions",
        columns=("reopened", "resolved"),
        numerator=lambda t, p: t.count(where=t.resolved & t.reopened),
        denominator=_count(_resolved),
        volume=_count(_resolved),
        scale=100.0,
    )
)


def _csat_responses(t, p):
    return t.count(where=t.csat.notnull())


register(
    Metric(
        key="csat",
        label="CSAT (top-2-box)",
        description="Survey responses scoring 4 or 5 / survey responses.",
        unit="percent",
        direction=HIGHER,
        category="customer",
        source="interactions",
        columns=("csat",),
        numerator=lambda t, p: t.count(where=t.csat >= 4),
        denominator=_csat_responses,
        volume=_csat_responses,
        scale=100.0,
    )
)
register(
    Metric(
        key="csat_mean",
        label="CSAT (mean)",
        description="Mean survey score, 1-5, over responses.",
        unit="score",
        direction=HIGHER,
        category="customer",
        source="interactions",
        columns=("csat",),
        numerator=lambda t, p: t.csat.cast("float64").sum(),
        denominator=_csat_responses,
        volume=_csat_responses,
    )
)


def _nps_responses(t, p):
    return t.count(where=t.nps.notnull())


register(
    Metric(
        key="nps",
        label="Net promoter score",
        description="% promoters (9-10) - % detractors (0-6) over responses; -100 to 100.",
        unit="score",
        direction=HIGHER,
        category="customer",
        source="interactions",
        columns=("nps",),
        numerator=lambda t, p: t.count(where=t.nps >= 9) - t.count(where=t.nps <= 6),
        denominator=_nps_responses,
        volume=_nps_responses,
        scale=100.0,
    )
)

register(
    Metric(
        key="contacts_handled",
        label="Contacts handled",
        description="Contacts answered and not abandoned.",
        unit="count",
        direction=HIGHER,
        category="efficiency",
        source="interactions",
        columns=("answered_at", "abandoned"),
        numerator=_count(_handled),
        volume=_count(_handled),
        min_volume=0,
    )
)
register(
    Metric(
        key="contacts_offered",
        label="Contacts offered",
        description="Every contact offered or ticket created, abandoned or not.",
        unit="count",
        direction=HIGHER,
        category="efficiency",
        source="interactions",
        columns=("created_at",),
        numerator=lambda t, p: t.count(),
        volume=lambda t, p: t.count(),
        min_volume=0,
    )
)
