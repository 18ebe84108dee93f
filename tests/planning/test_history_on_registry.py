"""Planning's history is the registry's ``contacts_offered`` per local interval, on the configured engine."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from concord.lake.store import Lake
from concord.planning import services

from .lake_fixtures import START, write_interactions

MADRID = "Europe/Madrid"


def _seconds(*instants: dt.datetime) -> np.ndarray:
    return np.array(sorted((i - START).total_seconds() for i in instants))


@pytest.fixture
def madrid(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.REPORTING_TIMEZONE = MADRID
    return settings.LAKE_URI


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_buckets_are_local_wall_clock_across_both_daylight_saving_changes(world, madrid):
    # given contacts around Madrid's changes: 29 Mar 2026 02:00 CET -> 03:00 CEST, 25 Oct 03:00 CEST -> 02:00 CET
    write_interactions(
        madrid,
        _seconds(
            _utc(2026, 3, 29, 0, 59),  # 01:59 CET
            _utc(2026, 3, 29, 1, 0),  # 03:00 CEST: the hour 02:00 never happens
            _utc(2026, 10, 25, 0, 30),  # 02:30 CEST
            _utc(2026, 10, 25, 1, 30),  # 02:30 CET, the same wall-clock time an hour later
            _utc(2026, 10, 25, 1, 50),  # 02:50 CET
        ),
    )
    # when the history is read per 15 minutes, per hour and per day
    quarter, _ = services.lake_history(program=world.program_shared, grain="15min")
    hourly, _ = services.lake_history(program=world.program_shared, grain="60min")
    daily, _ = services.lake_history(program=world.program_shared, grain="D")
    # then each contact is in the bucket of its local time (worked out by hand above)
    assert quarter.to_dict() == {
        pd.Timestamp("2026-03-29 01:45"): 1.0,
        pd.Timestamp("2026-03-29 03:00"): 1.0,
        pd.Timestamp("2026-10-25 02:30"): 2.0,
        pd.Timestamp("2026-10-25 02:45"): 1.0,
    }
    assert hourly.to_dict() == {
        pd.Timestamp("2026-03-29 01:00"): 1.0,
        pd.Timestamp("2026-03-29 03:00"): 1.0,
        pd.Timestamp("2026-10-25 02:00"): 3.0,
    }
    assert daily.to_dict() == {pd.Timestamp("2026-03-29"): 2.0, pd.Timestamp("2026-10-25"): 3.0}


@pytest.mark.parametrize(
    ("grain", "bucket"), [("15min", "15 minutes"), ("30min", "30 minutes"), ("60min", "1 hour"), ("D", "1 day")]
)
def test_history_matches_duckdbs_own_time_zone_arithmetic(world, madrid, grain, bucket):
    # given a thousand contacts at random times of the days around both changes, and another program's
    rng = np.random.default_rng(5)
    days = [_utc(2026, 3, 27), _utc(2026, 10, 23)]
    instants = [d + dt.timedelta(seconds=float(s)) for d in days for s in rng.uniform(0, 4 * 86400, 500)]
    write_interactions(madrid, _seconds(*instants))
    write_interactions(madrid, _seconds(*instants[::3]), program="OTHER", channel="chat")
    # when the history is read for one channel
    history, version = services.lake_history(program=world.program_shared, grain=grain, channel="voice")
    # then it equals DuckDB's ICU zone conversion and time_bucket over the same files (the query planning
    # used before it moved onto the registry: an implementation independent of the registry's offsets)
    snapshot = Lake(madrid).snapshot("interactions", version)
    frame = duckdb.sql(
        f"SELECT time_bucket(INTERVAL '{bucket}', timezone('{MADRID}', created_at)) AS period, count(*) AS n "  # noqa: S608
        f"FROM read_parquet({list(snapshot.file_uris)}) WHERE program = 'SHARED' AND channel = 'voice' "
        "GROUP BY 1 ORDER BY 1"
    ).df()
    expected = pd.Series(frame["n"].to_numpy(dtype=float), index=pd.DatetimeIndex(frame["period"]).as_unit("ns"))
    assert history.sum() == 1000
    pd.testing.assert_series_equal(history, expected, check_names=False, check_freq=False)
