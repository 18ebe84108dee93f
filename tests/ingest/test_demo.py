"""The demo's interactions: generated with realistic shapes and loaded through the ingest path."""

from __future__ import annotations

import datetime as dt

import pyarrow.compute as pc
import pytest

from concord.demo import build
from concord.ingest.models import IngestRun

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo(db, lake, settings):
    settings.DEMO_INTERACTIONS_FACTOR = 1.0
    build(seed=7, scale=0.02, today=TODAY)
    return lake.read_arrow("interactions")


def test_demo_loads_interactions_through_the_ingest_path(demo):
    # then one canonical-profile run loaded every generated row, and the lake has them
    run = IngestRun.objects.get(profile_name="canonical-parquet")  # the roster snapshots are another run
    assert run.status == IngestRun.Status.SUCCEEDED and run.profile_name == "canonical-parquet"
    assert run.rejected == 0 and run.read == run.accepted == demo.num_rows
    assert 15_000 < demo.num_rows < 25_000
    # for every provider and program that the provider serves
    pairs = set(zip(demo.column("provider").to_pylist(), demo.column("program").to_pylist(), strict=True))
    assert {("ATLAS", "TECH"), ("BRAVO", "RETAIL"), ("CORA", "TECH"), ("NWI", "RETAIL")} <= pairs
    assert ("BRAVO", "TECH") not in pairs
    # six months back from yesterday
    created = demo.column("created_at")
    assert pc.min(created).as_py().date() >= TODAY - dt.timedelta(days=184)
    assert pc.max(created).as_py().date() < TODAY


def test_demo_interactions_have_realistic_shapes(demo):
    rows = demo.to_pandas()
    # arrivals follow the local day: Manila's voice calls peak in Manila business hours
    manila = rows[(rows.site == "MNL") & (rows.channel == "voice")]
    local_hour = manila.created_at.dt.tz_convert("Asia/Manila").dt.hour
    assert local_hour.between(9, 17).mean() > 0.6
    # CSAT is lower when the contact was not resolved
    surveyed = rows[rows.csat.notna()]
    assert surveyed[surveyed.resolved].csat.mean() > surveyed[~surveyed.resolved].csat.mean() + 0.8
    # repeat contacts: some customers come back
    assert rows.customer_key.duplicated().mean() > 0.05
    # Atlas CX slips in the last two months, the others do not
    recent = rows.created_at >= str(TODAY - dt.timedelta(days=45))
    atlas = rows.provider == "ATLAS"
    fcr = rows.groupby([atlas, recent]).resolved.mean()
    assert fcr[(True, True)] < fcr[(True, False)] - 0.05
    assert abs(fcr[(False, True)] - fcr[(False, False)]) < 0.04
    # answered contacts name an agent of the roster
    answered = rows[~rows.abandoned]
    assert answered.agent.notna().mean() > 0.95
