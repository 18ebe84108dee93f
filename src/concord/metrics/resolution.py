"""Helpdesk resolution conventions: first vs full resolution time, and requester wait time.

A ticket reopened after it was solved has two resolution times (Zendesk's "first resolution" and
"full resolution"; docs/helpdesk-conventions.md):

- **full resolution time** = resolved_at - created_at, resolved_at being the *latest* resolution
  (``resolution_median`` / ``resolution_p90``, the DOMAIN.md default, unchanged);
- **first resolution time** = first_resolved_at - created_at (``first_resolution_*``). A source that
  does not give the first resolution still gives it for a ticket never reopened: it is the only one.
  A reopened ticket whose first resolution is unknown is left out, never guessed.
- **requester wait time** = the seconds the customer waited on the support side (statuses new, open
  and on-hold, as the helpdesk measured them; ``requester_wait_*``), over tickets solved now: the wait of
  a ticket still open (never solved, or reopened) is still running.

A ticket never solved has neither a resolution time nor a final wait: it is left out, not counted as 0.
The prepared table provides ``first_resolution_s`` (``sources``); the wait is read as stored.
"""

from __future__ import annotations

from .interactions import _quantile_metric

FIRST_RESOLUTION_COLUMNS = ("created_at", "first_resolved_at", "resolved_at", "resolved", "reopened")


def _first_resolution_scope(t, p):
    return t.first_resolution_s.notnull()


def _requester_wait_scope(t, p):
    # solved now: the wait of an open ticket (never solved, or reopened) is still running and would read low
    return t.resolved & t.resolved_at.notnull()


for _q, _name in ((0.5, "median"), (0.9, "p90")):
    _quantile_metric(
        f"first_resolution_{_name}",
        f"First resolution time ({_name})",
        f"{_name} of first resolved - created over contacts resolved at least once; for a reopened contact "
        "the first resolution, not the latest (that is the resolution time).",
        "first_resolution_s",
        _q,
        _first_resolution_scope,
        FIRST_RESOLUTION_COLUMNS,
    )
    _quantile_metric(
        f"requester_wait_{_name}",
        f"Requester wait time ({_name})",
        f"{_name} of the time the customer waited on the support side (new, open, on-hold), as the helpdesk "
        "measured it, over resolved contacts (an open ticket's wait is still running).",
        "requester_wait_seconds",
        _q,
        _requester_wait_scope,
        ("requester_wait_seconds", "resolved_at", "resolved"),
    )
