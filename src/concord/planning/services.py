"""Every planning state change: keyword-only arguments, the acting user, one transaction, one audit record.

``create_forecast`` reads the program's history from the lake (the registry's contacts
offered per interval, on the configured query engine, at one pinned version), runs the
engine's rolling-origin backtest and best model, applies the program's planner events
and stores the result as the program's next version. The model fitting runs before the
transaction opens, so the database is not held while statsforecast works.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from concord import engine, periods, reporting
from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.jobs import lifecycle
from concord.lake import scan
from concord.lake.store import Lake
from concord.metrics.query import MetricRequest
from concord.planning.engine import day_events
from concord.planning.engine import forecasting as fc
from concord.providers.models import ContactType, Program

from .models import Forecast, ForecastOverride, ForecastPoint, Grain, PlanningEvent

#: planning's grains as the metric registry's
_METRIC_GRAINS = {Grain.MIN15: "15min", Grain.MIN30: "30min", Grain.MIN60: "60min", Grain.DAY: "day"}


def _zone() -> ZoneInfo:
    return reporting.zone()


def _scope(program: Program, contact_type: ContactType | None, channel: str) -> tuple[str, list]:
    where, params = ["program = ?"], [program.code]
    if contact_type is not None:
        where.append("contact_type = ?")
        params.append(contact_type.code)
    if channel:
        where.append("channel = ?")
        params.append(channel)
    return " AND ".join(where), params


def lake_history(
    *,
    program: Program,
    grain: str,
    contact_type: ContactType | None = None,
    channel: str = "",
    lake_uri: str | None = None,
    version: int | None = None,
) -> tuple[pd.Series, int | None]:
    """Contacts offered per ``grain`` bucket, on local wall-clock time of the reporting zone.

    The registry's ``contacts_offered`` metric over the whole history the table holds (its
    span read from the Delta file statistics), on the configured query engine. Returns
    (series indexed by naive local timestamps, lake version read). Empty when the lake has
    no interactions for the program.
    """
    if grain not in _METRIC_GRAINS:
        raise ValueError(f"grain must be one of {', '.join(_METRIC_GRAINS)} (got {grain!r})")
    lake = Lake(lake_uri or settings.LAKE_URI)
    table = lake.delta("interactions", version)
    if table is None or not table.file_uris():
        return pd.Series(dtype=float), None if table is None else table.version()
    adds = pa.table(table.get_add_actions(flatten=True))
    first = pc.min(adds.column("min.created_at")).as_py()
    last = pc.max(adds.column("max.created_at")).as_py()
    filters = {"program": [program.code]}
    if contact_type is not None:
        filters["contact_type"] = [contact_type.code]
    if channel:
        filters["channel"] = [channel]
    zone = _zone()
    request = MetricRequest(
        ["contacts_offered"],
        # local dates around the UTC span, a day wider each side for any zone's offset
        start=first.astimezone(zone).date() - dt.timedelta(days=1),
        end=last.astimezone(zone).date() + dt.timedelta(days=2),
        timezone=str(zone),
        grain=_METRIC_GRAINS[grain],
        filters=filters,
        versions={"interactions": table.version()},
    )
    result = engine.run(request, lake)
    index = [pd.Timestamp(row.period_start) for row in result.rows]
    counts = [row.values["contacts_offered"].value for row in result.rows]
    series = pd.Series(np.asarray(counts, dtype=float), index=pd.DatetimeIndex(index))
    return series[series > 0], result.versions["interactions"]


def complete_history_end(
    *,
    program: Program,
    contact_type: ContactType | None = None,
    channel: str = "",
    lake_uri: str | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> pd.Timestamp:
    """Where a forecast's history ends (exclusive, local midnight of the reporting zone).

    Cut at the lake's real coverage, not the calendar: the last contact anywhere in the table
    says how far the data reaches, and the day holding it counts only if it reaches the time
    this queue's days usually end (``fc.complete_until``). Never later than the start of today
    in the reporting zone, which cannot be complete yet."""
    import duckdb

    snapshot = Lake(lake_uri or settings.LAKE_URI).snapshot("interactions", version)
    filters, params = _scope(program, contact_type, channel)
    local = "timezone(?, created_at)"
    zone = str(_zone())
    with duckdb.connect() as con:
        # lake.scan: the same read on a local lake and an object store; the filters are built by _scope
        source = scan.source(con, snapshot)
        frame = con.execute(
            f"SELECT CAST({local} AS DATE) AS day, max({local}) AS last FROM {source} WHERE {filters} "  # noqa: S608
            "GROUP BY 1 ORDER BY 1 DESC LIMIT ?",
            [zone, zone, *params, fc.CLOSE_LOOKBACK_DAYS + 1],
        ).df()
        (reach,) = con.execute(f"SELECT max(timezone(?, created_at)) FROM {source}", [zone]).fetchone()  # noqa: S608
    last = pd.DatetimeIndex(frame["last"]).sort_values()
    end = fc.complete_until(fc.day_closes(last), observed_until=pd.Timestamp(reach))
    # the running day is partial by definition: the last complete day ends where today begins
    last_day = periods.last_complete("day", today=today or reporting.today())
    return min(end, pd.Timestamp(periods.end_of(last_day, "day")))


def _aware(naive: pd.Timestamp) -> dt.datetime:
    """A local wall-clock time of the reporting zone as an aware datetime (UTC-comparable)."""
    return naive.to_pydatetime().replace(tzinfo=_zone())


def local_time(moment: dt.datetime) -> dt.datetime:
    """An instant on the reporting zone's wall clock (aware)."""
    return moment.astimezone(_zone())


