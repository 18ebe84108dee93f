"""The typed CSV fast path: same lake, same quarantine as the text path; any doubt reads the file as text."""

import csv
from pathlib import Path

import pytest

from concord.ingest.engine import run
from concord.ingest.engine.run import ingest_file
from concord.ingest.engine.synthetic import write_canonical_csv
from concord.lake.store import Lake

from .helpers import csv_text, row


@pytest.fixture
def counter(monkeypatch):
    counts = {"used": 0, "fallback": 0}
    monkeypatch.setattr(run, "TYPED_READS", counts)
    return counts


def _text_only(monkeypatch):
    monkeypatch.setattr(run, "typed_columns", lambda profile: None)


def _lake_rows(lake):
    table = lake.read_arrow("interactions").drop_columns(["ingest_run"]).sort_by("external_id")
    return table.to_pylist()


def _quarantine(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_canonical_profile_reads_numbers_flags_and_times_typed():
    types = run.typed_columns(run.load_profile("canonical-csv"))
    assert types["created_at"].tz == "UTC" and str(types["csat"]) == "double"
    assert "external_id" not in types and str(types["abandoned"]) == "bool"
    assert run.typed_columns(run.load_profile("zendesk-csv")) is None  # value maps, formats: text path only


def test_clean_canonical_file_takes_the_typed_path_and_matches_the_text_path(tmp_path, counter, monkeypatch):
    path = tmp_path / "in.csv"
    write_canonical_csv(path, 5_000)
    typed_lake = Lake(tmp_path / "typed")
    typed = ingest_file(path, "canonical-csv", typed_lake, quarantine_path=tmp_path / "q1.csv")
    assert counter == {"used": 1, "fallback": 0}
    _text_only(monkeypatch)
    text_lake = Lake(tmp_path / "text")
    text = ingest_file(path, "canonical-csv", text_lake, quarantine_path=tmp_path / "q2.csv")
    assert counter == {"used": 1, "fallback": 0}
    assert (typed.read, typed.accepted, typed.rejected) == (text.read, text.accepted, text.rejected) == (5000, 5000, 0)
    assert typed.file_sha256 == text.file_sha256
    assert typed.new_agents == text.new_agents
    assert _lake_rows(typed_lake) == _lake_rows(text_lake)


def test_flag_spellings_and_integral_floats_read_as_the_text_path_does(tmp_path, counter, monkeypatch):
    header = "source,external_id,provider,program,channel,created_at,updated_at,abandoned,transferred,csat\n"
    lines = [
        "zd,T1,ALPHA,CARE,chat,2024-03-01T10:00:00Z,2024-03-01T11:00:00+01:00,TRUE,yes,4.0",
        "zd,T2,ALPHA,CARE,chat,2024-03-01 10:00:00Z,2024-03-01T11:00:00Z,Ja,0,",
        "zd,T3,ALPHA,CARE,chat,2024-03-01T10:00:00.5Z,2024-03-01T11:00:00Z,,N, 5 ",
    ]
    path = tmp_path / "in.csv"
    path.write_text(header + "\n".join(lines) + "\n")
    typed_lake, text_lake = Lake(tmp_path / "typed"), Lake(tmp_path / "text")
    assert ingest_file(path, "canonical-csv", typed_lake).accepted == 3
    assert counter == {"used": 1, "fallback": 0}
    _text_only(monkeypatch)
    assert ingest_file(path, "canonical-csv", text_lake).accepted == 3
    assert _lake_rows(typed_lake) == _lake_rows(text_lake)


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (dict(wait="12x5"), "wait_seconds", "not a number: '12x5'"),
        (dict(wait="inf"), "wait_seconds", "not a number: 'inf'"),
        (dict(csat="4.5"), "csat", "not a whole number: '4.5'"),
        (dict(created="2024-03-01T10:00:00"), None, None),  # naive: the profile's zone, via the text path
        (dict(created="01/03/2024"), "created_at", "not a date-time: '01/03/2024'"),
        (dict(wait="-3"), "wait_seconds", "'-3' is below the minimum 0"),
        (dict(channel="fax"), "channel", "'fax' is not one of"),
    ],
)
def test_one_bad_cell_falls_back_and_quarantines_its_row_as_before(tmp_path, counter, monkeypatch, bad, column, reason):
    rows = [row(i) for i in range(1, 8)]
    rows[4] = row(5, **bad)  # data row 5
    path = tmp_path / "in.csv"
    path.write_text(csv_text(*rows))
    typed_lake, text_lake = Lake(tmp_path / "typed"), Lake(tmp_path / "text")
    typed = ingest_file(path, "canonical-csv", typed_lake, quarantine_path=tmp_path / "q1.csv")
    assert counter == {"used": 0, "fallback": 1}
    _text_only(monkeypatch)
    text = ingest_file(path, "canonical-csv", text_lake, quarantine_path=tmp_path / "q2.csv")
    assert (typed.read, typed.accepted, typed.rejected) == (text.read, text.accepted, text.rejected)
    assert typed.read == typed.accepted + typed.rejected == 7
    assert typed.version_after == 0  # one commit
    assert _lake_rows(typed_lake) == _lake_rows(text_lake)
    if column is None:
        assert typed.rejected == 0
        return
    assert typed.rejected == 1
    quarantined = _quarantine(typed.quarantine_path)
    assert quarantined == _quarantine(text.quarantine_path)
    header, line = quarantined
    record = dict(zip(header, line, strict=True))
    assert record["_row"] == "5" and record["_column"] == column and record["_reason"].startswith(reason)
    assert ",".join(line[: len(rows[4].split(","))]) == rows[4]  # the row's own text, cell for cell


def test_duplicate_keys_fall_back_to_the_exact_text_comparison(tmp_path, counter):
    path = tmp_path / "in.csv"
    path.write_text(csv_text(row(1), row(2), row(1, wait="99")))
    result = ingest_file(path, "canonical-csv", Lake(tmp_path / "lake"), quarantine_path=tmp_path / "q.csv")
    assert (result.read, result.accepted, result.rejected) == (3, 2, 1)
    assert counter["used"] == 0
    assert "first at row 1" in Path(result.quarantine_path).read_text()
