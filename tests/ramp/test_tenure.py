"""Metrics by week of tenure from a small lake, checked against hand computations.

A1 (provider PA, site clock Europe/Madrid) hired Wednesday 4 March 2026: hire week starts Monday 2 March.
  - 20 Feb (before hire): talk 999, left out
  - Tue 3 Mar: talk 300                        -> week 0, AHT 300
  - Tue 10 Mar: talk 200 and 400               -> week 1, AHT 300 (600 s / 2)
  - Mon 23 Mar: talk 500                       -> week 3 (no contact in week 2: no week 2)
B1 (provider PB, site clock America/New_York) hired Sunday 8 March 2026: hire week starts Monday 2 March.
  - 9 Mar 03:00 UTC = Sunday 8 Mar 23:00 in New York: talk 600 -> week 0 on B1's clock (week 1 in UTC)
  - 16 Mar 12:00 UTC = Monday 16 Mar: talk 120 -> week 2
QA (evaluations): A1 scored 0.8 and 0.6 on Thu 5 Mar -> QA score 70 % in week 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pytest
from deltalake import write_deltalake
from tests.performance.conftest import contact, write_lake

from concord.knowledge.ramp.tenure import AgentHire, agent_weeks, hire_week_start
from concord.lake.schemas import EVALUATIONS
from concord.lake.store import Lake

AGENTS = [
    AgentHire("PA", "PA-S1", "A1", date(2026, 3, 4), "Europe/Madrid"),
    AgentHire("PB", "PB-S1", "B1", date(2026, 3, 8), "America/New_York"),
]


def _at(*args):
    return datetime(*args, tzinfo=UTC)


def _exactly(provider, agent, *, talk, when):
    """``contact`` at exactly ``when`` (it spaces contacts a minute apart per call, and the counter is
    shared with every test before this one: 03:00 UTC could drift past a New York midnight)."""
    row = contact(provider, agent, talk=talk, wait=5, when=when)
    row.update(created_at=when, answered_at=when + timedelta(seconds=5), resolved_at=when + timedelta(seconds=5 + talk),
               updated_at=when, created_month=when.strftime("%Y-%m"))  # fmt: skip
    return row


@pytest.fixture
def lake(tmp_path):
    uri = str(tmp_path / "lake")
    write_lake(uri, [
        _exactly("PA", "A1", talk=999, when=_at(2026, 2, 20, 10)),
        _exactly("PA", "A1", talk=300, when=_at(2026, 3, 3, 10)),
        _exactly("PA", "A1", talk=200, when=_at(2026, 3, 10, 10)),
        _exactly("PA", "A1", talk=400, when=_at(2026, 3, 10, 11)),
        _exactly("PA", "A1", talk=500, when=_at(2026, 3, 23, 10)),
        _exactly("PB", "B1", talk=600, when=_at(2026, 3, 9, 3)),
        _exactly("PB", "B1", talk=120, when=_at(2026, 3, 16, 12)),
        # same employee id at another provider, not on the roster given: not A1's
        _exactly("PB", "A1", talk=50, when=_at(2026, 3, 3, 10)),
    ])  # fmt: skip
    evaluations = []
    for i, share in enumerate((0.8, 0.6)):
        row = dict.fromkeys(EVALUATIONS.schema.names)
        row.update(
            evaluation_id=i + 1, revision=1, provider="PA", site="PA-S1", team="T", agent="A1",
            interaction_source="test", interaction_id=f"x{i}", interaction_at=_at(2026, 3, 5, 9),
            evaluated_at=_at(2026, 3, 5, 10), score_share=share, evaluator_side="client", critical_failed=False,
            evaluated_month="2026-03", updated_at=_at(2026, 3, 5, 10),
        )  # fmt: skip
        evaluations.append(row)
    write_deltalake(f"{uri}/evaluations", pa.Table.from_pylist(evaluations, schema=EVALUATIONS.schema),
                    partition_by=list(EVALUATIONS.partition_by))  # fmt: skip
    return Lake(uri)


def _by(rows):
    return {(w.agent, w.tenure_week): round(w.numerator / w.denominator, 6) for w in rows}


def test_hire_week_starts_on_the_monday():
    assert hire_week_start(date(2026, 3, 4)) == date(2026, 3, 2)
    assert hire_week_start(date(2026, 3, 8)) == date(2026, 3, 2)  # a Sunday belongs to the week before
    assert hire_week_start(date(2026, 3, 9)) == date(2026, 3, 9)


def test_aht_by_week_of_tenure_on_each_site_clock(lake):
    rows = agent_weeks(AGENTS, metric="aht", start=date(2026, 2, 1), end=date(2026, 4, 1), lake=lake)
    assert _by(rows) == {("A1", 0): 300, ("A1", 1): 300, ("A1", 3): 500, ("B1", 0): 600, ("B1", 2): 120}
    week1 = next(w for w in rows if (w.agent, w.tenure_week) == ("A1", 1))
    assert (week1.numerator, week1.denominator, week1.volume) == (600, 2, 2)
    assert {w.hire_month for w in rows} == {date(2026, 3, 1)}


def test_qa_score_by_week_of_tenure(lake):
    rows = agent_weeks(AGENTS, metric="qa_score", start=date(2026, 2, 1), end=date(2026, 4, 1), lake=lake)
    assert [(w.agent, w.tenure_week, w.volume) for w in rows] == [("A1", 0, 2)]
    assert rows[0].numerator / rows[0].denominator * 100 == pytest.approx(70.0)


def test_a_metric_without_a_ramp_is_refused_by_name(lake):
    with pytest.raises(ValueError, match="no ramp for metric 'headcount'; use one of aht, fcr, csat, qa_score"):
        agent_weeks(AGENTS, metric="headcount", start=date(2026, 2, 1), end=date(2026, 4, 1), lake=lake)
