"""Engine helpers against independent references: months of timestamps, and sorted runs of key hashes."""

import datetime as dt
import itertools
import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from concord.ingest.engine.mapping import _year_month, _year_month_per_row
from concord.ingest.engine.run import SortedRuns

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: microseconds from the epoch that Python's datetime can hold (years 1 to 9999)
FIRST_US = (dt.datetime(1, 1, 1, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(microseconds=1)
LAST_US = (dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(microseconds=1)
YEAR_US = 366 * 86_400 * 1_000_000


def _timestamps(values):
    return pa.array(values, pa.int64()).cast(pa.timestamp("us", tz="UTC"))


def _reference(values):
    """``YYYY-MM`` of each value, from Python's datetime (None stays None)."""
    months = []
    for v in values:
        if v is None:
            months.append(None)
        else:
            d = EPOCH + dt.timedelta(microseconds=v)
            months.append(f"{d.year:04d}-{d.month:02d}")
    return months


#: values anywhere datetime reaches (spans of centuries: the row-by-row path)
_ANYWHERE = st.lists(st.one_of(st.none(), st.integers(FIRST_US, LAST_US)), max_size=40)
#: values within a few years of one another (the month-search path), month starts and ends included
_NEARBY = st.builds(
    lambda base, offsets: [None if o is None else base + o for o in offsets],
    st.integers(FIRST_US, LAST_US - 3 * YEAR_US),
    st.lists(
        st.one_of(st.none(), st.integers(0, 3 * YEAR_US), st.sampled_from([0, 1, 3 * YEAR_US - 1, 3 * YEAR_US])),
        max_size=40,
    ),
)
#: around the epoch, where negative microseconds must still round down to the earlier month
_NEAR_EPOCH = st.lists(st.one_of(st.none(), st.integers(-2 * YEAR_US, 2 * YEAR_US)), max_size=40)


@given(st.one_of(_ANYWHERE, _NEARBY, _NEAR_EPOCH))
def test_year_month_matches_python_datetime_for_any_timestamps(values):
    expected = _reference(values)
    assert _year_month(_timestamps(values)).to_pylist() == expected
    assert _year_month_per_row(_timestamps(values)).to_pylist() == expected


@pytest.mark.parametrize("month", [_year_month, _year_month_per_row])
def test_year_month_of_hand_picked_instants(month):
    def us(*args):
        return (dt.datetime(*args, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(microseconds=1)

    values = [-1, 0, us(2024, 2, 29, 23, 59, 59, 999_999), us(2024, 3, 1), None, us(1999, 12, 31, 23, 59, 59, 999_999)]
    assert values[2] == 1_709_251_199_999_999 and values[3] == 1_709_251_200_000_000  # worked out by hand
    assert month(_timestamps(values)).to_pylist() == ["1969-12", "1970-01", "2024-02", "2024-03", None, "1999-12"]
    assert month(_timestamps([None, None, None])).to_pylist() == [None, None, None]
    assert month(_timestamps([])).to_pylist() == []


@pytest.mark.parametrize("month", [_year_month, _year_month_per_row])
def test_year_month_keeps_a_sliced_array_aligned(month):
    values = [None, -1, 0, 86_400_000_000 * 40, None]
    sliced = _timestamps(values).slice(1, 3)
    assert month(sliced).to_pylist() == ["1969-12", "1970-01", "1970-02"]


_HASH = st.one_of(st.integers(0, 2**64 - 1), st.integers(0, 8), st.sampled_from([2**64 - 1, 2**63, 2**63 - 1]))
_BATCHES = st.lists(st.lists(_HASH, max_size=60), min_size=1, max_size=40)


def _check_runs(sorted_runs, total):
    runs = sorted_runs.runs
    for run in runs:
        assert run.dtype == np.uint64 and np.all(run[:-1] <= run[1:])
    # each run is more than twice the next one: few runs, however the batch sizes go
    assert all(len(a) > 2 * len(b) for a, b in itertools.pairwise(runs))
    assert len(runs) <= math.log2(max(total, 1)) + 2


@given(_BATCHES)
def test_sorted_runs_merge_to_every_hash_in_order(batches):
    arrays = [np.array(b, dtype=np.uint64) for b in batches]
    runs = SortedRuns()
    for i, array in enumerate(arrays):
        runs.add(array)
        _check_runs(runs, sum(len(a) for a in arrays[: i + 1]))
    merged = runs.merged()
    assert merged.dtype == np.uint64
    np.testing.assert_array_equal(merged, np.sort(np.concatenate(arrays)))
    assert merged.tolist() == sorted(h for b in batches for h in b)  # duplicates kept, across batches too


def test_sorted_runs_stay_about_log2_of_the_adds_for_equal_batches():
    rng = np.random.default_rng(7)
    runs, arrays = SortedRuns(), []
    for adds in range(1, 301):
        arrays.append(rng.integers(0, 1000, size=50, dtype=np.uint64))  # many duplicates
        runs.add(arrays[-1])
        assert len(runs.runs) <= math.log2(adds) + 2, adds
    np.testing.assert_array_equal(runs.merged(), np.sort(np.concatenate(arrays)))


def test_sorted_runs_of_one_batch_and_of_empty_batches():
    one = SortedRuns()
    one.add(np.array([5, 2**64 - 1, 0, 5], dtype=np.uint64))
    assert one.merged().tolist() == [0, 5, 5, 2**64 - 1]
    empties = SortedRuns()
    for batch in ([], [3, 1], [], [], [2], []):
        empties.add(np.array(batch, dtype=np.uint64))
    assert empties.merged().tolist() == [1, 2, 3]
    assert len(empties.runs) <= 2
