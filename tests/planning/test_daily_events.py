"""A planner event over part of a day is reflected in a daily forecast, and the page says exactly how.

The share is recomputed here from the fixture's arrivals, independently of the lake and the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from concord.planning import services
from concord.planning.models import PlanningEvent

from .lake_fixtures import START, arrivals, write_interactions


@pytest.fixture
def lake(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.REPORTING_TIMEZONE = "UTC"
    return write_interactions(settings.LAKE_URI, arrivals(42))


def test_a_morning_mailing_raises_the_daily_forecast_by_its_share_of_the_day(world, lake, client_admin, login):
    monday = START + dt.timedelta(days=42)  # the first forecast day
    services.create_event(
        actor=client_admin, program=world.program_shared, name="Spring mailing", kind=PlanningEvent.Kind.MULTIPLICATIVE,
        start=monday + dt.timedelta(hours=8), end=monday + dt.timedelta(hours=12), value=2.0,
    )  # fmt: skip
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="D", horizon_days=7, models=["SeasonalNaive"]
    )
    # by hand: the Mondays of the last 4 weeks (days 14, 21, 28, 35), contacts 08:00-12:00 over all contacts
    seconds = arrivals(42)
    day_of, hour_of = seconds // 86400, (seconds % 86400) // 3600
    mondays = (day_of % 7 == 0) & (day_of >= 14)
    share = ((hour_of >= 8) & (hour_of < 12) & mondays).sum() / mondays.sum()
    points = list(forecast.points.order_by("period_start"))
    assert points[0].value == pytest.approx(points[0].base * (1 + share), rel=1e-6)
    assert all(p.value == p.base for p in points[1:])
    (applied,) = forecast.events_applied
    assert applied["days"] == [{"day": "2026-02-16", "share": round(share, 4)}]
    page = login(client_admin).get(f"/planning/forecasts/{forecast.pk}/").content.decode()
    assert f"Mon 16 Feb: the window holds {share:.1%} of the day&#x27;s contacts" in page
    assert f"\u00d72 on that part raises the day by {share:+.1%}" in page
