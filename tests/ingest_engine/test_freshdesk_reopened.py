"""A Freshdesk ticket reopened after it was resolved is known as reopened, so its one resolution time
(the latest) is not taken for its first.

Ticket objects as in developers.freshdesk.com/api "List All Tickets" with include=stats; "stats" carries
reopened_at (null until the ticket is reopened) beside resolved_at (developers.freshworks.com
freshdesk-sdk "Stats": agentRespondedAt, requesterRespondedAt, resolvedAt, firstRespondedAt, closedAt,
statusUpdatedAt, pendingSince, reopenedAt).
"""

from __future__ import annotations

import datetime as dt
import json

from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options
from concord.ingest.engine.run import ingest_file
from concord.metrics import MetricRequest, connect, run

from .helpers import lake  # noqa: F401  (fixture)


def _ticket(tid: int, reopened_at: str | None, resolved_at: str) -> dict:
    return {
        "id": tid, "source": 1, "status": 4, "type": "Question", "requester_id": 9000 + tid, "responder_id": 7,
        "group_id": 1, "created_at": "2026-03-02T10:00:00Z", "updated_at": resolved_at,
        "stats": {"first_responded_at": "2026-03-02T10:20:00Z", "reopened_at": reopened_at,
                  "resolved_at": resolved_at, "closed_at": None, "pending_since": None},
    }  # fmt: skip


def test_a_reopened_ticket_is_left_out_of_first_resolution_not_given_its_latest(lake, tmp_path):  # noqa: F811
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps([
        _ticket(1, None, "2026-03-02T12:00:00Z"),  # resolved once, 2 h after creation
        _ticket(2, "2026-03-02T13:00:00Z", "2026-03-02T18:00:00Z"),  # reopened at 13:00, resolved again at 18:00
    ]))  # fmt: skip
    profile = with_options(load_profile("freshdesk-json"), IngestOptions(program="CARE"))
    result = ingest_file(path, profile, lake, bound_provider="PA")
    assert result.ok and result.accepted == 2, result.errors
    rows = {r["external_id"]: r for r in lake.read_arrow("interactions").to_pylist()}
    assert (rows["1"]["reopened"], rows["2"]["reopened"]) == (False, True)
    request = MetricRequest(["first_resolution_median", "resolution_median", "reopen_rate"],
                            start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1))  # fmt: skip
    values = run(request, lake, connect("duckdb")).rows[0].values
    # first resolution: ticket 1 only (2 h); ticket 2's first solve is unknown, its 8 h is the latest
    assert (values["first_resolution_median"].value, values["first_resolution_median"].volume) == (7200.0, 1)
    # full resolution: 2 h and 8 h -> median 5 h; one of two resolved tickets reopened: 50 %
    assert (values["resolution_median"].value, values["resolution_median"].volume) == (18000.0, 2)
    assert values["reopen_rate"].value == 50.0
