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


#: Zendesk tickets that are not contacts: skipped and counted, never rejected (nothing to fix in them)
ZENDESK_SKIP = {"deleted": "deleted in Zendesk", "sample_ticket": "a Zendesk sample ticket"}


def zendesk_metric_sets(tickets: pa.Table, options: dict[str, Any], file_name: str) -> pa.Table:
    """Zendesk tickets with their metric sets, one row per ticket, and the account each came from.

    Metric sets come side-loaded (``include=metric_sets``: ``metric_sets`` with
    ``ticket_id``) or embedded (a full export's ``metric_set``). Adds
    ``metric.solved_at``, ``metric.reopened`` (reopens > 0),
    ``metric.first_reply_at`` (created_at + reply_time_in_minutes.calendar),
    ``metric.first_resolved_at`` (created_at + first_resolution_time_in_minutes.calendar),
    ``metric.requester_wait_minutes`` (requester_wait_time_in_minutes.calendar) and
    ``zendesk.account`` (``zendesk:<subdomain>`` from the ticket's ``url``, so
    ticket 28 of two accounts are two tickets). Deleted and sample tickets, and
    older versions of a ticket the same file holds again (an incremental export
    repeats a ticket updated between pages), get ``_skip``.
    """
    doc = options.get("_document") or {}
    metrics = {str(m.get("ticket_id")): m for m in doc.get("metric_sets", []) if isinstance(m, dict)}
    rows = tickets.to_pylist()
    last_at: dict[str, int] = {}
    for i, row in enumerate(rows):
        tid = str(row.get("id"))
        if tid not in last_at or str(row.get("updated_at") or "") >= str(rows[last_at[tid]].get("updated_at") or ""):
            last_at[tid] = i
    added = ("metric.solved_at", "metric.reopened", "metric.first_reply_at", "metric.first_resolved_at",
             "metric.requester_wait_minutes", "zendesk.account", "_skip", "_reason")  # fmt: skip
    out: dict[str, list] = {name: [] for name in added}
    for i, row in enumerate(rows):
        tid = str(row.get("id"))
        m = metrics.get(tid) or _embedded_metric_set(row)
        out["metric.solved_at"].append(m.get("solved_at"))
        raw_reopens = m.get("reopens")
        raw = {name: (m.get(name) or {}).get("calendar") for name in CALENDAR_MINUTES}
        reopens = _number(raw_reopens)
        minutes = {name: _number(value) for name, value in raw.items()}
        out["metric.reopened"].append(None if reopens is None else str(reopens > 0).lower())
        for name, column in CALENDAR_MINUTES.items():
            if column.endswith("_at"):
                out[column].append(_plus_minutes(row.get("created_at"), minutes[name]))
            else:  # the minutes themselves: the profile converts them
                out[column].append(None if minutes[name] is None else str(minutes[name]))
        reason = None
        numbers = [("reopens", raw_reopens, reopens), *((n, raw[n], minutes[n]) for n in CALENDAR_MINUTES)]
        for name, raw_value, value in numbers:
            if value is None and raw_value not in (None, "") and reason is None:
                reason = f"metric set {name}: not a number: {raw_value!r}"
        out["_reason"].append(reason)
        out["zendesk.account"].append(_zendesk_account(row.get("url")))
        skip = ZENDESK_SKIP.get(str(row.get("status"))) or ZENDESK_SKIP.get(str(row.get("via.channel")))
        if skip is None and last_at[tid] != i:
            skip = "an older version of a ticket the file holds again"
        out["_skip"].append(skip)
    for name, values in out.items():
        tickets = tickets.append_column(name, pa.array(values, pa.string()))
    return tickets


#: calendar-minute metrics of a ticket metric set -> the column they give: a time after creation, or minutes
CALENDAR_MINUTES = {
    "reply_time_in_minutes": "metric.first_reply_at",
    "first_resolution_time_in_minutes": "metric.first_resolved_at",
    "requester_wait_time_in_minutes": "metric.requester_wait_minutes",
}


def _number(value) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _embedded_metric_set(row: dict) -> dict:
    """A full export's ticket carries its metric set (flattened to ``metric_set.*`` by the reader)."""
    prefix = "metric_set."
    out: dict = {}
    for key, value in row.items():
        if key.startswith(prefix) and value is not None:
            parts = key[len(prefix) :].split(".")
            target = out
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
    return out


def _plus_minutes(start: str | None, minutes) -> str | None:
    import datetime as dt

    if minutes in (None, "") or not start:
        return None
    try:
        begin = dt.datetime.fromisoformat(str(start).replace("Z", "+00:00"))
        return (begin + dt.timedelta(minutes=float(minutes))).isoformat()
    except ValueError:
        return None


def _zendesk_account(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    host = urlsplit(str(url)).hostname if url else None
    if not host or not host.endswith(".zendesk.com"):
        return None
    return "zendesk:" + host.removesuffix(".zendesk.com")


def freshdesk_stats(tickets: pa.Table, options: dict[str, Any], file_name: str) -> pa.Table:
    """Freshdesk API tickets with ``stats.reopened``: "true" when ``stats.reopened_at`` is set.

    Freshdesk gives one resolution time (``stats.resolved_at``, the latest); knowing the ticket was
    reopened keeps the metrics from taking that for its first resolution. Without ``include=stats``
    nothing is known: null.
    """
    import pyarrow.compute as pc

    if "stats.reopened_at" not in tickets.column_names:
        return tickets.append_column("stats.reopened", pa.nulls(tickets.num_rows, pa.string()))
    at = tickets.column("stats.reopened_at").cast(pa.string())
    reopened = pc.if_else(pc.fill_null(pc.not_equal(at, ""), False), "true", "false")
    return tickets.append_column("stats.reopened", reopened)


TRANSFORMS: dict[str, Transform] = {
    "events_to_tickets": events_to_tickets,
    "zendesk_metric_sets": zendesk_metric_sets,
    "freshdesk_stats": freshdesk_stats,
}
