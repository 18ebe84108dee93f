"""The same three Zendesk tickets, exported as the CSV report and fetched from the incremental API, land
as the same lake rows.

Fixtures (tests/ingest_engine/vendor/zendesk_same_tickets.*) are built from Zendesk's documentation:
the CSV export's documented columns (support.zendesk.com "Exporting ticket data"; times in the account's
zone, here Europe/Madrid: UTC+1 until 29 March 2026 02:00, then UTC+2) and the incremental ticket export
with side-loaded ticket metric sets (developer.zendesk.com "Incremental Exports", "Ticket Metrics":
first_resolution_time_in_minutes, full_resolution_time_in_minutes and requester_wait_time_in_minutes, each
{calendar, business}; times in UTC). The CSV's "First resolution time in minutes" and "Requester wait time
in minutes" headers are those of the export's documented column list (also FIELDS in gist.github.com/leomao10).
Ticket 503 was created before the clocks went forward and solved after.

The forms differ where Zendesk differs: the CSV names the assignee and group, the API gives their ids;
the API's ticket url names the account, the CSV does not. Everything else must agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options
from concord.ingest.engine.run import ingest_file
from concord.lake.store import Lake

VENDOR = Path(__file__).with_name("vendor")
SAME = (
    "external_id", "channel", "contact_type", "created_at", "answered_at", "resolved_at", "updated_at",
    "reopened", "resolved", "csat", "customer_key", "program", "provider", "first_resolved_at",
    "requester_wait_seconds",
)  # fmt: skip
SECRET = b"one installation's key"


def _rows(tmp_path, profile_name, file_name):
    lake = Lake(tmp_path / profile_name)
    profile = with_options(load_profile(profile_name), IngestOptions(program="CARE", timezone="Europe/Madrid"))
    result = ingest_file(VENDOR / file_name, profile, lake, bound_provider="PA", customer_key_secret=SECRET)
    assert result.ok and (result.read, result.inserted, result.rejected) == (3, 3, 0), result.errors
    return {r["external_id"]: r for r in lake.read_arrow("interactions").to_pylist()}


def test_csv_export_and_api_pages_give_the_same_rows(tmp_path):
    csv = _rows(tmp_path, "zendesk-csv", "zendesk_same_tickets.csv")
    api = _rows(tmp_path, "zendesk-json", "zendesk_same_tickets.json")
    assert csv.keys() == api.keys() == {"501", "502", "503"}
    for ticket in csv:
        assert {c: csv[ticket][c] for c in SAME} == {c: api[ticket][c] for c in SAME}, ticket
    # and the agreed values are the documented ones, worked out by hand
    t503 = api["503"]
    assert t503["created_at"] == dt.datetime(2026, 3, 28, 22, 30, tzinfo=dt.UTC)  # 23:30 CET
    assert t503["resolved_at"] == dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC)  # 10:00 CEST
    assert t503["answered_at"] == dt.datetime(2026, 3, 28, 22, 35, tzinfo=dt.UTC)  # 5 minutes later
    assert (t503["channel"], t503["contact_type"], t503["reopened"], t503["csat"]) == ("chat", "problem", True, 1)
    # reopened twice: first resolution 120 min after creation ("First resolution time in minutes" /
    # first_resolution_time_in_minutes.calendar), the latest ("Solved at") 570 min after; the customer
    # waited 200 min ("Requester wait time in minutes" / requester_wait_time_in_minutes.calendar)
    assert t503["first_resolved_at"] == dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    assert t503["requester_wait_seconds"] == 200 * 60.0
    # never reopened: first and full resolution are the same instant (660 min after 07:00 UTC)
    assert api["501"]["first_resolved_at"] == api["501"]["resolved_at"] == dt.datetime(2026, 4, 1, 18, tzinfo=dt.UTC)
    assert api["501"]["requester_wait_seconds"] == 45 * 60.0
    # never solved: neither, rather than 0
    assert (api["502"]["first_resolved_at"], api["502"]["requester_wait_seconds"]) == (None, None)
    assert (api["501"]["channel"], api["501"]["csat"], api["501"]["resolved"]) == ("email", 5, True)
    assert (api["502"]["answered_at"], api["502"]["csat"], api["502"]["resolved"]) == (None, None, False)
    assert csv["501"]["customer_key"] == csv["503"]["customer_key"] != "9001"  # one requester, hashed