def _exists(naive: pd.Timestamp) -> bool:
    return _local_naive(_aware(naive)) == naive


def _local_naive(moment: dt.datetime) -> pd.Timestamp:
    return pd.Timestamp(moment.astimezone(_zone()).replace(tzinfo=None))


@transaction.atomic
def _store_forecast(*, actor, fields: dict, points: list[tuple[dt.datetime, float, float]]) -> Forecast:
    program = Program.objects.select_for_update().get(pk=fields["program"].pk)
    latest = Forecast.objects.filter(program=program).aggregate(v=Max("version"))["v"] or 0
    forecast = audit.create(actor=actor, instance=Forecast(**fields, version=latest + 1, created_by=actor))
    ForecastPoint.objects.bulk_create(
        ForecastPoint(forecast=forecast, period_start=when, base=base, value=value) for when, base, value in points
    )
    return forecast


def _check_request(*, actor, program: Program, grain: str, horizon_days: int, contact_type) -> None:
    access.require(actor, Cap.EDIT_PLANNING)
    if grain not in Grain.values:
        raise ValidationError({"grain": f"Choose one of {', '.join(Grain.values)}."})
    if not 1 <= horizon_days <= 366:
        raise ValidationError({"horizon_days": "The horizon is 1 to 366 days."})
    if contact_type is not None and contact_type.program_id != program.pk:
        raise ValidationError({"contact_type": "That contact type belongs to another program."})


