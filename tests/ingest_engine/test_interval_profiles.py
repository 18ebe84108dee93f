"""Contact-centre interval reports load as their tools export them: averages as hh:mm:ss, rates as "76.92%".

Fixtures in tests/ingest_engine/vendor/, from each tool's documented report fields (sources in each
profile's header comment): Amazon Connect historical metrics (metric UI names from the API reference
HistoricalMetric), Genesys Cloud queue performance, Five9 ACD queue report by half hour. Times are the
report's local time (Europe/Madrid: UTC+1 on 2 March 2026); totals are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
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
    got = {r["channel"]: r for r in rows}
    # 9:00 AM Madrid is 08:00 UTC; 38 x 8 s = 304; 38 x 4:30 = 10,260; 85% of 40 = 34
    assert got["voice"]["interval_start"] == _utc(8)
    assert tuple(got["voice"][f] for f in FIELDS) == (40, 38, 2, 304.0, 10260.0, 34)
    assert got["email"]["interval_start"] == _utc(12, 30)  # 1:30 PM
    assert tuple(got["email"][f] for f in FIELDS) == (5, 5, 0, 3000.0, 2400.0, 2)


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
