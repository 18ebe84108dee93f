"""Durations and rates as reports write them; every expected number is worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from concord.ingest.engine import convert
from concord.ingest.engine.profiles import UNITS
from concord.ingest.engine.run import ingest_file


def _read(values, unit="seconds", decimal="."):
    out, bad = convert.to_float(pa.array(values, pa.string()), unit, UNITS[unit], decimal)
    return [None if b else v for v, b in zip(out.to_pylist(), bad.to_pylist(), strict=True)]


@pytest.mark.parametrize(
    ("unit", "cells", "seconds"),
    [
        ("seconds", ["135", "135.5", " 1,234 ", "1 234.5"], [135.0, 135.5, 1234.0, 1234.5]),
        ("minutes", ["2.25", "90"], [135.0, 5400.0]),
        ("hours", ["1.5", "0.25"], [5400.0, 900.0]),
        ("milliseconds", ["1500"], [1.5]),
        # h:mm:ss, and two parts as h:mm; a plain number in hours
        ("hms", ["00:02:15", "1:02:03", "26:00:00", "0:30", "1.5", "0:00:01.5"], [135, 3723, 93600, 1800, 5400, 1.5]),
        # Avaya CMS and Five9 averages: m:ss, minutes beyond 59 allowed; three parts still h:mm:ss
        ("mm:ss", ["2:15", "75:10", "1:00:00", "3"], [135.0, 4510.0, 3600.0, 180.0]),
        ("hh:mm", ["08:30", "0:05"], [30600.0, 300.0]),
        ("percent", ["76.92%", "76.92", "100 %", "0%"], [76.92, 76.92, 100.0, 0.0]),
    ],
)
def test_every_common_form_reads_as_seconds_or_percent(unit, cells, seconds):
    assert _read(cells, unit) == pytest.approx(seconds)


def test_decimal_commas_and_dot_thousands_by_locale():
    assert _read(["1.234,5", "12,5", "1.234", "0,25"], decimal=",") == pytest.approx([1234.5, 12.5, 1234.0, 0.25])
    assert _read(["2,5"], "minutes", decimal=",") == pytest.approx([150.0])
    assert _read(["76,92%"], "percent", decimal=",") == pytest.approx([76.92])


@pytest.mark.parametrize(
    ("unit", "cell"),
    [("hms", "12:75"), ("hms", "1:02:75"), ("hms", "soon"), ("mm:ss", "2:60"), ("percent", "x%"), ("seconds", "1,23")],
)
def test_what_is_no_duration_is_a_bad_cell_not_a_guess(unit, cell):
    assert _read([cell], unit) == [None]


def test_unit_hms_in_a_profile_no_longer_crashes(lake, write):
    # given a profile with the documented unit: hms (it raised ArrowInvalid: unnamed groups)
    profile = {
        "name": "hms", "table": "interactions", "format": "csv", "source": "acd",
        "columns": {"external_id": "id", "provider": {"const": "PA"}, "program": {"const": "CARE"},
                    "channel": {"const": "voice"}, "created_at": "created", "updated_at": "created",
                    "talk_seconds": {"field": "talk", "unit": "hms"}},
    }
    path = write("calls.csv", "id,created,talk\nC1,2026-03-02T10:00:00Z,00:04:05\nC2,2026-03-02T10:00:00Z,4:05pm\n")
    result = ingest_file(path, profile, lake)
    assert (result.errors, result.accepted, result.rejected) == ([], 1, 1)
    assert lake.read_arrow("interactions").column("talk_seconds").to_pylist() == [245.0]
    quarantined = Path(result.quarantine_path).read_text(encoding="utf-8")
    assert "talk" in quarantined and "4:05pm" in quarantined


def test_averages_times_counts_become_totals(lake, write):
    # an interval report with averages only: 02:15 AHT over 40 answered is 5,400 s; 76.92% of 13 in SL is 10
    profile = {
        "name": "avg", "table": "intervals", "format": "csv", "source": "acd", "decimal": ",",
        "columns": {
            "provider": {"const": "PA"}, "program": {"const": "CARE"}, "channel": {"const": "voice"},
            "queue": "q", "interval_start": "start", "interval_minutes": {"const": 30}, "updated_at": "start",
            "offered": "offered", "answered": "answered", "abandoned": "abandoned",
            "handle_seconds": {"field": "aht", "unit": "mm:ss", "multiply_by": "answered"},
            "wait_seconds": {"field": "asa", "unit": "seconds", "multiply_by": "answered"},
            "answered_within_threshold": {"field": "sl", "unit": "percent", "multiply_by": "offered"},
        },
    }
    path = write("iv.csv", "q;start;offered;answered;abandoned;aht;asa;sl\n"
                           "Sales;2026-03-02T10:00:00Z;13;12;1;2:15;12,5;76,92%\n"
                           "Care;2026-03-02T10:00:00Z;1.040;1.000;40;3:00;20;50%\n")
    result = ingest_file(path, profile, lake)
    assert (result.errors, result.accepted) == ([], 2), result
    rows = {r["queue"]: r for r in lake.read_arrow("intervals").to_pylist()}
    assert (rows["Sales"]["handle_seconds"], rows["Sales"]["wait_seconds"]) == (1620.0, 150.0)  # 135 x 12, 12.5 x 12
    assert rows["Sales"]["answered_within_threshold"] == 10  # 0.7692 x 13 = 9.9996
    assert (rows["Care"]["offered"], rows["Care"]["handle_seconds"]) == (1040, 180000.0)
    assert rows["Care"]["answered_within_threshold"] == 520
