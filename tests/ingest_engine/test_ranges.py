"""The typed path's parallel range reader: the same rows, digest and messages as one stream, wherever the cuts fall."""

import csv
import hashlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.ingest.engine import ranges, readers, run
from concord.ingest.engine.run import ingest_file
from concord.ingest.engine.synthetic import write_canonical_csv
from concord.lake.store import Lake

COLUMNS = [
    "source",
    "external_id",
    "provider",
    "program",
    "channel",
    "created_at",
    "updated_at",
    "wait_seconds",
    "abandoned",
    "transcript",
]


@pytest.fixture
def reads(monkeypatch):
    """The ``ranges`` flag of every read the runs open, in order (True: parallel ranges)."""
    seen: list[bool] = []
    open_source = run._open_source

    def spy(path, profile, threads=True, types=None, ranges=True):
        seen.append(bool(types) and threads and ranges)
        return open_source(path, profile, threads, types, ranges)

    monkeypatch.setattr(run, "_open_source", spy)
    return seen


def _one_stream(monkeypatch):
    open_source = run._open_source
    monkeypatch.setattr(
        run,
        "_open_source",
        lambda path, profile, threads=True, types=None, ranges=True: open_source(path, profile, threads, types, False),
    )


def _lake_rows(lake):
    return lake.read_arrow("interactions").drop_columns(["ingest_run"]).sort_by("external_id").to_pylist()


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, transcript in enumerate(rows):
        writer.writerow(
            [
                "zd",
                f"T{i:05d}",
                "ALPHA",
                "CARE",
                "chat",
                "2024-03-01T10:00:00Z",
                "2024-03-01T11:00:00Z",
                12.5,
                "false",
                transcript,
            ]
        )
    return out.getvalue().encode()


def test_a_file_cut_into_hundreds_of_ranges_lands_exactly_as_one_stream_reads_it(tmp_path, monkeypatch, reads):
    # given a canonical export, and ranges so small the file is cut hundreds of times (buffers reused again and again)
    path = tmp_path / "in.csv"
    write_canonical_csv(path, 4_000)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 2_000)
    assert len(ranges.cut_points(path, 0)) > 300
    progress: list[tuple[int, int, int]] = []
    ranged_lake = Lake(tmp_path / "ranged")
    # when read in ranges, and again in one stream
    ranged = ingest_file(path, "canonical-csv", ranged_lake, progress=lambda *a: progress.append(a))
    assert reads == [True]
    _one_stream(monkeypatch)
    stream_lake = Lake(tmp_path / "stream")
    stream = ingest_file(path, "canonical-csv", stream_lake)
    # then the same rows land, the digest is the file's, and the progress ends at the file's last byte
    assert (ranged.read, ranged.accepted, ranged.rejected) == (stream.read, stream.accepted, 0) == (4_000, 4_000, 0)
    assert _lake_rows(ranged_lake) == _lake_rows(stream_lake)
    assert ranged.file_sha256 == stream.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert progress[-1][1:] == (path.stat().st_size, path.stat().st_size)
    assert [p[1] for p in progress] == sorted(p[1] for p in progress)


def test_a_cut_inside_a_quoted_line_break_is_caught_and_the_file_is_read_in_one_stream(tmp_path, monkeypatch, reads):
    # given a transcript whose second line reads as a whole row of its own, and a range size that puts the first
    # cut just after its line break: parsed from the cut, the rest of the value would pass for a real row
    fake = "zd,TFAKE,ALPHA,CARE,chat,2024-03-01T10:00:00Z,2024-03-01T11:00:00Z,1.0,false,tail"
    value = "first line\n" + fake
    data = _csv(["plain"] * 30 + [value] + ["plain"] * 30)
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    header_end = data.index(b"\n") + 1
    monkeypatch.setattr(ranges, "RANGE_BYTES", data.index(b"first line\n") + len("first line") - header_end)
    assert ranges.cut_points(path, header_end)[1] == data.index(fake.encode())  # the cut is inside the quotes
    lake = Lake(tmp_path / "lake")
    # when ingested
    result = ingest_file(path, "canonical-csv", lake)
    # then the ranges were given up for one typed stream, and every row landed whole, and no other
    assert reads == [True, False]
    assert (result.read, result.accepted, result.rejected) == (61, 61, 0)
    transcripts = {r["external_id"]: r["transcript"] for r in _lake_rows(lake)}
    assert "TFAKE" not in transcripts
    assert transcripts["T00030"] == value
    assert set(transcripts.values()) == {"plain", value}


