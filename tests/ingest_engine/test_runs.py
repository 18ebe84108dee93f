"""Idempotence, updates, version pinning, profiles and the real event log."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from concord.ingest.engine.profiles import ProfileError, builtin_profiles, load_profile
from concord.ingest.engine.run import ingest_file, ingest_rows
from concord.ingest.engine.synthetic import canonical_batch, write_canonical_csv

from .helpers import csv_text, row

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def test_same_file_twice_changes_nothing_and_makes_no_version(write, lake):
    path = write("in.csv", csv_text(row(1), row(2), row(3)))
    first = ingest_file(path, "canonical-csv", lake)
    second = ingest_file(path, "canonical-csv", lake)
    assert (first.inserted, first.version_after) == (3, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert second.version_before == second.version_after == 0
    assert first.file_sha256 == second.file_sha256 and len(first.file_sha256) == 64


def test_newer_export_updates_older_does_not_and_versions_stay_readable(write, lake):
    ingest_file(write("v1.csv", csv_text(row(1, wait="10"), row(2, wait="10"))), "canonical-csv", lake)
    newer = write("v2.csv", csv_text(row(1, wait="20", updated="2024-03-02T00:00:00Z"), row(3)))
    result = ingest_file(newer, "canonical-csv", lake)
    assert (result.inserted, result.updated, result.unchanged, result.version_after) == (1, 1, 0, 1)
    older = write("v0.csv", csv_text(row(1, wait="5", updated="2024-02-01T00:00:00Z")))
    stale = ingest_file(older, "canonical-csv", lake)
    assert (stale.updated, stale.unchanged, stale.version_after) == (0, 1, 1)
    latest = lake.read_arrow("interactions").sort_by("external_id")
    assert latest["wait_seconds"].to_pylist() == [20.0, 10.0, 12.5]
    pinned = lake.read_arrow("interactions", version=0).sort_by("external_id")
    assert pinned["wait_seconds"].to_pylist() == [10.0, 10.0]
    assert lake.snapshot("interactions", 0).version == 0


def test_quarantine_can_be_fixed_and_ingested_again(write, lake, tmp_path):
    path = write("in.csv", csv_text(row(1), row(2, csat="7")))
    result = ingest_file(path, "canonical-csv", lake, quarantine_path=tmp_path / "q.csv")
    text = Path(result.quarantine_path).read_text().replace('"7"', '"4"')
    fixed = write("fixed.csv", text)
    again = ingest_file(fixed, "canonical-csv", lake)
    assert (again.accepted, again.inserted) == (1, 1)
    assert lake.read_arrow("interactions").num_rows == 2


def test_progress_is_reported_in_rows_and_bytes(tmp_path, lake):
    path = write_canonical_csv(tmp_path / "big.csv", 5000)
    seen = []
    result = ingest_file(path, "canonical-csv", lake, progress=lambda r, b, t: seen.append((r, b, t)))
    assert seen[-1][0] == result.read == 5000 and seen[-1][2] == path.stat().st_size


def test_canonical_parquet_and_jsonl_profiles(tmp_path, lake):
    import numpy as np

    table = canonical_batch(1, 50, np.random.default_rng(1))
    pq.write_table(table, tmp_path / "x.parquet")
    r1 = ingest_file(tmp_path / "x.parquet", "canonical-parquet", lake)
    with open(tmp_path / "x.jsonl", "w") as fh:
        for rec in canonical_batch(51, 20, np.random.default_rng(2)).to_pylist():
            fh.write(json.dumps(rec) + "\n")
    r2 = ingest_file(tmp_path / "x.jsonl", "canonical-jsonl", lake)
    assert (r1.accepted, r2.accepted, r1.rejected + r2.rejected) == (50, 20, 0)
    assert lake.read_arrow("interactions").num_rows == 70


def test_zendesk_csv_profile(write, lake):
    text = (
        "Id,Status,Via,Assignee,Group,Created at,Updated at,Solved at,Satisfaction Score,Reopens\n"
        "101,solved,Web Widget,Ana,Tier1,2024-05-01 09:00:00,2024-05-01 12:00:00,2024-05-01 11:00:00,good,1\n"
        "102,open,Email,Bo,Tier1,2024-05-01 10:00:00,2024-05-01 10:05:00,,offered,0\n"
    )
    result = ingest_file(
        write("zd.csv", text), "zendesk-csv", lake, bound_provider="ALPHA", constants={"program": "CARE"}
    )
    assert (result.accepted, result.rejected) == (2, 0), result
    t = lake.read_arrow("interactions").sort_by("external_id").to_pylist()
    assert [r["channel"] for r in t] == ["chat", "email"]
    assert [r["csat"] for r in t] == [5, None] and [r["resolved"] for r in t] == [True, False]
    assert t[0]["reopened"] is True and t[0]["source"] == "zendesk"


def test_zendesk_json_profile(tmp_path, lake):
    doc = {
        "tickets": [
            {
                "id": 7,
                "created_at": "2024-05-01T09:00:00Z",
                "updated_at": "2024-05-02T09:00:00Z",
                "status": "solved",
                "via": {"channel": "web"},
                "assignee_id": 55,
                "group_id": 9,
                "satisfaction_rating": {"score": "bad"},
            }
        ],
        "metric_sets": [
            {
                "ticket_id": 7,
                "reopens": 2,
                "reply_time_in_minutes": {"calendar": 30},
                "full_resolution_time_in_minutes": {"calendar": 600},
                "solved_at": "2024-05-01T19:00:00Z",
            }
        ],
    }
    (tmp_path / "zd.json").write_text(json.dumps(doc))
    result = ingest_file(
        tmp_path / "zd.json", "zendesk-json", lake, bound_provider="ALPHA", constants={"program": "CARE"}
    )
    assert result.accepted == 1, result
    [t] = lake.read_arrow("interactions").to_pylist()
    assert (t["agent"], t["channel"], t["csat"], t["reopened"]) == ("55", "email", 1, True)
    assert t["answered_at"].isoformat() == "2024-05-01T09:30:00+00:00"
    assert t["resolved_at"].isoformat() == "2024-05-01T19:00:00+00:00"


def test_freshdesk_csv_profile(write, lake):
    # Freshdesk's "First response time (in hrs)" is HH:MM:SS of business hours: the answer time is the
    # "Initial response time" column, and CSAT is "Survey results" (see test_vendor_profiles for the full export)
    text = (
        '"Ticket ID","Status","Source","Created time","Resolved time","Last update time","Initial response time",'
        '"First response time (in hrs)","Survey results"\n'
        '"5","Closed","Phone","2024-05-01 09:00:00","2024-05-01 10:00:00","2024-05-01 11:00:00",'
        '"2024-05-01 09:20:00","00:20:00","Happy"\n'
    )
    result = ingest_file(
        write("fd.csv", text), "freshdesk-csv", lake, bound_provider="ALPHA", constants={"program": "CARE"}
    )
    assert result.accepted == 1, result
    [t] = lake.read_arrow("interactions").to_pylist()
    assert (t["channel"], t["csat"], t["resolved"], t["source"]) == ("voice", 4, True, "freshdesk")
    assert t["answered_at"].isoformat() == "2024-05-01T09:20:00+00:00"


def test_freshdesk_initial_response_time_that_is_not_a_time_rejects_only_its_row(write, lake, tmp_path):
    # given two tickets, one with an unreadable initial response time and one without any
    header = '"Ticket ID","Source","Created time","Initial response time"\n'
    text = header + '"1","Email","2024-05-01 09:00:00","soon"\n"2","Email","2024-05-01 09:00:00",""\n'
    # when ingested
    result = ingest_file(
        write("fd.csv", text),
        "freshdesk-csv",
        lake,
        bound_provider="ALPHA",
        constants={"program": "CARE"},
        quarantine_path=tmp_path / "q.csv",
    )
    # then the bad one is quarantined with the column named, the empty one is simply not answered
    assert (result.read, result.accepted, result.rejected) == (2, 1, 1)
    [bad] = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert (bad["_row"], bad["_column"]) == ("1", "Initial response time")
    [t] = lake.read_arrow("interactions").to_pylist()
    assert (t["external_id"], t["answered_at"]) == ("2", None)


def test_offset_from_must_name_a_date_time_column():
    # given a profile whose offset is based on a number column, then it is refused with a clear problem
    with pytest.raises(ProfileError, match="offset_from 'wait_seconds' is not a date-time column"):
        load_profile(
            {
                "name": "x",
                "table": "interactions",
                "columns": {"answered_at": {"field": "a", "unit": "hours", "offset_from": "wait_seconds"}},
            }
        )


def test_profile_without_a_format_defaults_to_csv():
    # given a profile dict that leaves out the format (and the name), when loaded, then it is a CSV profile
    profile = load_profile({"table": "interactions", "columns": {"external_id": "id"}})
    assert (profile.format, profile.name) == ("csv", "<unnamed>")


def test_acd_intervals_and_roster_profiles(write, lake):
    acd = (
        "Provider;Queue;Program;Interval Start;Interval Minutes;Offered;Answered;Abandoned;Answered Within SL\n"
        "ALPHA;billing;CARE;2024-05-01 09:00;30;40;38;2;30\n"
        "ALPHA;billing;CARE;2024-05-01 09:30;30;-1;0;0;0\n"
    )
    r1 = ingest_file(write("acd.csv", acd), "acd-intervals-csv", lake)
    assert (r1.accepted, r1.rejected) == (1, 1) and lake.read_arrow("intervals")["offered"].to_pylist() == [40]
    roster = (
        "snapshot_date,agent,provider,hire_date,exit_date,exit_reason\n"
        "2024-05-01,A1,ALPHA,2023-01-10,,\n2024-05-01,A2,ALPHA,2023-02-01,2024-04-30,resigned\n"
        "2024-05-01,A3,ALPHA,2024-02-01,2024-01-01,voluntary\n"
    )
    r2 = ingest_file(write("roster.csv", roster), "roster-csv", lake)
    assert (r2.accepted, r2.rejected) == (2, 1)
    assert sorted(lake.read_arrow("roster")["exit_reason"].to_pylist(), key=str) == [None, "voluntary"]


def test_profile_from_dict_is_validated_with_clear_problems():
    with pytest.raises(ProfileError) as err:
        load_profile(
            {
                "name": "x",
                "table": "interactions",
                "columns": {"created_at": {"field": "a", "unit": "weeks"}, "nope": "b", "channel": {}},
                "timezone": "Mars/Olympus",
            }
        )
    text = str(err.value)
    assert "unit must be one of" in text and "no column 'nope'" in text and "exactly one of 'field' or 'const'" in text
    assert "unknown time zone 'Mars/Olympus'" in text
    assert set(builtin_profiles()) >= {
        "canonical-csv",
        "canonical-parquet",
        "canonical-jsonl",
        "zendesk-csv",
        "zendesk-json",
        "freshdesk-csv",
        "acd-intervals-csv",
        "roster-csv",
        "helpdesk-eventlog",
    }
    # round trip: a profile saved as JSON by a UI loads back the same
    p = load_profile("zendesk-csv")
    assert load_profile(json.loads(json.dumps(p.to_dict()))) == p


def test_ingest_rows_for_api_batches(lake):
    rows = [
        {
            "source": "api",
            "external_id": "1",
            "program": "CARE",
            "channel": "chat",
            "created_at": "2024-01-01T00:00:00Z",
        },
        {
            "source": "api",
            "external_id": "2",
            "provider": "BRAVO",
            "program": "CARE",
            "channel": "chat",
            "created_at": "2024-01-01T00:00:00Z",
        },
    ]
    result = ingest_rows(rows, "canonical-jsonl", lake, bound_provider="ALPHA")
    assert (result.read, result.accepted, result.rejected) == (2, 1, 1)
    assert ingest_rows([{}] * 10_001, "canonical-jsonl", lake).errors


@pytest.mark.skipif(not (DATA / "helpdesk_italian_event_log.csv").exists(), reason="shared data not present")
def test_real_helpdesk_event_log_becomes_one_ticket_per_case(lake):
    path = DATA / "helpdesk_italian_event_log.csv"
    result = ingest_file(path, "helpdesk-eventlog", lake, bound_provider="INT", constants={"program": "HELPDESK"})
    assert result.ok, result.errors
    assert (result.source_rows, result.read, result.accepted, result.rejected) == (21348, 4580, 4580, 0)
    t = lake.read_arrow("interactions")
    case1 = t.filter(pc.equal(t["external_id"], "Case 1")).to_pylist()[0]
    # Case 1: first event 2012/10/09 14:50:17 and closed 2012/11/09 12:54:39, Europe/Rome local time
    assert case1["created_at"].isoformat() == "2012-10-09T12:50:17+00:00"
    assert case1["resolved_at"].isoformat() == "2012-11-09T11:54:39+00:00"
    assert case1["agent"] == "Value 1" and case1["resolved"] and not case1["reopened"]
    assert pc.sum(t["resolved"]).as_py() > 4000
    assert 0 < pc.sum(t["reopened"]).as_py() < 500
    again = ingest_file(path, "helpdesk-eventlog", lake, bound_provider="INT", constants={"program": "HELPDESK"})
    assert (again.unchanged, again.version_after) == (4580, 0)


_KILL_SCRIPT = """
import sys
from concord.ingest.engine.run import ingest_file
from concord.lake.store import Lake
ingest_file(sys.argv[1], "canonical-csv", Lake(sys.argv[2]))
"""


def test_kill_9_mid_write_leaves_the_lake_as_it_was_and_a_rerun_completes(tmp_path, lake):
    # given a lake at version 0 with 100 rows, and a big file that adds 400k more
    small = write_canonical_csv(tmp_path / "small.csv", 100)
    ingest_file(small, "canonical-csv", lake)
    big = write_canonical_csv(tmp_path / "big.csv", 400_000, seed=3, start_id=1000)
    # when an ingest process is killed with SIGKILL once it has started writing
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(big), lake.uri], env=env)
    table_dir = Path(lake.uri) / "interactions"
    deadline = time.time() + 30
    before = {p for p in table_dir.rglob("*.parquet")}
    while time.time() < deadline and proc.poll() is None:
        if {p for p in table_dir.rglob("*.parquet")} - before:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # then the lake still reads at its previous version with its previous rows
    assert lake.version("interactions") == 0
    assert lake.read_arrow("interactions").num_rows == 100
    # and running again completes
    result = ingest_file(big, "canonical-csv", lake)
    assert (result.inserted, result.version_after) == (400_000, 1)
    assert lake.read_arrow("interactions", columns=["external_id"]).num_rows == 400_100
