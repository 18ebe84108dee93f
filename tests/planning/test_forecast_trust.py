"""Forecasts right on real history (issue #10.1): where the history ends, and the sanity guard."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from concord.planning import services
from concord.planning.models import Forecast, PlanningEvent

from .lake_fixtures import START, arrivals, write_interactions

FAST = ["SeasonalNaive"]
MADRID = ZoneInfo("Europe/Madrid")


def test_a_lake_ending_at_0057_local_forecasts_that_day_in_full(world, settings, client_admin, login):
    # given 5 weeks of arrivals (09:00-21:00 Madrid) and a feed that stops at 00:57 Madrid on the
    # next day, as the demo's does: 5 contacts of the new day, the rest of it not yet loaded
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    early = 35 * 86400 + 23 * 3600 + np.array([600.0, 1200, 1800, 2400, 3420])  # 00:10 .. 00:57 Madrid
    write_interactions(settings.LAKE_URI, np.concatenate([arrivals(35, per_hour=20), early]))
    # when the planner forecasts daily
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="D", horizon_days=7, models=FAST
    )
    # then the history ends at local midnight of that day and the day is forecast like its weekday
    midnight = dt.datetime.combine((START + dt.timedelta(days=36)).date(), dt.time(), tzinfo=MADRID)
    assert forecast.history_end == midnight
    first = forecast.points.first()
    assert first.period_start == midnight
    week_before = [p.value for p in forecast.points.all()]
    assert min(week_before) > 100  # not "Tuesday = 5 contacts"
    assert "left out" in forecast.explanation
    # and the page's chart reads per day, as the table does, without the part day as a collapse in actuals
    spec = login(client_admin).get(f"/planning/forecasts/{forecast.pk}/").context["spec"]
    assert spec["encoding"]["y"]["title"] == "Contacts offered per day"
    actual = [r for r in spec["data"]["values"] if r["series"] == "Actual"]
    assert actual and min(r["contacts"] for r in actual) > 100


def _spike_lake(uri: str) -> None:
    # 5 ordinary weeks, then a week at four times the volume (a campaign nobody recorded)
    calm = arrivals(35, per_hour=6.0, seed=1)
    loud = arrivals(42, per_hour=24.0, seed=2)
    write_interactions(uri, np.concatenate([calm, loud[loud >= 35 * 86400]]))


def test_a_forecast_far_from_recent_actuals_is_refused_in_words(world, settings, client_admin):
    # given a history whose last week ran at four times the weeks before
    settings.REPORTING_TIMEZONE = "UTC"
    _spike_lake(settings.LAKE_URI)
    # when the weekly seasonal naive repeats that week
    with pytest.raises(ValidationError) as refused:
        services.create_forecast(
            actor=client_admin, program=world.program_shared, grain="D", horizon_days=7, models=FAST
        )
    # then nothing is stored, and the message says which days, by how much, and what to do
    message = " ".join(refused.value.messages)
    assert not Forecast.objects.exists()
    assert "over double the mean of" in message and "Mondays:" in message
    assert "last 4 weeks" in message and "record a planning event" in message


def test_a_planners_event_explains_the_departure(world, settings, client_admin):
    # given the same history and an event saying the campaign goes on next week
    settings.REPORTING_TIMEZONE = "UTC"
    _spike_lake(settings.LAKE_URI)
    next_week = START + dt.timedelta(days=42)
    services.create_event(
        actor=client_admin, program=world.program_shared, name="Campaign continues", start=next_week,
        end=next_week + dt.timedelta(days=7), kind=PlanningEvent.Kind.MULTIPLICATIVE, value=1.0,
    )  # fmt: skip
    # when forecasting, then it is stored
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="D", horizon_days=7, models=FAST
    )
    assert forecast.points.count() == 7
