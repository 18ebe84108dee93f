"""Coaching: sessions linked to evaluations or metrics, and the agent's numbers before and after, by hand."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality import coaching, lake_writes, services
from concord.quality.services import RatingInput

from .conftest import interaction_of


def _contact(agent, n: int, day: dt.date, handle: float, csat: int | None) -> dict:
    at = dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)  # midday: the same day in the reporting zone
    row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
    row.update(
        source="coach", external_id=f"{agent.employee_id}-c{n}", provider=agent.provider.code,
        agent=agent.employee_id, program="SHARED", channel="chat", created_at=at, answered_at=at, updated_at=at,
        created_month=at.strftime("%Y-%m"), talk_seconds=handle, csat=csat, resolved=True,
    )  # fmt: skip
    return row


def test_before_and_after_by_hand(world, qa):
    agent = world.agent_a
    # session on Wednesday 2026-03-11: its week starts Monday 03-09; 4 weeks before are 02-09 to 03-09,
    # 4 weeks after 03-16 to 04-13; the session's own week counts in neither
    rows = [
        _contact(agent, 1, dt.date(2026, 2, 10), 300, 5),
        _contact(agent, 2, dt.date(2026, 2, 20), 400, 2),
        _contact(agent, 3, dt.date(2026, 3, 6), 500, 4),
        _contact(agent, 4, dt.date(2026, 3, 10), 9000, 1),  # the session's week: left out
        _contact(agent, 5, dt.date(2026, 3, 17), 200, 5),
        _contact(agent, 6, dt.date(2026, 4, 10), 300, 5),
        _contact(agent, 7, dt.date(2026, 4, 14), 9000, 1),  # after the window
        _contact(world.agent_b, 8, dt.date(2026, 3, 17), 9000, 1),  # someone else
    ]
    commit_batches(
        Lake(settings.LAKE_URI), "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches()
    )
    session = coaching.coaching_record(
        actor=world.users["partner_a_qa"], agent=agent, held_on=dt.date(2026, 3, 11), topic="Handle time",
        metrics=["aht", "csat"], commitments="Use the returns macro\n\nCheck the order first",
        follow_up_on=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert session.commitment_list == ["Use the returns macro", "Check the order first"]
    found = coaching.before_and_after(session, today=dt.date(2026, 6, 1))
    assert (found["before"].start, found["before"].end) == (dt.date(2026, 2, 9), dt.date(2026, 3, 9))
    assert (found["after"].start, found["after"].end, found["after"].complete) == (
        dt.date(2026, 3, 16), dt.date(2026, 4, 13), True,
    )  # fmt: skip
    by = {m.key: m for m in found["changes"]}
    # AHT: (300 + 400 + 500) / 3 = 400 s before, (200 + 300) / 2 = 250 s after: -150 s, better (lower)
    aht = by["aht"]
    assert (aht.before, aht.before_volume, aht.after, aht.after_volume) == (400, 3, 250, 2)
    assert aht.change == -150 and aht.better is True
    # CSAT top-2-box: 2 of 3 (5, 4) before = 66.7 %, 2 of 2 after = 100 %
    csat = by["csat"]
    assert csat.before == pytest.approx(200 / 3) and csat.after == pytest.approx(100.0)
    assert csat.before_volume == 3 and csat.after_volume == 2 and csat.better is True
    assert aht.too_little  # 3 and 2 contacts are below the metric's minimum volume: said so


def test_qa_score_after_a_session_counts_evaluations_completed_in_the_window(world, qa):
    grader = world.users["partner_a_qa"]
    evaluation = services.evaluation_start(
        actor=grader, interaction=interaction_of(world.agent_a), form_version=qa.current
    )
    good = {
        "greeting": RatingInput(1),
        "verify": RatingInput(1),
        "empathy": RatingInput(4),
        "accuracy": RatingInput(7),
        "upsell": RatingInput(None, True),
    }  # fmt: skip  82.5 % by hand
    evaluation = services.evaluation_save(actor=grader, evaluation=evaluation, ratings=good, complete=True)
    lake_writes.publish_all()
    completed = evaluation.completed_at.date()
    held = completed - dt.timedelta(days=7)  # the completion falls in the first week after the session's
    session = coaching.coaching_record(
        actor=grader, agent=world.agent_a, held_on=held, topic="Refund window", evaluations=[evaluation]
    )
    found = coaching.before_and_after(session, weeks=2, today=completed)
    qa_row = found["changes"][0]
    assert qa_row.key == "qa_score" and found["after"].complete is False
    assert (qa_row.before, qa_row.before_volume, qa_row.after, qa_row.after_volume) == (None, 0, 82.5, 1)


def test_coaching_is_refused_clearly_and_scoped(world, qa):
    coach = world.users["partner_a_qa"]
    with pytest.raises(ValidationError, match="at least one evaluation or metric"):
        coaching.coaching_record(actor=coach, agent=world.agent_a, held_on=dt.date(2026, 3, 1), topic="T")
    with pytest.raises(ValidationError, match="Unknown metric stars"):
        coaching.coaching_record(
            actor=coach, agent=world.agent_a, held_on=dt.date(2026, 3, 1), topic="T", metrics=["stars"]
        )
    with pytest.raises(ValidationError, match="follow-up date comes after"):
        coaching.coaching_record(
            actor=coach, agent=world.agent_a, held_on=dt.date(2026, 3, 1), topic="T", metrics=["aht"],
            follow_up_on=dt.date(2026, 2, 1),
        )  # fmt: skip
    with pytest.raises(Http404):  # another partner's agent
        coaching.coaching_record(
            actor=coach, agent=world.agent_b, held_on=dt.date(2026, 3, 1), topic="T", metrics=["aht"]
        )
    mine = coaching.coaching_record(
        actor=coach, agent=world.agent_a, held_on=dt.date(2026, 3, 1), topic="T", metrics=["aht"]
    )
    assert list(coaching.sessions(world.users["partner_a_agent"])) == [mine]  # the agent sees their own
    assert not coaching.sessions(world.users["partner_b_lead"]).exists()
    with pytest.raises(Http404):
        coaching.session(world.users["partner_b_lead"], mine.pk)
