"""Built-in helpdesk profiles load the vendors' exports as shipped.

Fixtures (tests/ingest_engine/vendor/) are built from the vendors' documentation:
- zendesk_tickets.csv: the columns of Zendesk's ticket CSV export (Zendesk help "Exporting ticket data";
  the same list as FIELDS in gist.github.com/leomao10), times naive in the account's zone, Satisfaction
  Score "Good"/"Bad"/"Offered"/"Not Offered", Reopens 2.
- zendesk_incremental_pages.json / zendesk_time_page.json / zendesk_full_export.ndjson: the ticket and
  ticket-metric objects of developer.zendesk.com "Incremental Exports" and "Ticket Metrics" (cursor
  pages with after_cursor/end_of_stream, a time-based page with next_page/end_time, deleted tickets
  as {"id", "status": "deleted"}, via.channel "sample_ticket"), and a full export's NDJSON.
- freshdesk_tickets.csv: Freshdesk's ticket export columns (Freshdesk help "Exporting tickets"):
  "First response time (in hrs)" as HH:MM:SS, "Initial response time", "Survey results".
- freshdesk_tickets.json: developers.freshdesk.com/api "List All Tickets" with include=stats.
Every expected UTC time below is worked out by hand from the zone's offset on that date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options
from concord.ingest.engine.run import ingest_file

VENDOR = Path(__file__).with_name("vendor")
UTC = dt.UTC


def _utc(text: str | None):
    return None if text is None else dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def _load(lake, name, file, **options):
    profile = with_options(load_profile(name), IngestOptions(program="CARE", **options))
    result = ingest_file(VENDOR / file, profile, lake, bound_provider="PA")
    assert result.ok, result.errors
    rows = {(r["source"], r["external_id"]): r for r in lake.read_arrow("interactions").to_pylist()}
    return result, rows


def _times(row):
    return (row["created_at"], row["answered_at"], row["resolved_at"])


def test_zendesk_csv_reads_every_documented_value_in_the_account_zone(lake):
    result, rows = _load(lake, "zendesk-csv", "zendesk_tickets.csv", timezone="America/New_York")
    assert (result.read, result.accepted, result.rejected, result.skipped) == (4, 4, 0, 0)
    t101, t102, t103, t104 = (rows[("zendesk", i)] for i in ("101", "102", "103", "104"))
    # 2026-03-31 21:30 EDT (UTC-4) is 1 April 01:30 UTC: the ticket moves into April; first reply 45 min later
    assert _times(t101) == (_utc("2026-04-01T01:30"), _utc("2026-04-01T02:15"), _utc("2026-04-01T13:00"))
    assert (t101["created_month"], t101["channel"], t101["contact_type"]) == ("2026-04", "email", "question")
    assert (t101["csat"], t101["reopened"], t101["resolved"], t101["program"]) == (5, True, True, "CARE")
    # 2 March is before US daylight time (8 March): EST, UTC-5
    assert _times(t102) == (_utc("2026-03-02T13:00"), None, None)
    assert (t102["csat"], t102["reopened"], t102["resolved"], t102["contact_type"]) == (None, False, False, "incident")
    assert _times(t103) == (_utc("2026-03-10T18:00"), _utc("2026-03-10T18:02"), _utc("2026-03-10T18:20"))
    assert (t103["channel"], t103["csat"], t103["contact_type"], t103["resolved"]) == ("voice", 1, None, True)
    assert (t104["channel"], t104["csat"], t104["resolved"]) == ("chat", None, False)
    # "First resolution time in minutes" 690 after 01:30 UTC is 13:00 UTC; "Requester wait time in minutes" 600
    assert (t101["first_resolved_at"], t101["requester_wait_seconds"]) == (_utc("2026-04-01T13:00"), 36_000.0)
    assert (t103["first_resolved_at"], t103["requester_wait_seconds"]) == (_utc("2026-03-10T18:20"), 120.0)
    # open or pending, never solved: no resolution and no final wait (empty cells), not 0
    assert [(t["first_resolved_at"], t["requester_wait_seconds"]) for t in (t102, t104)] == [(None, None)] * 2


def test_zendesk_json_pages_skip_deleted_and_sample_tickets_and_keep_the_newest_version(lake):
    result, rows = _load(lake, "zendesk-json", "zendesk_incremental_pages.json")
    # page 1: 28 (open), 30 (deleted), 31 (sample), 29; page 2: 28 again, now solved
    assert (result.read, result.accepted, result.rejected, result.skipped) == (5, 2, 0, 3)
    assert result.read == result.accepted + result.rejected + result.skipped
    assert result.skip_reasons == {
        "deleted in Zendesk": 1,
        "a Zendesk sample ticket": 1,
        "an older version of a ticket the file holds again": 1,
    }
    assert set(rows) == {("zendesk:acme", "28"), ("zendesk:acme", "29")}
    t28, t29 = rows[("zendesk:acme", "28")], rows[("zendesk:acme", "29")]
    # created 09:00Z, first reply 30 calendar minutes later, solved 12:00Z, reopened twice (page 2's metric set)
    assert _times(t28) == (_utc("2026-03-02T09:00"), _utc("2026-03-02T09:30"), _utc("2026-03-02T12:00"))
    assert (t28["resolved"], t28["reopened"], t28["csat"], t28["channel"]) == (True, True, 5, "email")
    assert (t29["channel"], t29["csat"], t29["contact_type"]) == ("voice", 1, "question")


def test_zendesk_json_ticket_28_of_two_accounts_are_two_tickets(lake):
    _load(lake, "zendesk-json", "zendesk_incremental_pages.json")
    result, rows = _load(lake, "zendesk-json", "zendesk_time_page.json")
    assert (result.accepted, result.skipped) == (1, 0)
    assert {("zendesk:acme", "28"), ("zendesk:globex", "28")} <= set(rows)
    assert rows[("zendesk:globex", "28")]["csat"] is None  # "offered", never answered


def test_zendesk_full_export_ndjson_reads_the_embedded_metric_set(lake):
    result, rows = _load(lake, "zendesk-json", "zendesk_full_export.ndjson")
    assert (result.read, result.accepted, result.skipped) == (2, 1, 1)
    t40 = rows[("zendesk:globex", "40")]
    assert _times(t40) == (_utc("2026-03-06T08:00"), _utc("2026-03-06T08:12"), _utc("2026-03-06T09:00"))
    assert (t40["channel"], t40["reopened"], t40["csat"]) == ("chat", True, 5)


def test_freshdesk_csv_reads_the_initial_response_time_and_survey_results_in_the_helpdesk_zone(lake):
    result, rows = _load(lake, "freshdesk-csv", "freshdesk_tickets.csv", timezone="America/Sao_Paulo")
    assert (result.read, result.accepted, result.rejected) == (3, 3, 0)
    t1, t2, t3 = (rows[("freshdesk", i)] for i in ("5001", "5002", "5003"))
    # Sao Paulo is UTC-3; the first response is the "Initial response time", not created + business hours
    assert _times(t1) == (_utc("2026-03-06T20:45:12"), _utc("2026-03-09T12:15"), _utc("2026-03-09T13:00"))
    assert (t1["csat"], t1["channel"], t1["resolved"], t1["contact_type"]) == (5, "email", True, "Question")
    assert _times(t2) == (_utc("2026-03-10T11:00"), None, None)
    assert (t2["csat"], t2["resolved"]) == (None, False)
    assert _times(t3) == (_utc("2026-04-01T02:30"), _utc("2026-04-01T02:31"), _utc("2026-04-01T03:10"))
    assert (t3["channel"], t3["csat"], t3["created_month"]) == ("voice", 1, "2026-04")


def test_freshdesk_json_reads_the_api_numbers_and_stats(lake):
    result, rows = _load(lake, "freshdesk-json", "freshdesk_tickets.json")
    assert (result.read, result.accepted, result.rejected) == (3, 3, 0)
    t7, t8, t9 = (rows[("freshdesk", i)] for i in ("7", "8", "9"))
    assert _times(t7) == (_utc("2026-03-02T10:00"), _utc("2026-03-02T10:20"), _utc("2026-03-02T12:00"))
    assert (t7["channel"], t7["resolved"]) == ("email", True)
    assert (t8["channel"], t8["resolved"], t8["resolved_at"]) == ("chat", False, None)
    assert (t9["channel"], t9["resolved"], t9["agent"]) == ("voice", True, None)


@pytest.mark.parametrize("name", ["zendesk-csv", "zendesk-json", "freshdesk-csv", "freshdesk-json"])
def test_a_helpdesk_export_without_a_program_is_refused_before_reading_rows(lake, name):
    file = {"zendesk-csv": "zendesk_tickets.csv", "zendesk-json": "zendesk_incremental_pages.json",
            "freshdesk-csv": "freshdesk_tickets.csv", "freshdesk-json": "freshdesk_tickets.json"}[name]
    result = ingest_file(VENDOR / file, name, lake, bound_provider="PA")
    assert result.read == 0 and lake.version("interactions") is None
    assert "required column 'program'" in result.errors[0] and "--program" in result.errors[0]
