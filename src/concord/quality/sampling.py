"""Drawing a QA sample from the lake: N contacts per agent for one week, stratified, risk-weighted, seeded.

Pure: takes a ``Lake``, no Django. One DuckDB query over the interactions table at one version:

- candidates: the provider's handled (not abandoned) contacts of the listed agents created in
  [start, end) UTC;
- risk flags: CSAT 1-2; handle time above the 90th percentile of these contacts; a repeat (the
  same customer contacted the provider again, on any channel, with any agent, within 7 days);
- weight = 1 + low_csat x w_csat + long_handle x w_handle + repeat x w_repeat;
- weighted sampling without replacement by Efraimidis & Spirakis (2006): each contact gets the
  key -ln(u) / weight, u uniform in (0, 1) from a hash of (seed, source, external id), and the
  smallest keys are drawn. The hash makes a draw depend only on the seed and the lake rows, not
  on file or row order, so the same seed on the same lake version draws the same contacts.
  Whether a contact is a repeat needs a second read (the following week); it is looked up only
  for contacts that could be drawn if they were one (their key with the repeat weight is no larger
  than the N-th smallest key without it, a bound no real N-th smallest key exceeds), so the draw
  is exactly the one over every contact's full weight.
  (A contact never looked up keeps its weight without the repeat; it is not drawn either way.)

Stratified: each agent's N is shared out over their (contact type, channel) strata in
proportion to the stratum's contacts, by largest remainder (Hamilton), ties to the stratum named
first; within a stratum the smallest keys win. An agent with fewer than N contacts gets all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from concord.lake import scan
from concord.lake.store import Lake

REPEAT_DAYS = 7
LONG_HANDLE_QUANTILE = 0.9


@dataclass(frozen=True)
class Risk:
    low_csat: int = 0
    long_handle: int = 0
    repeat: int = 0

    @property
    def any(self) -> bool:
        return bool(self.low_csat or self.long_handle or self.repeat)


NO_RISK = Risk()


@dataclass(frozen=True)
class Drawn:
    source: str
    external_id: str
    agent: str  # as the lake names them
    contact_type: str | None
    channel: str
    created_at: dt.datetime
    weight: float
    key: float
    stratum_contacts: int  # how many contacts the agent had in this stratum that week


@dataclass(frozen=True)
class Draw:
    version: int | None
    contacts: int  # candidates in the week for these agents
    drawn: list[Drawn]
    per_agent_available: dict[str, int]


_KEYED = """
WITH week AS MATERIALIZED (
    SELECT source, external_id, agent, contact_type, channel, created_at, customer_key, csat,
        CASE WHEN talk_seconds IS NULL AND hold_seconds IS NULL AND wrap_seconds IS NULL THEN NULL
             ELSE coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_seconds, 0) END AS handle
    FROM {source}
    WHERE provider = $provider AND NOT abandoned AND created_at >= $start AND created_at < $end
      AND agent IN (SELECT unnest($agents::VARCHAR[]))
), limits AS (
    SELECT quantile_cont(handle, {quantile}) AS long_handle FROM week
), first AS MATERIALIZED (  -- every weight but the repeat's, which needs another read
    SELECT w.source, w.external_id, w.agent, w.contact_type, w.channel, w.created_at, w.customer_key,
        1.0 + $w_csat * (coalesce(w.csat, 99) <= 2)::INT
            + $w_handle * (coalesce(w.handle > l.long_handle, FALSE))::INT AS weight0,
        -ln(((hash($seed || '/' || w.source || '/' || w.external_id) % 2147483647) + 1) / 2147483648.0) AS e,
        coalesce(w.contact_type, '') || '|' || w.channel AS stratum
    FROM week w CROSS JOIN limits l
), sizes AS (
    SELECT agent, part, n, sum(n) OVER (PARTITION BY agent) AS total
    FROM (SELECT agent, {partition} AS part, count(*) AS n FROM first GROUP BY 1, 2)
), bounds AS (  -- the r-th smallest key were no contact a repeat, r the most the part can get (its
                -- largest-remainder share, or N unstratified): no real r-th smallest key is larger
    SELECT f.agent, {partition_f} AS part,
        CASE WHEN count(*) >= any_value(r) THEN list_extract(min(f.e / f.weight0, $per_agent), any_value(r)::BIGINT)
             ELSE 'inf'::DOUBLE END AS t
    FROM first f JOIN (
        SELECT agent, part, least($per_agent, {share}) AS r FROM sizes
    ) s ON s.agent = f.agent AND s.part = {partition_f}
    GROUP BY 1, 2
), candidates AS MATERIALIZED (  -- contacts that could be drawn if they were a repeat
    SELECT f.source, f.external_id, f.customer_key, f.created_at
    FROM first f JOIN bounds b ON b.agent = f.agent AND b.part = {partition_f}
    WHERE $w_repeat > 0 AND f.e / (f.weight0 + $w_repeat) <= b.t
), came_back AS (  -- of those, the ones whose customer contacted the provider again within the window
    SELECT DISTINCT c.source, c.external_id
    FROM candidates c JOIN (
        SELECT customer_key, created_at FROM {source}
        WHERE provider = $provider AND created_at > $start AND created_at < $repeat_end
          AND customer_key IN (SELECT customer_key FROM candidates)
    ) l ON l.customer_key = c.customer_key
       AND l.created_at > c.created_at AND l.created_at <= c.created_at + INTERVAL {repeat_days} DAY
)
SELECT f.source, f.external_id, f.agent, f.contact_type, f.channel, f.created_at,
    f.weight0 + $w_repeat * (c.external_id IS NOT NULL)::INT AS weight,
    f.e / (f.weight0 + $w_repeat * (c.external_id IS NOT NULL)::INT) AS key, f.stratum