def _compute(
    *,
    program: Program,
    grain: str,
    horizon_days: int,
    contact_type: ContactType | None,
    channel: str,
    folds: int = 3,
    models: Sequence[str] | None = None,
    include_arima: bool = False,
    lake_uri: str | None = None,
) -> tuple[dict, list[tuple[dt.datetime, float, float]]]:
    """The work of one forecast, outside any transaction: (computed fields, points)."""
    history, lake_version = lake_history(
        program=program, grain=grain, contact_type=contact_type, channel=channel, lake_uri=lake_uri
    )
    if history.empty:
        raise ValidationError(f"The lake has no interactions for {program.code} to forecast from.")
    end = complete_history_end(
        program=program, contact_type=contact_type, channel=channel, lake_uri=lake_uri, version=lake_version
    )
    try:
        prepared = fc.prepare(history, grain, end=end)
    except ValueError as exc:
        raise ValidationError(f"Cannot forecast {program.code}: {exc}.") from exc
    steps = prepared.calendar.steps_for_days(prepared.index[-1], horizon_days)
    events = list(PlanningEvent.objects.filter(program=program).order_by("start", "pk"))
    engine_events = [
        fc.PlannerEvent(start=_local_naive(e.start), end=_local_naive(e.end), value=e.value, kind=e.kind, label=e.name)
        for e in events
    ]
    profile = None
    if grain == Grain.DAY and engine_events:  # how much of a day a sub-day event holds: the program's own hours
        hourly, _ = lake_history(
            program=program, grain=Grain.MIN60, contact_type=contact_type, channel=channel, lake_uri=lake_uri,
            version=lake_version,
        )  # fmt: skip
        profile = day_events.hour_profile(hourly, prepared.end)
    try:
        result = fc.forecast(
            history, grain, steps, events=engine_events, folds=folds, models=models, include_arima=include_arima,
            prepared=prepared, day_profile=profile,
        )  # fmt: skip
    except ValueError as exc:
        raise ValidationError(f"Cannot forecast {program.code}: {exc}.") from exc
    departures = fc.level_departures(prepared, result.forecast, explained=engine_events)
    if departures:
        raise ValidationError(
            f"Not stored: the {result.model} forecast for {program.code} departs wildly from recent actuals. "
            + "; ".join(departures)
            + ". If you expect this, record a planning event covering those days and forecast again."
        )
    touched = _events_applied(events, result)
    fields = {
        "model": result.model,
        "explanation": result.explanation,
        "backtest": [
            {"model": s.model, "wape": _num(s.wape), "mase": _num(s.mase), "folds": s.folds} for s in result.scores
        ],
        "events_applied": touched,
        "lake_version": lake_version,
        "history_start": _aware(history.index.min()),
        "history_end": _aware(prepared.end),
    }
    points = [
        (_aware(when), float(base), float(value))
        for when, base, value in zip(
            result.forecast.index, result.base_forecast.to_numpy(), result.forecast.to_numpy(), strict=True
        )
        if _exists(when)  # a wall-clock time skipped by a DST change has no instant
    ]
    return fields, points


def create_forecast(
    *,
    actor,
    program: Program,
    grain: str,
    horizon_days: int,
    contact_type: ContactType | None = None,
    channel: str = "",
    folds: int = 3,
    models: Sequence[str] | None = None,
    include_arima: bool = False,
    lake_uri: str | None = None,
) -> Forecast:
    """Synchronously (the CLI): backtest, choose, forecast, apply events; store as the program's next version.

    Nothing is stored when the forecast cannot be made (a ValidationError says why)."""
    _check_request(actor=actor, program=program, grain=grain, horizon_days=horizon_days, contact_type=contact_type)
    started = timezone.now()
    options = {"folds": folds, "models": list(models) if models else None, "include_arima": include_arima}
    computed, points = _compute(
        program=program, grain=grain, horizon_days=horizon_days, contact_type=contact_type, channel=channel,
        lake_uri=lake_uri, **options,
    )  # fmt: skip
    fields = {
        "program": program, "contact_type": contact_type, "channel": channel, "grain": grain,
        "horizon_days": horizon_days, "options": options, "status": Forecast.Status.SUCCEEDED,
        "started_at": started, "finished_at": timezone.now(), **computed,
    }  # fmt: skip
    return _store_forecast(actor=actor, fields=fields, points=points)


def request_forecast(
    *,
    actor,
    program: Program,
    grain: str,
    horizon_days: int,
    contact_type: ContactType | None = None,
    channel: str = "",
    folds: int = 3,
    models: Sequence[str] | None = None,
    include_arima: bool = False,
) -> Forecast:
    """The page and the API: store the next version queued and compute it in a background task.

    The task (``tasks.forecast_task`` -> ``run_forecast``) is enqueued once the row is committed."""
    _check_request(actor=actor, program=program, grain=grain, horizon_days=horizon_days, contact_type=contact_type)
    options = {"folds": folds, "models": list(models) if models else None, "include_arima": include_arima}
    fields = {
        "program": program, "contact_type": contact_type, "channel": channel, "grain": grain,
        "horizon_days": horizon_days, "options": options, "status": Forecast.Status.QUEUED,
    }  # fmt: skip
    with transaction.atomic():
        forecast = _store_forecast(actor=actor, fields=fields, points=[])
        from .tasks import forecast_task

        transaction.on_commit(lambda: forecast_task.enqueue(forecast.pk))
    return forecast