def test_a_quoted_line_break_away_from_the_cuts_keeps_the_ranges(tmp_path, monkeypatch, reads):
    data = _csv(["plain"] * 5 + ["a\nb"] + ["plain"] * 200)
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 4_000)  # the first cut falls far past the line break
    lake = Lake(tmp_path / "lake")
    result = ingest_file(path, "canonical-csv", lake)
    assert reads == [True]
    assert result.accepted == 206
    assert [r["transcript"] for r in _lake_rows(lake)][5] == "a\nb"


def test_a_header_with_a_quoted_line_break_is_read_in_one_stream(tmp_path, monkeypatch, reads):
    data = _csv(["plain"] * 50).replace(b'"transcript"', b'"transcript","extra\nnotes"', 1)
    data = data.replace(b'"plain"\n', b'"plain","n"\n')
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 1_000)
    lake = Lake(tmp_path / "lake")
    result = ingest_file(path, "canonical-csv", lake)
    assert reads[:2] == [True, False]  # a typed stream may give way to the text path too: what matters is the rows
    assert (result.read, result.accepted, result.errors) == (50, 50, [])
    assert {r["transcript"] for r in _lake_rows(lake)} == {"plain"}


def test_bytes_that_are_not_utf8_in_a_late_range_get_the_text_paths_message_and_nothing_lands(
    tmp_path, monkeypatch, reads
):
    # the bad byte lies past the sample the encoding is detected from, so the file is taken for UTF-8
    data = _csv(["plain"] * 4_000).replace(b'"T03900","ALPHA"', b'"T03900","ALPH\xff"')
    assert data.index(b"\xff") > readers.SAMPLE
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 20_000)
    lake = Lake(tmp_path / "lake")
    result = ingest_file(path, "canonical-csv", lake)
    assert reads[0] is True and len(reads) == 2  # ranges, then the text path that names the problem
    assert len(result.errors) == 1 and "not valid text" in result.errors[0] and "in.csv" in result.errors[0]
    assert lake.version("interactions") is None


def test_a_malformed_row_in_a_late_range_is_quarantined_with_its_row_number(tmp_path, monkeypatch, reads):
    data = _csv(["plain"] * 300)
    lines = data.split(b"\n")
    lines[201] = lines[201].replace(b',"plain"', b"")  # data row 201: one field short
    path = tmp_path / "in.csv"
    path.write_bytes(b"\n".join(lines))
    monkeypatch.setattr(ranges, "RANGE_BYTES", 2_000)
    quarantine = tmp_path / "q.csv"
    result = ingest_file(path, "canonical-csv", Lake(tmp_path / "lake"), quarantine_path=quarantine)
    assert reads[0] is True and len(reads) >= 2
    assert (result.read, result.accepted, result.rejected) == (300, 299, 1)
    with quarantine.open(newline="", encoding="utf-8") as fh:
        rejected = list(csv.DictReader(fh))
    assert [r["_row"] for r in rejected] == ["201"]


_TEXT = st.text(alphabet=st.sampled_from([*'ab ,"\n\r\té€', "\U0001f600"]), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(transcripts=st.lists(_TEXT, min_size=1, max_size=60), range_bytes=st.integers(40, 3_000))
def test_wherever_the_cuts_fall_the_lake_holds_what_one_stream_reads(tmp_path_factory, transcripts, range_bytes):
    # given transcripts with commas, quotes, line breaks of every kind and multi-byte characters, cut anywhere
    tmp = tmp_path_factory.mktemp("cuts")
    path = tmp / "in.csv"
    path.write_bytes(_csv(transcripts))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranges, "RANGE_BYTES", range_bytes)
        ranged_lake = Lake(tmp / "ranged")
        ranged = ingest_file(path, "canonical-csv", ranged_lake)
        _one_stream(patch)
        stream_lake = Lake(tmp / "stream")
        stream = ingest_file(path, "canonical-csv", stream_lake)
    # then the ranges land exactly what one stream lands, with the same counts and digest
    assert ranged.errors == stream.errors == []
    assert (ranged.read, ranged.accepted, ranged.file_sha256) == (stream.read, stream.accepted, stream.file_sha256)
    assert _lake_rows(ranged_lake) == _lake_rows(stream_lake)
