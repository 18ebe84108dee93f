"""Forecasts from a tiny synthetic lake: versions, events, overrides, the page and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from typer.testing import CliRunner

from concord.accounts.models import AuditEntry
from concord.planning import selectors, services
from concord.planning.engine import queueing as q
from concord.planning.models import Forecast, ForecastOverride, PlanningEvent

from .lake_fixtures import START, arrivals, write_interactions

FAST = ["SeasonalNaive"]  # the engine's own tests cover the slower models


@pytest.fixture
def lake(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.REPORTING_TIMEZONE = "UTC"
    version = write_interactions(settings.LAKE_URI, arrivals(42))
    return settings.LAKE_URI, version


def test_history_is_counted_per_interval_from_the_lake(world, lake):
    # given 42 days of arrivals in the lake
    _uri, version = lake
    seconds = arrivals(42)
    # when the program's history is read hourly
    history, read_version = services.lake_history(program=world.program_shared, grain="60min")
    # then every arrival is counted once, in its hour, at the lake's version
    assert read_version == version
    assert history.sum() == len(seconds)
    first_hour = (seconds < 9 * 3600).sum()
    assert history.iloc[0] == first_hour and history.index[0].hour == 8
    # and another program has no history
    empty, _ = services.lake_history(program=world.program_b_only, grain="60min")
    assert empty.empty


def test_create_forecast_stores_a_version_with_backtest_and_points(world, lake, client_admin):
    # when the planner forecasts hourly for a week, twice
    first = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    second = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    # then versions count up per program, with the model, why, the backtest and the lake version
    assert (first.version, second.version) == (1, 2)
    assert first.model == "SeasonalNaive" and "SeasonalNaive" in first.explanation
    assert first.backtest[0]["model"] == "SeasonalNaive" and 0 < first.backtest[0]["wape"] < 1
    assert first.lake_version == lake[1]
    points = list(first.points.all())
    # 7 days after the history (ends Sunday Feb 15), open 08:00-20:00: 84 hourly points
    assert len(points) == 84
    assert points[0].period_start == START + dt.timedelta(days=42, hours=8)
    audited = AuditEntry.objects.filter(action="create", object_id__in=[str(first.pk), str(second.pk)])
    assert audited.filter(object_type__icontains="forecast").count() == 2
    assert all(p.value == p.base for p in points)  # no events


def test_events_adjust_the_forecast(world, lake, client_admin):
    # given a marketing send doubling Monday morning's volume
    monday = START + dt.timedelta(days=42)
    services.create_event(
        actor=client_admin,
        program=world.program_shared,
        name="Spring mailing",
        start=monday + dt.timedelta(hours=8),
        end=monday + dt.timedelta(hours=12),
        kind=PlanningEvent.Kind.MULTIPLICATIVE,
        value=2.0,
    )
    # when forecasting
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    # then exactly those four hours are doubled, and the event is named on the version
    doubled = [p for p in forecast.points.all() if p.value != p.base]
    assert [p.period_start.hour for p in doubled] == [8, 9, 10, 11]
    assert all(p.value == pytest.approx(2 * p.base) for p in doubled)
    assert [e["name"] for e in forecast.events_applied] == ["Spring mailing"]


def test_override_records_who_why_and_the_value_in_force(world, lake, client_admin):
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    point = forecast.points.first()
    services.override_forecast(
        actor=client_admin, forecast=forecast, period_start=point.period_start, value=99, reason="Outage follow-up"
    )
    services.override_forecast(
        actor=client_admin, forecast=forecast, period_start=point.period_start, value=80, reason="Revised"
    )
    rows = selectors.forecast_points(forecast)
    assert rows[0]["value"] == 80 and rows[0]["after_events"] == point.value
    latest = ForecastOverride.objects.filter(forecast=forecast).first()
    assert (latest.previous_value, latest.created_by) == (99, client_admin)
    with pytest.raises(ValidationError):
        services.override_forecast(
            actor=client_admin, forecast=forecast, period_start=START, value=1, reason="not in the horizon"
        )


def test_refusals_change_nothing(world, lake):
    viewer = world.users["client_viewer"]
    with pytest.raises(PermissionDenied):
        services.create_forecast(actor=viewer, program=world.program_shared, grain="60min", horizon_days=7)
    assert not Forecast.objects.exists()
    with pytest.raises(ValidationError, match="no interactions for BONLY"):
        services.create_forecast(
            actor=world.users["client_admin"], program=world.program_b_only, grain="60min", horizon_days=7
        )
    assert not Forecast.objects.exists()


def test_pages_show_the_forecast_against_actuals(world, lake, client_admin, login):
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    client = login(client_admin)
    detail = client.get(f"/planning/forecasts/{forecast.pk}/")
    assert detail.status_code == 200
    series = {row["series"] for row in detail.context["spec"]["data"]["values"]}
    assert series == {"Actual", "Forecast"}
    assert "SeasonalNaive" in detail.content.decode()
    assert client.get("/planning/forecasts/").status_code == 200
    # the override form takes an interval, a value and a reason
    point = forecast.points.first()
    missing_reason = client.post(
        f"/planning/forecasts/{forecast.pk}/override/", {"period_start": point.period_start.isoformat(), "value": 5}
    )
    assert missing_reason.status_code == 400 and "reason" in missing_reason.context["form"].errors
    ok = client.post(
        f"/planning/forecasts/{forecast.pk}/override/",
        {"period_start": point.period_start.isoformat(), "value": 5, "reason": "Holiday"},
    )
    assert ok.status_code == 302 and ForecastOverride.objects.get().value == 5


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_forecast_form_queues_a_version_computed_in_the_background(
    world, lake, client_admin, login, monkeypatch, immediate_tasks, django_capture_on_commit_callbacks
):
    real = services._compute
    monkeypatch.setattr(services, "_compute", lambda **kw: real(**{**kw, "models": FAST}))
    client = login(client_admin)
    # when the planner asks for a forecast, the page returns at once with the row queued
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/planning/forecasts/new/", {"program": world.program_shared.pk, "grain": "60min", "horizon_days": 7}
        )
    assert response.status_code == 302, response.content
    queued = Forecast.objects.get()
    assert (queued.status, queued.version, queued.points.count()) == ("queued", 1, 0)
    page = client.get(f"/planning/forecasts/{queued.pk}/")
    assert b"Waiting for the worker" in page.content and b'hx-trigger="every 2s"' in page.content
    # when the task runs (enqueued on commit), the row is filled in and the status says so
    assert len(callbacks) == 1
    callbacks[0]()
    done = Forecast.objects.get()
    assert done.status == "succeeded" and done.model == "SeasonalNaive" and done.points.count() == 84
    assert done.started_at <= done.finished_at
    status = client.get(f"/planning/forecasts/{done.pk}/status/", headers={"HX-Request": "true"})
    assert status.status_code == 200 and status["HX-Refresh"] == "true"
    assert b"Backtest" in client.get(f"/planning/forecasts/{done.pk}/").content


def test_a_forecast_without_history_ends_failed_with_the_reason(
    world, lake, client_admin, login, immediate_tasks, django_capture_on_commit_callbacks
):
    client = login(client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/planning/forecasts/new/", {"program": world.program_b_only.pk, "grain": "60min", "horizon_days": 7}
        )
    assert response.status_code == 302
    failed = Forecast.objects.get()
    assert failed.status == "failed" and "no interactions for BONLY" in failed.error_message
    page = client.get(f"/planning/forecasts/{failed.pk}/")
    assert b"no interactions for BONLY" in page.content and b"hx-trigger" not in page.content
    # nothing to override on a failed forecast
    override = client.get(f"/planning/forecasts/{failed.pk}/override/")
    assert override.status_code == 302
    # the planner can run it again: queued, then failed again for the same reason (still no history)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/planning/forecasts/{failed.pk}/retry/")
    assert again.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.finished_at is not None
    # the CLI path stores nothing when it cannot forecast
    with pytest.raises(ValidationError, match="no interactions"):
        services.create_forecast(actor=client_admin, program=world.program_b_only, grain="60min", horizon_days=7)
    assert Forecast.objects.count() == 1


def test_event_form_rejects_an_end_before_the_start(world, client_admin, login):
    response = login(client_admin).post(
        "/planning/events/new/",
        {
            "program": world.program_shared.pk,
            "name": "x",
            "start": "2026-03-02T10:00",
            "end": "2026-03-02T09:00",
            "kind": "multiplicative",
            "value": 1.2,
        },
    )
    assert response.status_code == 400 and "end" in response.context["form"].errors
    assert not PlanningEvent.objects.exists()


def test_cli_forecast_json(world, lake, client_admin):
    from concord.cli import _mount_subcommands, app

    _mount_subcommands()
    result = CliRunner().invoke(app, ["forecast", "--program", "SHARED", "--grain", "D", "--horizon", "1w", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["version"] == 1 and out["grain"] == "D" and len(out["points"]) == 7
    assert {s["model"] for s in out["backtest"]} >= {"SeasonalNaive", "AutoETS"}
    assert Forecast.objects.get().model == out["model"]
    unknown = CliRunner().invoke(app, ["forecast", "--program", "NOPE"])
    assert unknown.exit_code == 1 and "unknown program 'NOPE'" in unknown.output


def test_forecast_is_staffed_per_interval_with_the_engine(world, lake, client_admin, login):
    # given an hourly forecast with one overridden interval
    forecast = services.create_forecast(
        actor=client_admin, program=world.program_shared, grain="60min", horizon_days=7, models=FAST
    )
    first = forecast.points.first()
    services.override_forecast(
        actor=client_admin, forecast=forecast, period_start=first.period_start, value=100, reason="Launch"
    )
    # when the planner staffs it with AHT 300 s, 80/20, 30% shrinkage
    query = {"aht_seconds": 300, "target_sl": 80, "target_seconds": 20, "shrinkage": 30}
    response = login(client_admin).get(f"/planning/forecasts/{forecast.pk}/", query)
    assert response.status_code == 200
    cells = response.context["staffing"]["cells"]
    # then every interval is the engine's answer for the value in force
    assert len(cells) == 84
    assert cells[0]["volume"] == 100
    assert cells[0]["agents"] == q.required_agents(100, 3600, 300, 0.8, 20)
    assert cells[0]["scheduled"] == q.scheduled_agents(cells[0]["agents"], 0.3)
    assert response.context["staffing"]["days"][0] == "Mon 16 Feb"
    # and bad targets are named, not a 500
    bad = login(client_admin).get(f"/planning/forecasts/{forecast.pk}/", {**query, "target_sl": 200})
    assert bad.status_code == 200 and "target_sl" in bad.context["staff_form"].errors


def test_demo_step_enters_events_for_every_program(world, client_admin):
    import random

    from concord.demo.context import DemoContext
    from concord.planning.demo import build_planning

    ctx = DemoContext(seed=1, scale=1, today=dt.date(2026, 3, 4), rng=random.Random(1), actor=client_admin)
    ctx.made["programs"] = {"SHARED": world.program_shared, "BONLY": world.program_b_only}
    build_planning(ctx)
    events = PlanningEvent.objects.filter(program=world.program_shared).order_by("start")
    assert [e.kind for e in events] == ["multiplicative", "additive"]
    assert events[0].start.date() == dt.date(2026, 3, 9)  # the next Monday
    assert PlanningEvent.objects.count() == 4


def test_a_forecast_left_running_by_a_dead_worker_ends_failed(world, client_admin, login):
    # given a forecast whose process started it, beat last at 08:00, and died
    started = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    stuck = Forecast.objects.create(program=world.program_shared, grain="60min", horizon_days=7, version=1,
                                    status="running", started_at=started, heartbeat_at=started,
                                    created_by=client_admin)  # fmt: skip
    # then half a minute of silence is no death, but two minutes are (not a blind 30-minute wait)
    assert services.fail_stale_forecasts(now=started + dt.timedelta(seconds=30)) == 0
    assert services.fail_stale_forecasts(now=started + dt.timedelta(minutes=2)) == 1
    Forecast.objects.filter(pk=stuck.pk).update(status="running", heartbeat_at=started)
    # when anyone looks at it
    page = login(client_admin).get(f"/planning/forecasts/{stuck.pk}/")
    # then it is failed, says why, and offers to run it again
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "stopped" in stuck.error_message
    assert b"Run it again" in page.content
    # and a viewer without the planning edit right is not offered it, nor may post it
    viewer = login(world.users["client_viewer"])
    assert b"Run it again" not in viewer.get(f"/planning/forecasts/{stuck.pk}/").content
    assert viewer.post(f"/planning/forecasts/{stuck.pk}/retry/").status_code == 403
    stuck.refresh_from_db()
    assert stuck.status == "failed"
