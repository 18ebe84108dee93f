"""The demo's roster snapshots: one per month end through the ingest path, so people metrics have data.

Small world: partner A with three people, today 2026-04-15 (interactions run 2025-10-14 to 2026-04-14):
- PA-P1 hired 2024-01-01, still employed
- PA-P2 hired 2025-06-01, left 2026-02-10 (voluntary)
- PA-P3 hired 2026-01-20, still employed
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.conf import settings

from concord import metrics as metric_engine
from concord.demo.context import DemoContext
from concord.demo.roster_lake import build_roster_snapshots, snapshot_dates
from concord.lake.store import Lake
from concord.metrics.query import MetricRef, MetricRequest
from concord.providers import services
from concord.providers.models import Agent

TODAY = dt.date(2026, 4, 15)


def test_snapshot_dates_are_month_ends_plus_the_last_day():
    assert snapshot_dates(TODAY) == [
        dt.date(2025, 10, 31),
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 14),
    ]


def _person(world, employee_id, hire, exit_date=None, reason=""):
    agent = services.create_for_provider(
        actor=world.users["client_admin"],
        model=Agent,
        provider=world.partner_a,
        employee_id=employee_id,
        display_name=employee_id,
        site=world.site_a,
        team=world.team_a,
        hire_date=hire,
        exit_date=exit_date,
        exit_reason=reason,
        status="exited" if exit_date else "active",
    )
    return {"employee_id": employee_id, "agent": agent, "site": world.site_a, "team": world.team_a,
            "hire_date": hire, "exit_date": exit_date, "exit_reason": reason, "role": "agent"}  # fmt: skip


def _month(key, month, **params):
    request = MetricRequest(
        metrics=[MetricRef(key, params)],
        start=month,
        end=(month + dt.timedelta(days=32)).replace(day=1),
        timezone="Europe/Madrid",
        filters={"provider": ["PA"]},
    )
    return metric_engine.run(request, Lake(settings.LAKE_URI)).rows[0].values[key]


def test_the_step_loads_snapshots_that_people_metrics_read(world):
    # given partner A's three people
    people = [
        _person(world, "PA-P1", dt.date(2024, 1, 1)),
        _person(world, "PA-P2", dt.date(2025, 6, 1), dt.date(2026, 2, 10), "voluntary"),
        _person(world, "PA-P3", dt.date(2026, 1, 20)),
    ]
    ctx = DemoContext(seed=1, scale=0.1, today=TODAY, rng=random.Random(1))
    ctx.actor = world.users["client_admin"]
    ctx.made["providers"] = {"PA": {"provider": world.partner_a, "people": people}}
    # when the step runs
    build_roster_snapshots(ctx)
    run = ctx.made["roster_snapshots"]["run"]
    # then every row went through the ingest service: Oct-Dec 2 people (P1, P2), Jan-Feb 3, Mar-Apr 2 (P1, P3)
    assert run.status == run.Status.SUCCEEDED and run.accepted == 3 * 2 + 2 * 3 + 2 * 2 == 16
    # headcount in February: P1 and P3 employed on the 28th (P2 gone) = 2
    assert _month("headcount", dt.date(2026, 2, 1)).value == pytest.approx(2.0)
    # attrition in February: 1 exit / 2 average headcount = 50 %, annualised over the range's
    # 28 days (no grain): 50 x 365 / 28 = 651.79 %
    feb = _month("attrition", dt.date(2026, 2, 1))
    assert (feb.numerator, feb.denominator) == (1.0, 2.0) and feb.value == pytest.approx(50 * 365 / 28)
    # January has no exit, and P2's later exit is not known in January's snapshot
    assert _month("attrition", dt.date(2026, 1, 1)).numerator == 0.0
    assert _month("headcount", dt.date(2026, 1, 1)).value == pytest.approx(3.0)


def test_the_demo_scorecard_shows_atlas_high_attrition(db):
    from concord.accounts.models import User
    from concord.demo import build
    from concord.performance import selectors
    from concord.performance.models import Scorecard

    # given the demo loaded (its interactions turned down by the test settings)
    build(seed=7, scale=0.5, today=dt.date(2026, 6, 30))
    admin = User.objects.get(username="admin")
    attrition = {}
    # when the cards are scored over the last full quarter's months
    for card in Scorecard.objects.all():
        for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
            report = selectors.score(admin, card, period=month)
            for row in report.rows:
                line = next(ls for ls in row.lines if ls.line.metric_key == "attrition")
                # then the people line has data (not "no data") for every provider
                assert line.value is not None and line.value.volume > 0, (card, month, row.dimensions)
                attrition.setdefault(row.dimensions["provider"], []).append(line.value.value)
    mean = {code: sum(v) / len(v) for code, v in attrition.items()}
    # and Atlas CX's attrition stands out
    assert mean["ATLAS"] > 1.5 * max(v for code, v in mean.items() if code != "ATLAS")
