"""Small hand-made fact tables for metric tests (pure: no Django)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

import ibis
import pyarrow as pa
import pytest

from concord.lake.schemas import INTERACTIONS, INTERVALS, ROSTER
from concord.metrics import MetricRef, MetricRequest, connect, run_on_tables

_ids = count(1)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def interaction(
    *,
    created_at: datetime = T0,
    answer_after: float | None = 10.0,
    resolve_after: float | None = None,
    **fields,
) -> dict:
    """One interaction; answered ``answer_after`` seconds after creation unless abandoned."""
    abandoned = fields.get("abandoned", False)
    row = {
        "source": "test",
        "external_id": f"c{next(_ids)}",
        "provider": "P1",
        "site": "S1",
        "team": "T1",
        "agent": "A1",
        "program": "billing",
        "contact_type": "question",
        "channel": "voice",
        "language": "en",
        "created_at": created_at,
        "answered_at": None if abandoned or answer_after is None else created_at + timedelta(seconds=answer_after),
        "resolved_at": None if resolve_after is None else created_at + timedelta(seconds=resolve_after),
        "wait_seconds": answer_after,
        "talk_seconds": None,
        "hold_seconds": None,
        "wrap_seconds": None,
        "abandoned": False,
        "transferred": False,
        "escalated": False,
        "reopened": False,
        "resolved": resolve_after is not None,
        "customer_key": None,
        "csat": None,
        "nps": None,
        "transcript": None,
        "updated_at": created_at,
        "created_month": created_at.strftime("%Y-%m"),
        "ingest_run": "r1",
    }
    row.update(fields)
    return row


def interval(**fields) -> dict:
    start = fields.pop("interval_start", datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    row = {
        "source": "acd",
        "provider": "P1",
        "site": "S1",
        "queue": "q1",
        "program": "billing",
        "contact_type": "question",
        "channel": "voice",
        "interval_start": start,
        "interval_minutes": 30,
        "offered": 0,
        "answered": 0,
        "abandoned": 0,
        "short_abandoned": 0,
        "answered_within_threshold": 0,
        "threshold_seconds": 20,
        "wait_seconds": 0.0,
        "handle_seconds": 0.0,
        "available_seconds": 0.0,
        "staffed_agents": 1.0,
        "updated_at": start,
        "interval_month": start.strftime("%Y-%m"),
        "ingest_run": "r1",
    }
    row.update(fields)
    return row


def roster_row(agent: str, snapshot: date, hire: date, exit_: date | None = None, **fields) -> dict:
    row = {
        "source": "wfm",
        "snapshot_date": snapshot,
        "agent": agent,
        "provider": "P1",
        "site": "S1",
        "team": "T1",
        "role": "agent",
        "hire_date": hire,
        "exit_date": exit_,
        "exit_reason": fields.pop("exit_reason", "voluntary" if exit_ else None),
        "certification_state": "certified",
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
        "ingest_run": "r1",
    }
    row.update(fields)
    return row


def arrow(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def tables(interactions=(), intervals=(), roster=()) -> dict[str, ibis.Table]:
    return {
        "interactions": ibis.memtable(arrow(INTERACTIONS.schema, list(interactions))),
        "intervals": ibis.memtable(arrow(INTERVALS.schema, list(intervals))),
        "roster": ibis.memtable(arrow(ROSTER.schema, list(roster))),
    }


@pytest.fixture(scope="session")
def con():
    return connect("duckdb")


@pytest.fixture
def measure(con):
    """measure(metrics, interactions=[...], **request) -> MetricResult over memtables."""

    def _measure(metrics, *, interactions=(), intervals=(), roster=(), **request):
        request.setdefault("start", date(2026, 3, 1))
        request.setdefault("end", date(2026, 4, 1))
        refs = [m if isinstance(m, MetricRef) else MetricRef(m) for m in metrics]
        req = MetricRequest(metrics=refs, **request)
        return run_on_tables(req, tables(interactions, intervals, roster), con)

    return _measure


def only(result, name: str):
    """The value of ``name`` in a result that has exactly one row."""
    assert len(result.rows) == 1, result.rows
    return result.rows[0].values[name]
