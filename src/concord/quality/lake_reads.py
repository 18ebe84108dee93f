"""Interactions to evaluate, read from the lake. Pure: takes a ``Lake``, no Django.

Reads the interactions table at one version through DuckDB (``lake.scan``: local files or an
object store alike), values bound as parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from concord.lake import scan
from concord.lake.store import Lake

_COLUMNS = (
    "source, external_id, provider, agent, program, contact_type, channel, language, created_at, "
    "talk_seconds, hold_seconds, wrap_seconds, csat, resolved, transferred, escalated, transcript"
)


@dataclass(frozen=True)
class Interaction:
    source: str
    external_id: str
    provider: str
    agent: str | None
    program: str
    contact_type: str | None
    channel: str
    language: str | None
    created_at: dt.datetime
    handle_seconds: float | None
    csat: int | None
    resolved: bool
    transferred: bool
    escalated: bool
    transcript: str | None

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.external_id


def select_list(con, source: str) -> str:
    """The columns we read from ``source`` (a ``lake.scan.source``), NULL for any no file has
    (a lake loaded without transcripts has no such column)."""
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608 - built by lake.scan
    stored = {row[0] for row in described}
    return ", ".join(c if c in stored else f"NULL AS {c}" for c in (x.strip() for x in _COLUMNS.split(",")))


def _rows(lake: Lake, where: str, params: list, *, limit: int, order: str = "created_at DESC") -> list[Interaction]:
    snapshot = lake.snapshot("interactions")
    if snapshot.empty:
        return []
    with duckdb.connect() as con:
        source = scan.source(con, snapshot)
        sql = f"SELECT {select_list(con, source)} FROM {source} WHERE {where} ORDER BY {order} LIMIT {int(limit)}"  # noqa: S608
        records = con.execute(sql, params).fetchall()
    out = []
    for r in records:
        talk, hold, wrap = (x or 0.0 for x in r[9:12])
        handle = None if r[9] is None and r[10] is None and r[11] is None else talk + hold + wrap
        out.append(
            Interaction(
                source=r[0],
                external_id=r[1],
                provider=r[2],
                agent=r[3],
                program=r[4],
                contact_type=r[5],
                channel=r[6],
                language=r[7],
                created_at=r[8].astimezone(dt.UTC),
                handle_seconds=handle,
                csat=r[12],
                resolved=bool(r[13]),
                transferred=bool(r[14]),
                escalated=bool(r[15]),
                transcript=r[16],
            )
        )
    return out


def interaction(lake: Lake, source: str, external_id: str) -> Interaction | None:
    found = _rows(lake, "source = ? AND external_id = ?", [source, external_id], limit=1)
    return found[0] if found else None


def recent_for_agents(
    lake: Lake, provider: str, agent_ids: list[str], *, since: dt.datetime | None = None, limit: int = 50
) -> list[Interaction]:
    """An agent's handled contacts, newest first: the ones a grader picks from."""
    if not agent_ids:
        return []
    marks = ", ".join("?" for _ in agent_ids)
    where, params = f"provider = ? AND agent IN ({marks}) AND NOT abandoned", [provider, *agent_ids]
    if since is not None:
        where, params = f"{where} AND created_at >= ?", [*params, since]
    return _rows(lake, where, params, limit=limit)


def recent_for_provider(lake: Lake, provider: str, *, limit: int = 40) -> list[Interaction]:
    """A provider's newest handled contacts with an agent: the ones a calibration session is set up on."""
    return _rows(lake, "provider = ? AND agent IS NOT NULL AND NOT abandoned", [provider], limit=limit)