@transaction.atomic
def retry_forecast(*, actor, forecast: Forecast) -> Forecast:
    """Queue a failed forecast again (same version and options); nothing was stored for it."""
    access.require(actor, Cap.EDIT_PLANNING)
    if forecast.status != Forecast.Status.FAILED:
        raise ValidationError("Only a failed forecast can be run again.")
    from .tasks import forecast_task

    return lifecycle.retry(actor=actor, job=forecast, enqueue=lambda: forecast_task.enqueue(forecast.pk))


def fail_stale_forecasts(now: dt.datetime | None = None) -> int:
    """Forecasts left running by a process that died end failed, so they can run again (see ``concord.jobs``)."""
    return lifecycle.sweep(Forecast, now)


def run_forecast(forecast_id: int) -> Forecast:
    """The task body: compute a queued forecast and store its points; a failed one can run again.

    A forecast that cannot be made (no history, too little of it) ends failed with the reason;
    anything unexpected ends failed too and is raised for the worker's log."""
    forecast = Forecast.objects.select_related("program", "contact_type").get(pk=forecast_id)
    if forecast.status == Forecast.Status.SUCCEEDED:
        return forecast
    lifecycle.start(Forecast, forecast.pk)
    options = forecast.options or {}
    try:
        with lifecycle.running(Forecast, forecast.pk):
            computed, points = _compute(
                program=forecast.program, grain=forecast.grain, horizon_days=forecast.horizon_days,
                contact_type=forecast.contact_type, channel=forecast.channel, folds=options.get("folds", 3),
                models=options.get("models"), include_arima=options.get("include_arima", False),
            )  # fmt: skip
        with transaction.atomic():
            ForecastPoint.objects.filter(forecast=forecast).delete()
            ForecastPoint.objects.bulk_create(
                ForecastPoint(forecast=forecast, period_start=when, base=base, value=value)
                for when, base, value in points
            )
            lifecycle.succeed(Forecast, forecast.pk, **computed)
    except ValidationError as exc:
        lifecycle.fail(Forecast, forecast.pk, " ".join(exc.messages))
    except Exception as exc:  # the row must end failed, whatever broke
        lifecycle.fail(Forecast, forecast.pk, f"{type(exc).__name__}: {exc}")
        raise
    forecast.refresh_from_db()
    return forecast


def _events_applied(events: list[PlanningEvent], result: fc.ForecastResult) -> list[dict]:
    """The events that changed the version; at the daily grain each with the share of each day it acted on."""
    if result.grain == Grain.DAY:
        return [
            {
                "id": e.pk,
                "name": e.name,
                "kind": e.kind,
                "value": e.value,
                "days": [{"day": f"{d:%Y-%m-%d}", "share": round(s, 4)} for d, s in days],
            }
            for e, days in zip(events, result.event_days, strict=True)
            if days
        ]
    start, end = result.forecast.index.min(), result.forecast.index.max()
    return [
        {"id": e.pk, "name": e.name} for e in events if _local_naive(e.start) <= end and _local_naive(e.end) > start
    ]


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@transaction.atomic
def create_event(
    *, actor, program: Program, name: str, start: dt.datetime, end: dt.datetime, kind: str, value: float
) -> PlanningEvent:
    access.require(actor, Cap.EDIT_PLANNING)
    event = PlanningEvent(program=program, name=name, start=start, end=end, kind=kind, value=value, created_by=actor)
    return audit.create(actor=actor, instance=event)


@transaction.atomic
def delete_event(*, actor, event: PlanningEvent) -> None:
    access.require(actor, Cap.EDIT_PLANNING)
    audit.delete(actor=actor, instance=event)


@transaction.atomic
def override_forecast(*, actor, forecast: Forecast, period_start: dt.datetime, value: float, reason: str):
    """Record a planner's value for one interval of ``forecast``, with who and why."""
    access.require(actor, Cap.EDIT_PLANNING)
    point = forecast.points.filter(period_start=period_start).first()
    if point is None:
        raise ValidationError({"period_start": "That interval is not part of this forecast."})
    previous = forecast.overrides.filter(period_start=period_start).order_by("-created_at", "-pk").first()
    override = ForecastOverride(
        forecast=forecast,
        period_start=period_start,
        value=value,
        previous_value=previous.value if previous else point.value,
        reason=(reason or "").strip(),
        created_by=actor,
    )
    return audit.create(actor=actor, instance=override)
