"""Every hand-written lake reader on an ``s3://`` lake: QA's sampling and evaluation reads, planning's
history and forecast. Each reads through ``lake.scan`` (deltalake's object-store client; DuckDB
alone would need its ``httpfs`` extension, which cannot be downloaded here). Numbers against hand
counts and against the same rows on a local lake."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
from tests.planning.lake_fixtures import START, arrivals, write_interactions
from tests.quality.test_sampling import END, _row
from tests.quality.test_sampling import START as WEEK

from concord.lake import scan
from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.metrics import MetricRequest, run
from concord.metrics.backends import connect
from concord.planning import services as planning
from concord.quality import lake_reads, sampling


def _write(lake: Lake, rows: list[dict]) -> Lake:
    commit_batches(lake, "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches())
    return lake


def _week_rows() -> list[dict]:
    # A1: 6 ORD chat, 3 RET chat, 1 ORD email in the week; A2: 2; noise: next week, other provider, other agent
    rows = [_row("A1", i) for i in range(6)] + [_row("A1", 10 + i, contact_type="RET") for i in range(3)]
    rows += [_row("A1", 20, channel="email"), _row("A2", 0), _row("A2", 1)]
    return [*rows, _row("A1", 30, day=8), _row("A1", 31, provider="PB"), _row("ZZ", 1)]


def test_a_qa_sample_is_drawn_from_an_s3_lake_as_from_a_local_one(s3_lake, tmp_path):
    rows = _week_rows()
    _write(s3_lake, rows)
    local = _write(Lake(str(tmp_path / "lake")), rows)
    args = dict(provider="PA", agents=["A1", "A2"], start=WEEK, end=END, per_agent=4, seed=7)
    drawn = sampling.draw(s3_lake, **args)
    # hand count: 10 contacts of A1 and 2 of A2 in the week; A1 gets ORD chat 3, RET chat 1; A2 both
    assert drawn.version == 0 and drawn.contacts == 12 and drawn.per_agent_available == {"A1": 10, "A2": 2}
    per_stratum = {}
    for d in drawn.drawn:
        per_stratum[(d.agent, d.contact_type, d.channel)] = per_stratum.get((d.agent, d.contact_type, d.channel), 0) + 1
    assert per_stratum == {("A1", "ORD", "chat"): 3, ("A1", "RET", "chat"): 1, ("A2", "ORD", "chat"): 2}
    # the same draw (the seed fixes it) as on a local lake holding the same rows
    assert [d.external_id for d in drawn.drawn] == [d.external_id for d in sampling.draw(local, **args).drawn]


def test_evaluation_reads_find_contacts_on_an_s3_lake(s3_lake):
    _write(s3_lake, _week_rows())
    # one contact by key, with its handle time (talk 300 s, no hold or wrap)
    found = lake_reads.interaction(s3_lake, "s", "A2-1")
    assert found is not None and (found.provider, found.agent, found.handle_seconds) == ("PA", "A2", 300.0)
    assert found.transcript is None  # no transcripts stored: read as none, not an error
    assert lake_reads.interaction(s3_lake, "s", "nobody") is None
    # an agent's newest first: A1's 11 contacts of PA (10 this week + 1 the next), the next week's first
    recent = lake_reads.recent_for_agents(s3_lake, "PA", ["A1"], limit=50)
    assert len(recent) == 11 and recent[0].external_id == "A1-30"
    assert len(lake_reads.recent_for_agents(s3_lake, "PA", ["A1"], since=END)) == 1
    # a provider's contacts with an agent: PA's 14 (A1 11, A2 2, ZZ 1); PB's 1
    assert len(lake_reads.recent_for_provider(s3_lake, "PA")) == 14
    assert [i.external_id for i in lake_reads.recent_for_provider(s3_lake, "PB")] == ["A1-31"]


def test_a_metric_filtered_by_provider_reads_a_file_holding_two_providers(s3_lake):
    # given one March file with 14 contacts of PA and 1 of PB (a filter the statistics cannot settle),
    # rewritten by a merge (newer versions of three contacts): deltalake's merge writes its strings as
    # Arrow string views, which a pyarrow dataset cannot compare with a pushed-down string filter
    rows = _week_rows()
    _write(s3_lake, rows)
    _write(s3_lake, [dict(r, updated_at=r["updated_at"] + dt.timedelta(seconds=1), csat=4) for r in rows[:3]])
    assert len(s3_lake.snapshot("interactions").file_uris) == 1
    # when a scorecard-like request filters by provider (the demo's contracts and pages all do)
    con = connect("duckdb")
    request = MetricRequest(
        ["contacts_offered"],
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 4, 1),
        filters={"provider": ["PA"]},
        group_by=["provider"],
    )
    rows = run(request, s3_lake, con).rows
    # then PA's 14 contacts (A1 11, A2 2, ZZ 1), and DuckDB read them without loading httpfs
    assert [(r.dimensions["provider"], r.values["contacts_offered"].value) for r in rows] == [("PA", 14)]
    loaded = con.raw_sql("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    assert "httpfs" not in {row[0] for row in loaded}
    with duckdb.connect() as raw:  # and a hand-written query on the same files
        source = scan.source(raw, s3_lake.snapshot("interactions"))
        assert raw.execute(f"SELECT count(*) FROM {source} WHERE provider = 'PB'").fetchone() == (1,)  # noqa: S608


def test_a_forecast_reads_its_history_from_an_s3_lake(world, s3_lake, settings, client_admin):
    settings.LAKE_URI = s3_lake.uri
    settings.REPORTING_TIMEZONE = "UTC"
    seconds = arrivals(42)
    version = write_interactions(s3_lake.uri, seconds)
    # the history: every arrival counted once, the first in the 08:00 hour of the first day
    history, read = planning.lake_history(program=world.program_shared, grain="60min")
    assert read == version and history.sum() == len(seconds)
    assert history.iloc[0] == (seconds < 9 * 3600).sum()
    # the history ends at the end of the last day the arrivals reach (42 days after a Monday)
    end = planning.complete_history_end(program=world.program_shared)
    assert end == START.replace(tzinfo=None) + dt.timedelta(days=42)
    # a forecast: a week ahead, 08:00-20:00 hourly = 84 points, starting right after the history
    forecast = planning.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=["SeasonalNaive"]
    )
    points = list(forecast.points.all())
    assert forecast.lake_version == version and len(points) == 84
    assert points[0].period_start == START + dt.timedelta(days=42, hours=8)
