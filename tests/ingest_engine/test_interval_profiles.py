"""Contact-centre interval reports load as their tools export them: averages as hh:mm:ss or milliseconds.

Fixtures in tests/ingest_engine/vendor/, each from its tool's documented report fields (full sources in
each profile's header comment):
- Amazon Connect historical metrics: metric UI names from the API reference (HistoricalMetric) and the
  admin guide's historical-metrics-definitions page.
- Genesys Cloud queue performance export: column names and order as a public script copies them from an
  export, durations in milliseconds as Genesys's API reference ReportingExportJobRequest documents
  (hasFormatDurations: "hh:mm:ss format instead of ms"), count spellings from help.mypurecloud.com
  "View available columns in performance views by category".
- Five9 queue report by half hour: header style, date/half-hour and h:mm:ss formats from public code
  reading Five9 report CSVs (github.com/angmarceau1971/five9-call-dashboard); the count and average
  column names themselves are unverified (no Five9 document reachable).
Times are the report's local time (Europe/Madrid: UTC+1 on 2 March 2026); totals are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options
from concord.ingest.engine.run import ingest_file

VENDOR = Path(__file__).with_name("vendor")
FIELDS = ("offered", "answered", "abandoned", "wait_seconds", "handle_seconds", "answered_within_threshold")


def _load(lake, name, file):
    profile = with_options(load_profile(name), IngestOptions(program="CARE", timezone="Europe/Madrid"))
    result = ingest_file(VENDOR / file, profile, lake, bound_provider="PA")
    assert result.ok and result.rejected == 0, (result.errors, result.quarantine_path)
    return result, lake.read_arrow("intervals").to_pylist()


def _utc(hour, minute=0):
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def test_amazon_connect_averages_and_service_level_become_totals(lake):
    _, rows = _load(lake, "amazon-connect-intervals-csv", "amazon_connect_queues.csv")
    got = {(r["channel"], r["interval_start"]): r for r in rows}
    voice = got[("voice", _utc(8))]
    # 12 handled x 00:00:12 = 144 s wait; 12 x 00:02:15 = 1,620 s handle; 76.92% of 13 queued = 10
    assert tuple(voice[f] for f in FIELDS) == (13, 12, 1, 144.0, 1620.0, 10)
    assert (voice["threshold_seconds"], voice["interval_minutes"], voice["program"]) == (20, 30, "CARE")
    empty = got[("voice", _utc(8, 30))]
    assert tuple(empty[f] for f in FIELDS) == (0, 0, 0, None, None, None)
    chat = got[("chat", _utc(8))]
    assert tuple(chat[f] for f in FIELDS) == (4, 4, 0, 20.0, 1440.0, 4)


def test_genesys_queue_performance(lake):
    _, rows = _load(lake, "genesys-intervals-csv", "genesys_queue_performance.csv")
    got = {(r["channel"], r["interval_start"]): r for r in rows}
    # 09:00 AM Madrid is 08:00 UTC; durations come in milliseconds, the export's default:
    # 38 x 8,000 ms = 304 s; 38 x 270,000 ms = 10,260 s; 85% of 40 = 34
    assert tuple(got[("voice", _utc(8))][f] for f in FIELDS) == (40, 38, 2, 304.0, 10260.0, 34)
    # an interval without traffic is all empty cells: zero counts, no durations
    assert tuple(got[("voice", _utc(8, 30))][f] for f in FIELDS) == (0, 0, 0, None, None, None)
    # 01:30 PM; "Abandon" left empty when none abandoned; 5 x 600,000 ms = 3,000 s; 40% of 5 = 2
    assert tuple(got[("email", _utc(12, 30))][f] for f in FIELDS) == (5, 5, 0, 3000.0, 2400.0, 2)


def test_genesys_durations_as_hh_mm_ss_are_rejected_not_read_as_hours(lake, tmp_path):
    # An export asked for hh:mm:ss durations (hasFormatDurations) does not match the built-in profile:
    # "00:00:08" must not become a number of milliseconds or hours, the run names the column instead.
    text = (VENDOR / "genesys_queue_performance.csv").read_text().replace('"8000"', '"00:00:08"')
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "genesys.csv").write_text(text)
    profile = with_options(
        load_profile("genesys-intervals-csv"), IngestOptions(program="CARE", timezone="Europe/Madrid")
    )
    quarantine = tmp_path / "q.csv"
    path = tmp_path / "vendor" / "genesys.csv"
    result = ingest_file(path, profile, lake, bound_provider="PA", quarantine_path=quarantine)
    assert (result.accepted, result.rejected) == (2, 1)
    assert quarantine.read_text().rstrip().endswith('"ASA","not a number: \'00:00:08\'"')


def test_five9_half_hour_report_with_thousands_separators(lake):
    _, rows = _load(lake, "five9-intervals-csv", "five9_queue_half_hour.csv")
    got = {r["interval_start"]: r for r in rows}
    # "1,040" offered; 1,000 handled x 0:03:00 = 180,000 s; x 0:00:20 = 20,000 s; 50% of 1,040 = 520
    assert tuple(got[_utc(8, 30)][f] for f in FIELDS) == (1040, 1000, 40, 20000.0, 180000.0, 520)
    assert tuple(got[_utc(9)][f] for f in FIELDS) == (10, 9, 1, 360.0, 1350.0, 6)


@pytest.mark.parametrize("name", ["amazon-connect-intervals-csv", "genesys-intervals-csv", "five9-intervals-csv"])
def test_the_derivation_is_kept_in_the_profile_a_run_stores(name):
    stored = load_profile(name).to_dict()["columns"]
    assert stored["handle_seconds"]["multiply_by"] == "answered"
    assert stored["answered_within_threshold"] == {**stored["answered_within_threshold"], "multiply_by": "offered"}


def test_a_zero_default_survives_the_profile_a_run_stores():
    # A run stores its profile as JSON and reads it back; Genesys leaves a zero count empty, so the
    # default 0 must not be dropped as if it were "no default" (0 == False in Python).
    stored = load_profile("genesys-intervals-csv").to_dict()
    assert stored["columns"]["abandoned"]["default"] == 0
    assert load_profile(json.loads(json.dumps(stored))) == load_profile("genesys-intervals-csv")


def test_genesys_views_spelling_offered_answered_abandoned_aht_load_the_same(lake, tmp_path):
    # the performance views' column article spells the counts "Offered", "Answered", "Abandoned",
    # the metric definitions the average handle "AHT"
    text = (VENDOR / "genesys_queue_performance.csv").read_text()
    header, rest = text.split("\n", 1)
    renamed = header
    for old, new in (("Offer", "Offered"), ("Answer", "Answered"), ("Abandon", "Abandoned"), ("Avg Handle", "AHT")):
        renamed = renamed.replace(f'"{old}"', f'"{new}"')
    assert renamed != header
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "genesys.csv").write_text(renamed + "\n" + rest)
    profile = with_options(
        load_profile("genesys-intervals-csv"), IngestOptions(program="CARE", timezone="Europe/Madrid")
    )
    result = ingest_file(tmp_path / "vendor" / "genesys.csv", profile, lake, bound_provider="PA")
    assert result.ok and result.rejected == 0, result.errors
    voice = next(r for r in lake.read_arrow("intervals").to_pylist() if r["interval_start"] == _utc(8))
    assert tuple(voice[f] for f in FIELDS) == (40, 38, 2, 304.0, 10260.0, 34)


def test_five9_custom_report_spelling_of_the_counts_loads_the_same(lake, tmp_path):
    # A custom report's summarised columns carry the summary after the field name ("CALLS count",
    # "ABANDONED count"), as read by public code that parses Five9 report CSVs
    # (github.com/angmarceau1971/five9-call-dashboard, src/datasources/five9-update.js).
    text = (VENDOR / "five9_queue_half_hour.csv").read_text()
    header, rest = text.split("\n", 1)
    renamed = header.replace("CALLS OFFERED", "CALLS count").replace("CALLS ABANDONED", "ABANDONED count")
    assert renamed.count("count") == 2
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "five9.csv").write_text(renamed + "\n" + rest)
    profile = with_options(load_profile("five9-intervals-csv"), IngestOptions(program="CARE", timezone="Europe/Madrid"))
    result = ingest_file(tmp_path / "vendor" / "five9.csv", profile, lake, bound_provider="PA")
    assert result.ok and result.rejected == 0, result.errors
    got = {r["interval_start"]: r for r in lake.read_arrow("intervals").to_pylist()}
    # the same hand figures as the report's own spelling: "1,040" offered, 40 abandoned
    assert tuple(got[_utc(8, 30)][f] for f in FIELDS) == (1040, 1000, 40, 20000.0, 180000.0, 520)
