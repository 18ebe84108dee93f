"""Named whole-file transforms a profile can apply before column mapping.

A transform receives every raw row of the file (string columns plus ``_row``,
the 1-based data row) and returns new raw rows (string columns plus ``_row``,
and ``_reason`` for rows it could not build). The registry is an explicit
dict: a profile names a transform, it never imports code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from . import convert
from .readers import IngestError

Transform = Callable[[pa.Table, dict[str, Any], str], pa.Table]


def events_to_tickets(events: pa.Table, options: dict[str, Any], file_name: str) -> pa.Table:
    """One ticket per case from an event log.

    created_at = first event; answered_at = first ``take`` activity, whose
    resource is the agent; resolved_at = last ``close`` activity; reopened when
    any other activity follows a closing; updated_at = last event. Columns listed
    in ``keep`` are copied from the case's first event.
    """
    case = options.get("case", "Case ID")
    activity = options.get("activity", "Activity")
    resource = options.get("resource", "Resource")
    stamp = options.get("timestamp", "Complete Timestamp")
    formats = tuple(options.get("timestamp_formats", ("iso",)))
    take = list(options.get("take", ["Take in charge ticket"]))
    close = list(options.get("close", ["Closed"]))
    keep = list(options.get("keep", []))
    missing = [c for c in (case, activity, resource, stamp, *keep) if c not in events.column_names]
    if missing:
        raise IngestError(
            f"{file_name}: missing column(s) {', '.join(map(repr, missing))} needed to build tickets from events; "
            f"found: {', '.join(events.column_names)[:300]}."
        )
    # Parsed as wall-clock (the profile's time zone is applied when mapping).
    ts, _bad = convert.to_timestamp(events[stamp].combine_chunks(), formats, "UTC")
    ev = pa.table(
        {
            "case_id": convert.clean_strings(events[case].combine_chunks()),
            "activity": convert.clean_strings(events[activity].combine_chunks()),
            "resource": convert.clean_strings(events[resource].combine_chunks()),
            "ts": ts.cast(pa.timestamp("us")),
            "raw_ts": events[stamp].combine_chunks(),
            "row": events["_row"].combine_chunks(),
            **{f"k_{i}": events[c].combine_chunks() for i, c in enumerate(keep)},
        }
    )
    con = duckdb.connect()
    try:
        con.register("ev", ev)
        con.register("take_set", pa.table({"a": pa.array(take, pa.string())}))
        con.register("close_set", pa.table({"a": pa.array(close, pa.string())}))
        kept = "".join(f', arg_min(k_{i}, pos) AS "{c}"' for i, c in enumerate(keep))
        fmt = "%Y-%m-%dT%H:%M:%S.%f"
        result = con.execute(f"""
            WITH e AS (
              SELECT *, activity IN (SELECT a FROM take_set) AS is_take,
                        activity IN (SELECT a FROM close_set) AS is_close,
                        row_number() OVER (PARTITION BY case_id ORDER BY ts NULLS FIRST, row) AS pos
              FROM ev WHERE case_id IS NOT NULL
            ), c AS (
              SELECT case_id, min(row) AS first_row, count(*) AS events,
                     min(ts) AS created, max(ts) AS updated,
                     min(ts) FILTER (WHERE is_take) AS answered,
                     arg_min(resource, pos) FILTER (WHERE is_take) AS agent,
                     max(ts) FILTER (WHERE is_close) AS closed,
                     min(pos) FILTER (WHERE is_close) AS first_close_pos,
                     max(pos) FILTER (WHERE NOT is_close) AS last_work_pos,
                     arg_min(raw_ts, row) FILTER (WHERE ts IS NULL) AS bad_ts,
                     min(row) FILTER (WHERE ts IS NULL) AS bad_row
                     {kept}
              FROM e GROUP BY case_id
            )
            SELECT case_id, strftime(created, '{fmt}') AS created_at, strftime(answered, '{fmt}') AS answered_at,
                   strftime(closed, '{fmt}') AS resolved_at, strftime(updated, '{fmt}') AS updated_at,
                   agent, CAST(closed IS NOT NULL AS VARCHAR) AS resolved,
                   CAST(coalesce(last_work_pos > first_close_pos, false) AS VARCHAR) AS reopened,
                   CAST(events AS VARCHAR) AS events,
                   {"".join(f'"{c}", ' for c in keep)}
                   first_row AS _row,
                   CASE WHEN bad_row IS NOT NULL THEN 'event at row ' || bad_row || ' has an unreadable timestamp: '''
                        || bad_ts || '''' END AS _reason
            FROM c ORDER BY first_row
        """).to_arrow_table()
    finally:
        con.close()
    return result


def zendesk_metric_sets(tickets: pa.Table, options: dict[str, Any], file_name: str) -> pa.Table:
    """Join Zendesk ``metric_sets`` (side-loaded in the same export) onto tickets.

    Adds ``metric.solved_at``, ``metric.reopened`` (reopens > 0) and
    ``metric.first_reply_at`` (created_at + reply_time_in_minutes.calendar).
    """
    import datetime as dt

    doc = options.get("_document") or {}
    metrics = {str(m.get("ticket_id")): m for m in doc.get("metric_sets", []) if isinstance(m, dict)}
    ids = tickets["id"].to_pylist() if "id" in tickets.column_names else [None] * tickets.num_rows
    created = tickets["created_at"].to_pylist() if "created_at" in tickets.column_names else [None] * tickets.num_rows
    solved, reopened, first_reply = [], [], []
    for tid, created_at in zip(ids, created, strict=True):
        m = metrics.get(str(tid), {})
        solved.append(m.get("solved_at"))
        reopens = m.get("reopens")
        reopened.append(None if reopens is None else "true" if int(reopens) > 0 else "false")
        minutes = (m.get("reply_time_in_minutes") or {}).get("calendar")
        reply = None
        if minutes is not None and created_at:
            try:
                start = dt.datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
                reply = (start + dt.timedelta(minutes=float(minutes))).isoformat()
            except ValueError:
                reply = None
        first_reply.append(reply)
    for name, values in (
        ("metric.solved_at", solved),
        ("metric.reopened", reopened),
        ("metric.first_reply_at", first_reply),
    ):
        tickets = tickets.append_column(name, pa.array(values, pa.string()))
    return tickets


TRANSFORMS: dict[str, Transform] = {"events_to_tickets": events_to_tickets, "zendesk_metric_sets": zendesk_metric_sets}
