"""Delta stats of the files the lake writes: every column bounded, so delta-rs filters find every row."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.dataset as ds
from hypothesis import given
from hypothesis import strategies as st

from concord.lake.schemas import INTERACTIONS, INTERVALS, ROSTER, TABLES
from concord.lake.stats import STATS_STRING_CHARS, _millis, _string_bounds
from concord.lake.store import Lake
from concord.lake.write import commit_batches

UTC = dt.UTC
N = 20


def _ts(day, *, hour=10, micro=0):
    """A UTC time on day ``day`` counted from 2024-01-30 (so the rows span January and February)."""
    return dt.datetime(2024, 1, 30, hour, tzinfo=UTC) + dt.timedelta(days=day, microseconds=micro)


#: microseconds that are not whole milliseconds, and whole ones
MICROS = [500, 999_999, 0, 1, 123_456, 999_000]
FLAGS = ("abandoned", "transferred", "escalated", "reopened", "resolved")


def _interactions():
    created = [_ts(i % 5, hour=i % 24, micro=MICROS[i % len(MICROS)]) for i in range(N)]
    ids = [f"id-{i:03d}" for i in range(N)]
    ids[3] = "a" * 70 + "-long-min"  # longer than the stats keep, and the smallest id
    ids[7] = "z" * 63 + "é" + "-long-max"  # the largest id: its 64th character is stepped up
    transcript = [None if i % 6 == 5 else f"Transcript {i}: " + "blah " * (i * 3) for i in range(N)]
    transcript[2] = "Ñandú " * 20  # non-ASCII and long
    data = {
        "source": ["zendesk" if i % 3 else "acd" for i in range(N)],
        "external_id": ids,
        "provider": [f"P{i % 4}" for i in range(N)],
        "site": [None if i == 4 else f"site-{i % 3}" for i in range(N)],
        "team": [f"team-{i % 5}" for i in range(N)],
        "agent": [f"agént-{i % 7}" for i in range(N)],
        "program": ["X" if i % 2 else "Y" for i in range(N)],
        "contact_type": [f"ct{i % 3}" for i in range(N)],
        "channel": [("voice", "chat", "email")[i % 3] for i in range(N)],
        "language": [("es", "en", "fr", None)[i % 4] for i in range(N)],
        "created_at": created,
        "answered_at": [
            None if i % 4 == 0 else c + dt.timedelta(seconds=i, microseconds=501) for i, c in enumerate(created)
        ],
        "resolved_at": [
            None if i % 5 == 0 else c + dt.timedelta(hours=i, microseconds=999) for i, c in enumerate(created)
        ],
        "wait_seconds": [i * 0.1 for i in range(N)],
        "talk_seconds": [None if i == 9 else 60.0 + i * 12.5 for i in range(N)],
        "hold_seconds": [float(i % 3) for i in range(N)],
        "wrap_seconds": [-0.5 + i / 7 for i in range(N)],
        **{flag: [(i + k) % (k + 2) == 0 for i in range(N)] for k, flag in enumerate(FLAGS)},
        "customer_key": [f"cust-{i % 6:x}" * 9 for i in range(N)],  # 63 or 72 characters
        "csat": [None if i % 4 == 3 else 1 + i % 5 for i in range(N)],
        "nps": [i % 11 for i in range(N)],
        "transcript": transcript,
        "updated_at": [c + dt.timedelta(days=3, microseconds=7) for c in created],
        "created_month": [f"{c.year:04d}-{c.month:02d}" for c in created],
        "ingest_run": [f"run-{i % 2}" for i in range(N)],
        "first_resolved_at": [
            None if i % 5 == 0 else c + dt.timedelta(hours=i / 2, microseconds=3) for i, c in enumerate(created)
        ],
        "requester_wait_seconds": [None if i % 5 == 0 else i * 61.5 for i in range(N)],
    }
    return pa.RecordBatch.from_pydict(data, schema=INTERACTIONS.schema)


def _intervals():
    start = [_ts(i % 4, hour=i % 24, micro=MICROS[i % len(MICROS)]) for i in range(N)]
    data = {
        "source": ["acd"] * N,
        "provider": [f"P{i % 3}" for i in range(N)],
        "site": [None if i == 0 else f"sité-{i % 2}" for i in range(N)],
        "queue": [f"queue-{i}" for i in range(N)],
        "program": ["X"] * (N - 1) + ["Z" * 80],
        "contact_type": [f"ct{i % 4}" for i in range(N)],
        "channel": ["voice"] * N,
        "interval_start": start,
        "interval_minutes": [(15, 30, 60)[i % 3] for i in range(N)],
        "offered": [i * 11 for i in range(N)],
        "answered": [i * 9 for i in range(N)],
        "abandoned": [i * 2 - 5 for i in range(N)],
        "short_abandoned": [None if i % 4 == 0 else i for i in range(N)],
        "answered_within_threshold": [i * 7 for i in range(N)],
        "threshold_seconds": [(20, 30)[i % 2] for i in range(N)],
        "wait_seconds": [i * 3.25 for i in range(N)],
        "handle_seconds": [1000.0 + i * 0.001 for i in range(N)],
        "available_seconds": [None if i == 5 else float(i * i) for i in range(N)],
        "staffed_agents": [i / 3 for i in range(N)],
        "updated_at": [s + dt.timedelta(minutes=45, microseconds=1) for s in start],
        "interval_month": [f"{s.year:04d}-{s.month:02d}" for s in start],
        "ingest_run": [f"run-{i % 3}" for i in range(N)],
    }
    return pa.RecordBatch.from_pydict(data, schema=INTERVALS.schema)


def _roster():
    data = {
        "source": ["hr"] * N,
        "snapshot_date": [dt.date(2024, 5, 1 + i % 3) for i in range(N)],
        "agent": [f"agent-{i}" for i in range(N)],
        "provider": [f"P{i % 2}" for i in range(N)],
        "site": [f"site-{i % 3}" for i in range(N)],
        "team": [None if i == 1 else f"team-{i % 4}" for i in range(N)],
        "role": [("agent", "team_lead", "qa")[i % 3] for i in range(N)],
        "hire_date": [dt.date(1999, 12, 31) + dt.timedelta(days=97 * i) for i in range(N)],
        "exit_date": [None if i % 3 else dt.date(2024, 2, 29) + dt.timedelta(days=i) for i in range(N)],
        "exit_reason": [None if i % 3 else ("voluntary", "involuntary")[i % 2] for i in range(N)],
        "certification_state": [("in_training", "certified", "lapsed")[i % 3] for i in range(N)],
        "updated_at": [_ts(0, micro=MICROS[i % len(MICROS)]) for i in range(N)],
        "ingest_run": ["rün-1"] * N,
    }
    return pa.RecordBatch.from_pydict(data, schema=ROSTER.schema)


def _filter_mismatches(lake, name):
    """``(column, filter, expected, found)`` for every filter whose delta-rs result differs from a full read."""
    every = lake.read_arrow(name)
    dataset = lake.delta(name).to_pyarrow_dataset()
    mismatches = []
    for field in TABLES[name].schema:
        col = field.name
        values = every[col].to_pylist()
        present = sorted({v for v in values if v is not None})
        assert present, f"{name}.{col} has no values: the test data must give every column some"
        non_null = sum(v is not None for v in values)
        checks = [
            (f"== {v!r}", ds.field(col) == pa.scalar(v, field.type), values.count(v))
            for v in (present[0], present[len(present) // 2], present[-1])
        ]
        if not pa.types.is_string(field.type) and not pa.types.is_boolean(field.type):
            lo, hi = pa.scalar(present[0], field.type), pa.scalar(present[-1], field.type)
            checks += [
                (f">= min {present[0]!r}", ds.field(col) >= lo, non_null),
                (f"<= max {present[-1]!r}", ds.field(col) <= hi, non_null),
                (f">= max {present[-1]!r}", ds.field(col) >= hi, values.count(present[-1])),
                (f"> max {present[-1]!r}", ds.field(col) > hi, 0),
                (f"<= min {present[0]!r}", ds.field(col) <= lo, values.count(present[0])),
            ]
        for label, expr, expected in checks:
            found = dataset.to_table(filter=expr).num_rows
            if found != expected:
                mismatches.append((col, label, expected, found))
    return mismatches


def test_a_filter_on_every_interactions_column_finds_its_rows(tmp_path):
    lake = Lake(tmp_path)
    commit_batches(lake, "interactions", [_interactions()])
    assert len(lake.delta("interactions").file_uris()) == 2  # January and February
    assert _filter_mismatches(lake, "interactions") == []


def test_a_filter_on_every_intervals_and_roster_column_finds_its_rows(tmp_path):
    lake = Lake(tmp_path)
    commit_batches(lake, "intervals", [_intervals()])
    commit_batches(lake, "roster", [_roster()])
    assert _filter_mismatches(lake, "intervals") == []
    assert _filter_mismatches(lake, "roster") == []


def test_the_stats_of_a_written_file_bound_its_timestamps_and_count_its_rows(tmp_path):
    lake = Lake(tmp_path)
    commit_batches(lake, "interactions", [_interactions()])
    every = lake.read_arrow("interactions")
    actions = pa.table(lake.delta("interactions").get_add_actions(flatten=True)).to_pylist()
    assert len(actions) == 2
    for action in actions:
        month = action["partition.created_month"]
        created = [r["created_at"] for r in every.to_pylist() if r["created_month"] == month]
        assert action["num_records"] == len(created) > 0
        low, high = action["min.created_at"], action["max.created_at"]
        assert low <= min(created) and max(created) <= high, month
        # only widened to the whole millisecond
        assert min(created) - low < dt.timedelta(milliseconds=1) and high - max(created) < dt.timedelta(milliseconds=1)


def _with_transcript(first):
    batch = _interactions()
    transcript = [first, *batch.column("transcript").to_pylist()[1:]]
    return batch.set_column(batch.schema.get_field_index("transcript"), "transcript", pa.array(transcript))


# No string above "\U0010ffff" * 64 fits in 64 characters: that max is kept whole.
def test_a_long_string_of_the_last_code_point_is_still_found_by_a_filter(tmp_path):
    lake = Lake(tmp_path)
    odd = "\U0010ffff" * (STATS_STRING_CHARS + 6)
    commit_batches(lake, "interactions", [_with_transcript(odd)])
    found = lake.delta("interactions").to_pyarrow_dataset().to_table(filter=ds.field("transcript") == odd)
    assert found.num_rows == 1


# pyarrow's Parquet writer drops a column chunk's min/max when a value is over 4096 bytes: read back instead.
def test_a_transcript_longer_than_parquet_keeps_stats_for_is_still_found_by_a_filter(tmp_path):
    lake = Lake(tmp_path)
    batch = _with_transcript("q" * 5000)
    other = batch.column("transcript")[6].as_py()  # row 6 is in the same month (file) as row 0
    assert other is not None and batch.column("created_month")[6] == batch.column("created_month")[0]
    commit_batches(lake, "interactions", [batch])
    dataset = lake.delta("interactions").to_pyarrow_dataset()
    assert dataset.to_table(filter=ds.field("transcript") == other).num_rows == 1
    assert dataset.to_table(filter=ds.field("transcript") == "q" * 5000).num_rows == 1


#: code points around the ends of the surrogate range and of Unicode, any other, and plain letters
_EDGE = st.sampled_from([chr(c) for c in (0xD7FE, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFE, 0x10FFFF, 0x7F)])
_CHARS = st.one_of(_EDGE, st.characters(codec="utf-8"), st.sampled_from("abz"))
#: strings whose 64th character is an edge one, and any strings
_AROUND_LIMIT = st.builds(
    lambda head, edge, tail: head + edge + tail,
    st.text(_CHARS, min_size=STATS_STRING_CHARS - 1, max_size=STATS_STRING_CHARS - 1),
    _EDGE,
    st.text(_CHARS, max_size=3),
)
_TEXTS = st.lists(st.one_of(_AROUND_LIMIT, st.text(_CHARS, max_size=80)), min_size=1, max_size=5)


@given(_TEXTS)
def test_string_bounds_hold_every_string_and_fit_in_json(strings):
    lo, hi = min(strings), max(strings)
    low, high = _string_bounds(lo, hi)
    if len(hi) > STATS_STRING_CHARS and set(hi[:STATS_STRING_CHARS]) == {"\U0010ffff"}:
        assert high == hi  # no shorter string lies above it: kept whole
    assert all(low <= s <= high for s in strings)
    # UTF-8 byte order agrees with the code-point order Python compares by
    assert all(low.encode() <= s.encode() <= high.encode() for s in strings)
    assert len(low) <= STATS_STRING_CHARS and (len(high) <= STATS_STRING_CHARS or high == hi)
    assert low == lo or len(lo) > STATS_STRING_CHARS
    assert high == hi or len(hi) > STATS_STRING_CHARS
    assert json.loads(json.dumps([low, high])) == [low, high]
    for bound in (low, high):  # no lone surrogates: strict UTF-8 encoding would refuse them
        assert bound.encode("utf-8", errors="strict").decode("utf-8") == bound


def test_a_long_max_string_steps_its_64th_character_up_past_the_surrogates_and_the_last_code_point():
    head = "m" * (STATS_STRING_CHARS - 1)
    assert _string_bounds("a", head + "y" + "tail") == ("a", head + "z")
    assert _string_bounds("a", head + "\ud7ff" + "tail") == ("a", head + "\ue000")
    assert _string_bounds("a", head[:-1] + "x\U0010ffff" + "tail") == ("a", head[:-1] + "y")
    assert _string_bounds("b" * 70, "c" * 70) == ("b" * 64, "c" * 63 + "d")
    # nothing of 64 characters lies above 65 times U+10FFFF: that max is kept whole
    assert _string_bounds("\U0010ffff" * 65, "\U0010ffff" * 65) == ("\U0010ffff" * 64, "\U0010ffff" * 65)


def test_millis_rounds_to_whole_milliseconds_down_or_up_in_utc():
    late = dt.datetime(2024, 3, 31, 1, 59, 59, 999_500, tzinfo=UTC)
    assert _millis(late, up=True) == "2024-03-31T02:00:00.000Z"
    assert _millis(late, up=False) == "2024-03-31T01:59:59.999Z"
    whole = dt.datetime(2023, 12, 31, 23, 59, 59, 42_000, tzinfo=UTC)
    assert _millis(whole, up=True) == _millis(whole, up=False) == "2023-12-31T23:59:59.042Z"
    one = dt.datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    assert (_millis(one, up=False), _millis(one, up=True)) == ("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.001Z")
    year_end = dt.datetime(2024, 12, 31, 23, 59, 59, 999_001, tzinfo=UTC)
    assert _millis(year_end, up=True) == "2025-01-01T00:00:00.000Z"
    # Madrid is UTC+2 in summer (after the last Sunday of March), UTC+1 in winter
    madrid = ZoneInfo("Europe/Madrid")
    assert _millis(dt.datetime(2024, 7, 1, 0, 30, 0, 250_000, tzinfo=madrid), up=False) == "2024-06-30T22:30:00.250Z"
    assert _millis(dt.datetime(2024, 1, 1, 0, 0, 0, 1_500, tzinfo=madrid), up=True) == "2023-12-31T23:00:00.002Z"
