"""Supported ranges for dates and plausible bounds for numbers, per table and column.

A value outside them is a rejected row with a reason that names the bound, never
an overflow that fails the whole file (year 0000 cannot even be written as a
Parquet statistic) and never a figure that silently wrecks an average (a talk
time of 1e308 seconds). The bounds are generous: they catch what cannot be a
contact-centre fact, not what is merely unusual.

| table | column | bound |
| --- | --- | --- |
| every | any date-time | 1990-01-01 to 2099-12-31 (UTC) |
| every | any date | 1950-01-01 to 2099-12-31 |
| interactions | wait_seconds | at most 90 days (an e-mail may wait weeks) |
| interactions | requester_wait_seconds | at most 10 years (a ticket may stay open for years) |
| interactions | talk_seconds, hold_seconds, wrap_seconds | at most 1 day |
| intervals | offered, answered, abandoned, short_abandoned, answered_within_threshold | at most 1,000,000 |
| intervals | threshold_seconds | at most 1 day |
| intervals | wait_seconds, handle_seconds, available_seconds (totals) | at most 100,000,000 s |
| intervals | staffed_agents | at most 100,000 |
| agent_states | paid, logged-in, handle, available, unavailable seconds | at most 1 day per agent and interval |
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400
FIRST_TIME = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
END_TIME = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
FIRST_DATE = dt.date(1950, 1, 1)
END_DATE = dt.date(2100, 1, 1)

#: table -> column -> (largest plausible value, how the bound reads to a person)
UPPER: dict[str, dict[str, tuple[float, str]]] = {
    "interactions": {
        "wait_seconds": (90 * DAY, "90 days"),
        "requester_wait_seconds": (3650 * DAY, "10 years"),  # a ticket may stay open for years
        "talk_seconds": (DAY, "1 day"),
        "hold_seconds": (DAY, "1 day"),
        "wrap_seconds": (DAY, "1 day"),
    },
    "intervals": {
        **{c: (1_000_000, "1,000,000 per interval") for c in
           ("offered", "answered", "abandoned", "short_abandoned", "answered_within_threshold")},
        "threshold_seconds": (DAY, "1 day"),
        **{c: (100_000_000, "100,000,000 seconds per interval") for c in
           ("wait_seconds", "handle_seconds", "available_seconds")},
        "staffed_agents": (100_000, "100,000 agents"),
    },
    "agent_states": {
        c: (DAY, "1 day per agent and interval")
        for c in ("paid_seconds", "logged_in_seconds", "handle_seconds", "available_seconds", "unavailable_seconds")
    },
}


def check_bounds(batch: pa.RecordBatch, table: str, problems) -> None:
    """Flag (in ``problems``) every row with a date outside the supported range or a number above its bound."""
    for field in batch.schema:
        column = batch.column(field.name)
        if pa.types.is_timestamp(field.type):
            micros = column.cast(pa.int64())
            low, high = (int((t - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).total_seconds() * 1_000_000)
                         for t in (FIRST_TIME, END_TIME))
            outside = pc.or_(pc.less(micros, low), pc.greater_equal(micros, high))
            problems.add(outside, field.name, f"date-time outside the supported range {FIRST_TIME:%Y-%m-%d} "
                                              f"to {END_TIME.year - 1}-12-31 (UTC)")
        elif pa.types.is_date(field.type):
            days = column.cast(pa.int32())
            low, high = ((d - dt.date(1970, 1, 1)).days for d in (FIRST_DATE, END_DATE))
            outside = pc.or_(pc.less(days, low), pc.greater_equal(days, high))
            problems.add(outside, field.name, f"date outside the supported range {FIRST_DATE:%Y-%m-%d} "
                                              f"to {END_DATE.year - 1}-12-31")
    for name, (upper, words) in UPPER.get(table, {}).items():
        if name in batch.schema.names:
            problems.add(pc.greater(batch.column(name), upper), name,
                         f"above the plausible maximum of {words} for {name}")
