"""Each validation rule, through the canonical CSV profile (given/when/then)."""

import csv

import pytest

from concord.ingest.engine.mapping import References
from concord.ingest.engine.run import ingest_file

from .helpers import csv_text, row


def _quarantine(result):
    with open(result.quarantine_path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("bad_row", "column", "reason_part"),
    [
        (row(2, wait="abc"), "wait_seconds", "not a number: 'abc'"),
        (row(2, wait="-3"), "wait_seconds", "below the minimum 0"),
        (row(2, csat="6"), "csat", "above the maximum 5"),
        (row(2, csat="0"), "csat", "below the minimum 1"),
        (row(2, nps="11"), "nps", "above the maximum 10"),
        (row(2, csat="4.5"), "csat", "not a whole number"),
        (row(2, created="yesterday"), "created_at", "not a date-time: 'yesterday'"),
        (row(2, created=""), "created_at", "missing required value"),
        (row(2, resolved="2024-03-01T09:00:00Z"), "resolved_at", "resolved before it was created"),
        (row(2, channel="pigeon"), "channel", "'pigeon' is not one of voice"),
    ],
)
def test_a_bad_cell_rejects_only_its_row_with_one_clear_reason(write, lake, tmp_path, bad_row, column, reason_part):
    # given a file with one good row and one bad row
    path = write("in.csv", csv_text(row(1), bad_row))
    # when it is ingested
    result = ingest_file(path, "canonical-csv", lake, quarantine_path=tmp_path / "q.csv")
    # then the good row lands, the bad one is quarantined with its row, column and reason
    assert (result.read, result.accepted, result.rejected, result.inserted) == (2, 1, 1, 1)
    [bad] = _quarantine(result)
    assert bad["_row"] == "2" and bad["_column"] == column and reason_part in bad["_reason"]
    assert bad["external_id"] == "T2"


def test_bound_provider_rejects_rows_of_another_provider_and_fills_empty_ones(write, lake, tmp_path):
    path = write("in.csv", csv_text(row(1, provider="ALPHA"), row(2, provider="BRAVO"), row(3, provider="")))
    result = ingest_file(path, "canonical-csv", lake, bound_provider="ALPHA", quarantine_path=tmp_path / "q.csv")
    assert (result.accepted, result.rejected) == (2, 1)
    [bad] = _quarantine(result)
    assert bad["_column"] == "provider" and "bound to provider 'ALPHA'" in bad["_reason"]
    stored = lake.read_arrow("interactions").sort_by("external_id")
    assert stored["provider"].to_pylist() == ["ALPHA", "ALPHA"]


def test_unknown_references_are_rejected_and_new_agents_flagged(write, lake, tmp_path):
    path = write("in.csv", csv_text(row(1), row(2, site="XXX"), row(3, agent="NEW1"), row(4, provider="ZZZ")))
    refs = References(providers={"ALPHA"}, sites={"LIS"}, agents={"A1"})
    result = ingest_file(path, "canonical-csv", lake, references=refs, quarantine_path=tmp_path / "q.csv")
    # canonical-csv flags new agents instead of rejecting them
    assert (result.accepted, result.rejected) == (2, 2)
    assert result.new_agents == [{"provider": "ALPHA", "site": "LIS", "agent": "NEW1"}]
    reasons = {r["_row"]: r["_reason"] for r in _quarantine(result)}
    assert reasons == {"2": "unknown site 'XXX'", "4": "unknown provider 'ZZZ'"}


def test_unknown_agents_rejected_when_the_profile_says_so(write, lake, tmp_path):
    from concord.ingest.engine.profiles import load_profile

    data = load_profile("canonical-csv").to_dict() | {"unknown_agents": "reject", "name": "strict"}
    path = write("in.csv", csv_text(row(1), row(2, agent="NEW1")))
    result = ingest_file(path, data, lake, references=References(agents={"A1"}), quarantine_path=tmp_path / "q.csv")
    assert (result.accepted, result.rejected, result.new_agents) == (1, 1, [])
    assert "unknown agent 'NEW1'" in _quarantine(result)[0]["_reason"]


def test_duplicate_keys_in_one_file_keep_the_first_and_reject_later_ones(write, lake, tmp_path):
    path = write("in.csv", csv_text(row(1), row(2), row(1, wait="99"), row(3), row(2)))
    result = ingest_file(path, "canonical-csv", lake, quarantine_path=tmp_path / "q.csv")
    assert (result.read, result.accepted, result.rejected, result.inserted) == (5, 3, 2, 3)
    reasons = {r["_row"]: r["_reason"] for r in _quarantine(result)}
    assert reasons == {"3": "duplicate key in file (first at row 1)", "5": "duplicate key in file (first at row 2)"}
    stored = lake.read_arrow("interactions").sort_by("external_id")
    assert stored["wait_seconds"].to_pylist() == [12.5, 12.5, 12.5]
    assert lake.version("interactions") == 0


def test_ragged_rows_are_quarantined_and_row_numbers_stay_right(write, lake, tmp_path):
    text = csv_text(row(1), row(2) + ",extra", row(3, wait="x"))
    result = ingest_file(write("in.csv", text), "canonical-csv", lake, quarantine_path=tmp_path / "q.csv")
    assert (result.read, result.accepted, result.rejected) == (3, 1, 2)
    reasons = {r["_row"]: r["_reason"] for r in _quarantine(result)}
    assert reasons["2"].startswith("row has 14 fields, the header has 13")
    assert reasons["3"] == "not a number: 'x'"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04rest-of-a-zip", "not a CSV file"),
        (b"a,b\n1,2\n", "missing required column(s)"),
        (
            b"source,source,external_id,program,channel,created_at\nx,y,1,P,chat,2024-01-01T00:00:00Z\n",
            "appear more than once",
        ),
    ],
)
def test_structural_problems_give_one_clear_error_and_write_nothing(write, lake, content, message):
    result = ingest_file(write("bad.csv", content), "canonical-csv", lake, bound_provider="ALPHA")
    assert len(result.errors) == 1 and message in result.errors[0] and "bad.csv" in result.errors[0]
    assert result.read == result.accepted + result.rejected
    assert lake.version("interactions") is None


def test_undecodable_bytes_after_the_sample_are_a_clear_error(write, lake):
    body = csv_text(*[row(i) for i in range(1, 4000)]).encode() + b"zd,T9999,ALPHA,CARE,chat,\xff\xfe,,,,,,,\n"
    result = ingest_file(write("enc.csv", body), "canonical-csv", lake)
    assert result.errors and "enc.csv" in result.errors[0]
    assert lake.version("interactions") is None


def test_dry_run_validates_and_writes_nothing(write, lake, tmp_path):
    path = write("in.csv", csv_text(row(1), row(2, csat="9")))
    result = ingest_file(path, "canonical-csv", lake, dry_run=True, quarantine_path=tmp_path / "q.csv")
    # a dry run classifies against the lake like a real run (1 would be inserted) and commits nothing
    assert (result.read, result.accepted, result.rejected, result.inserted) == (2, 1, 1, 1)
    assert lake.version("interactions") is None and result.dry_run


def test_missing_provider_with_no_binding_is_a_clear_error(write, lake):
    from concord.ingest.engine.profiles import load_profile

    data = load_profile("canonical-csv").to_dict()
    del data["columns"]["provider"]
    data["name"] = "no-provider"
    result = ingest_file(write("in.csv", csv_text(row(1))), data, lake)
    assert "required column 'provider'" in result.errors[0] and "--provider" in result.errors[0]
