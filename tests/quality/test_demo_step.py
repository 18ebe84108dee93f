"""The QA demo step on a small world: form, evaluations in the lake, transcripts, calibrations."""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
from django.conf import settings

from concord.demo.context import DemoContext
from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality.demo import build_quality
from concord.quality.models import CalibrationSession, Evaluation, QaForm


def _chats(agent, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        at = dt.datetime(2026, 4, 1 + i, 10, tzinfo=dt.UTC)
        row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
        row.update(
            source="demo-helpdesk", external_id=f"{agent.employee_id}-{i}", provider=agent.provider.code,
            agent=agent.employee_id, program="SHARED", contact_type="RETURN", channel="chat", created_at=at,
            answered_at=at, updated_at=at, created_month="2026-04", talk_seconds=200.0, resolved=True,
        )  # fmt: skip
        rows.append(row)
    return rows


def test_demo_step_on_a_small_world(world):
    lake = Lake(settings.LAKE_URI)
    rows = _chats(world.agent_a, 12) + _chats(world.agent_b, 12)
    commit_batches(lake, "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches())
    ctx = DemoContext(seed=3, scale=0.1, today=dt.date(2026, 6, 15), rng=random.Random(3))
    ctx.actor = world.users["client_admin"]
    ctx.made["providers"] = {p.code: {"provider": p} for p in (world.internal, world.partner_a, world.partner_b)}

    build_quality(ctx)

    assert QaForm.objects.count() == 1
    # four sampled contacts per provider and month (scale 0.1 of 40), each evaluated once, all completed
    assert Evaluation.objects.filter(provider=world.partner_a).count() == 4
    assert not Evaluation.objects.exclude(status="completed").exists()
    in_lake = lake.read_arrow("evaluations").to_pylist()
    assert len(in_lake) == Evaluation.objects.count()
    # the evaluated chats now carry a generated conversation
    chats = [r for r in lake.read_arrow("interactions").to_pylist() if r["transcript"]]
    assert len(chats) == Evaluation.objects.count() and chats[0]["transcript"].startswith("Customer: ")
    # a closed calibration per partner (only four contacts each here), none for the internal team
    sessions = CalibrationSession.objects.all()
    assert sorted(s.provider.code for s in sessions) == ["PA", "PB"]
    assert {s.status for s in sessions} == {"closed"}
    # sessions are held eight weeks apart, the third a week before "today"; with four contacts per partner only
    # the first is made: 2 x 56 + 7 = 119 days before 15 June
    assert {s.closed_at.date() for s in sessions} == {dt.date(2026, 2, 16)}
    assert ctx.made["after_users"]