FROM first f LEFT JOIN came_back c ON c.source = f.source AND c.external_id = f.external_id
"""


_SIZES = "SELECT agent, stratum, count(*) FROM keyed GROUP BY ALL"
_PICKS = """
SELECT source, external_id, agent, contact_type, channel, created_at, weight, key, stratum,
    row_number() OVER (PARTITION BY agent, {partition} ORDER BY key, source, external_id) AS pick
FROM keyed QUALIFY pick <= $per_agent
ORDER BY agent, stratum, pick
"""


def allocate(per_agent: int, sizes: dict[str, int]) -> dict[str, int]:
    """Share ``per_agent`` over strata in proportion to their sizes: largest remainder (exact integer
    arithmetic, so ties are ties), ties to the stratum named first; a stratum never gets more than it has."""
    total = sum(sizes.values())
    if total <= per_agent:
        return dict(sizes)
    out = {s: per_agent * n // total for s, n in sizes.items()}
    remainder = {s: per_agent * n % total for s, n in sizes.items()}
    left = per_agent - sum(out.values())
    for s in sorted(sizes, key=lambda s: (-remainder[s], s))[:left]:
        out[s] += 1
    return out


def draw(
    lake: Lake,
    *,
    provider: str,
    agents: list[str],
    start: dt.datetime,
    end: dt.datetime,
    per_agent: int,
    seed: int,
    stratify: bool = True,
    risk: Risk = NO_RISK,
    version: int | None = None,
) -> Draw:
    snapshot = lake.snapshot("interactions", version)
    if snapshot.empty or not agents:
        return Draw(snapshot.version, 0, [], {})
    params = {
        "provider": provider, "start": start, "end": end,
        "repeat_end": end + dt.timedelta(days=REPEAT_DAYS), "agents": sorted(set(agents)), "seed": str(seed),
        "w_csat": float(risk.low_csat), "w_handle": float(risk.long_handle), "w_repeat": float(risk.repeat),
        "per_agent": per_agent,
    }  # fmt: skip
    with duckdb.connect() as con:
        keyed = _KEYED.format(
            source=scan.source(con, snapshot),
            repeat_days=REPEAT_DAYS,
            quantile=LONG_HANDLE_QUANTILE,
            partition="stratum" if stratify else "''",
            partition_f="f.stratum" if stratify else "''",
            share="$per_agent * n // total + 1" if stratify else "$per_agent",
        )
        con.execute(f"CREATE TEMP TABLE keyed AS {keyed}", params)
        sizes = con.execute(_SIZES).fetchall()
        picks = con.execute(_PICKS.format(partition="stratum" if stratify else "1"), {"per_agent": per_agent})
        table = picks.to_arrow_table()  # DuckDB's row-by-row fetch is several times slower than Arrow here
    rows = list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True))
    size: dict[str, dict[str, int]] = defaultdict(dict)
    for agent, stratum, n in sizes:
        size[agent][stratum] = n
    available = {agent: sum(strata.values()) for agent, strata in size.items()}
    by_agent: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_agent[r[2]][r[8] if stratify else ""].append(r)
    drawn = []
    for agent in sorted(by_agent):
        strata = by_agent[agent]
        take = allocate(per_agent, size[agent]) if stratify else {"": per_agent}
        for stratum in sorted(strata):
            for r in strata[stratum][: take[stratum]]:
                drawn.append(
                    Drawn(
                        source=r[0],
                        external_id=r[1],
                        agent=r[2],
                        contact_type=r[3],
                        channel=r[4],
                        created_at=r[5].astimezone(dt.UTC),
                        weight=float(r[6]),
                        key=float(r[7]),
                        stratum_contacts=size[agent][r[8]],
                    )
                )
    total = sum(available.values())
    return Draw(snapshot.version, total, drawn, available)
