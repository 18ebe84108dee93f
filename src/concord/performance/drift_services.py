"""The daily drift scan: every provider x scorecard metric, each day's numerator and denominator from the lake,
checked by the detector (``concord.metrics.drift``); an alarm becomes a ``DriftAlert`` with its evidence.

Which way is watched follows the metric: a falling success rate (FCR, CSAT, service level), a rising cost
(AHT, transfers, abandons), both ways for a band. The scan reads the last ``SCAN_DAYS`` complete days; the
first ``BASELINE_DAYS`` of them set the baseline. A sustained drift alarms again every few days once the
chart restarts; alarms less than ``REALERT_DAYS`` apart are one episode and raise one alert, and scanning
the same data again changes nothing.

The scan is the system's own work, not a person's change: its record is the ``DriftScan`` job row (which
lists what it raised), not an audit row per alert.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from concord import reporting
from concord.jobs import lifecycle
from concord.lake.store import Lake
from concord.metrics import drift
from concord.metrics.query import MetricRef, MetricRequest
from concord.metrics.sources import SOURCE_DIMENSIONS
from concord.providers.models import Provider

from . import cache
from .drift_models import DriftAlert, DriftScan
from .models import Scorecard, ScorecardMetric

SCAN_DAYS = 182  # 26 weeks
BASELINE_DAYS = 84  # 12 weeks: the measured false-alarm and delay rates assume this (tests/metrics/test_drift_rates.py)
DAILY_MIN_VOLUME = 10
REALERT_DAYS = 28
#: sources with a value per day; roster metrics are monthly snapshots and cannot drift day by day
DAILY_SOURCES = frozenset({"interactions", "evaluations"})
#: the metric's direction -> the drift that is bad news
WATCH = {"higher": "down", "lower": "up", "band": "both"}


def lake() -> Lake:
    return Lake(settings.LAKE_URI)


def watchable(line: ScorecardMetric) -> bool:
    """Whether a line has a daily numerator/denominator to watch."""
    try:
        metric = line.metric
    except KeyError:
        return False
    return metric.denominator is not None and metric.source in DAILY_SOURCES and not callable(metric.scale)


@dataclass
class Series:
    provider: Provider
    line: ScorecardMetric
    days: list[dt.date]
    numerators: list[float]
    denominators: list[float]


def daily_series(cards: list[Scorecard], *, start: dt.date, end: dt.date, store: Lake) -> tuple[list[Series], dict]:
    """Every (provider, watchable line) of ``cards``: numerator and denominator per local day in [start, end).

    One metric query per source for all cards at once, grouped by provider and program: the costly helper
    of some metrics (FCR's next contact of the same customer) is computed once, not once per card.
    """
    lines = [ln for card in cards for ln in card.lines.all() if watchable(ln)]
    serving = {
        card.program_id: {p.code: p for p in Provider.objects.filter(programs=card.program_id)} for card in cards
    }
    by_source: dict[str, list[ScorecardMetric]] = defaultdict(list)
    for ln in lines:
        if serving[ln.scorecard.program_id]:
            by_source[ln.metric.source].append(ln)
    out, versions = [], {}
    for source, src_lines in by_source.items():
        per_program = "program" in SOURCE_DIMENSIONS[source]
        codes = sorted({code for ln in src_lines for code in serving[ln.scorecard.program_id]})
        programs = sorted({ln.scorecard.program.code for ln in src_lines})
        request = MetricRequest(
            metrics=[MetricRef(ln.metric_key, ln.query_params(), 0, ln.alias) for ln in src_lines],
            start=start,
            end=end,
            timezone=settings.REPORTING_TIMEZONE,
            grain="day",
            group_by=("provider", "program") if per_program else ("provider",),
            filters={"provider": codes, **({"program": programs} if per_program else {})},
        )
        result = cache.run(request, store)
        versions.update(result.versions)
        cells: dict[tuple[str, int], tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
        for row in result.rows:
            code, program = row.dimensions.get("provider"), row.dimensions.get("program")
            for ln in src_lines:
                if per_program and ln.scorecard.program.code != program:
                    continue
                value = row.values[ln.alias]
                days, nums, dens = cells[(code, ln.pk)]
                days.append(row.period_start)
                nums.append(value.numerator or 0.0)
                dens.append(value.denominator or 0.0)
        for ln in src_lines:
            for code, prov in serving[ln.scorecard.program_id].items():
                days, nums, dens = cells.get((code, ln.pk), ([], [], []))
                out.append(Series(prov, ln, days, nums, dens))
    return out, versions


def _since(path: list[float], index: int, h: float) -> int:
    """The detector's change-point estimate: the day after the chart last stood at zero (or alarmed, after
    which it restarted from zero) before ``index``."""
    i = index
    while i > 0 and 0 < path[i - 1] <= h:
        i -= 1
    return i


def _evidence(series: Series, result: drift.DriftResult, versions: dict) -> dict:
    scale = float(series.line.metric.scale)
    return {
        "label": series.line.label,
        "unit": series.line.unit,
        "days": [d.isoformat() for d in result.days],
        "values": [None if v is None else v * scale for v in result.values],
        "expected": [v * scale for v in result.expected],
        "upper": result.upper,
        "lower": result.lower,
        "sigma": result.baseline.sigma * scale,
        "baseline_start": result.days[0].isoformat(),
        "baseline_end": result.days[result.parameters.baseline_days - 1].isoformat(),
        "lake_versions": versions,
        **result.as_json(),
    }


def alerts_for(series: Series, result: drift.DriftResult, versions: dict, scan: DriftScan | None) -> list[DriftAlert]:
    """Raise an alert per new drift episode in ``result``: alarms no more than ``REALERT_DAYS`` apart are one
    sustained drift (the chart restarts after each alarm and soon alarms again). Idempotent: an episode that
    already has an alert (an alert within ``REALERT_DAYS`` before its alarm) raises nothing."""
    raised = []
    index = {d: i for i, d in enumerate(result.days)}
    evidence = None
    previous: dict[str, dt.date] = {}
    for day, side in zip(result.alarms, result.alarm_sides, strict=True):
        for direction in ("up", "down") if side == "both" else (side,):
            last, previous[direction] = previous.get(direction), day
            if last is not None and (day - last).days <= REALERT_DAYS:
                continue  # the same drift, still going
            recent = DriftAlert.objects.filter(
                provider=series.provider,
                line=series.line,
                direction=direction,
                day__gt=day - dt.timedelta(days=REALERT_DAYS),
                day__lte=day,
            )
            if recent.exists():
                continue
            path = result.upper if direction == "up" else result.lower
            since = result.days[_since(path, index[day], result.parameters.h)]
            evidence = evidence or _evidence(series, result, versions)
            raised.append(
                DriftAlert.objects.create(
                    provider=series.provider,
                    line=series.line,
                    metric_key=series.line.metric_key,
                    day=day,
                    since=since,
                    direction=direction,
                    evidence=evidence,
                    scan=scan,
                )
            )
    return raised


def _name(series: Series) -> str:
    return f"{series.provider.code} {series.line.label} ({series.line.scorecard.name})"


def scan_all(*, through: dt.date | None = None, scan: DriftScan | None = None, lake_: Lake | None = None) -> dict:
    """Check every provider x watchable scorecard line over the ``SCAN_DAYS`` days up to ``through``."""
    through = through or reporting.today() - dt.timedelta(days=1)
    start, end = through - dt.timedelta(days=SCAN_DAYS - 1), through + dt.timedelta(days=1)
    store = lake_ or lake()
    checked, raised, skipped = 0, [], []
    cards = list(Scorecard.objects.select_related("program").prefetch_related("lines__scorecard__program"))
    all_series, versions = daily_series(cards, start=start, end=end, store=store)
    by_direction: dict[str, list[Series]] = defaultdict(list)
    for series in all_series:
        if series.days:
            by_direction[WATCH[series.line.kind]].append(series)
        else:
            skipped.append(f"{_name(series)}: no data")
    for direction, group in by_direction.items():
        results = drift.detect_many(
            [(x.days, x.numerators, x.denominators) for x in group],
            first_day=start,
            baseline_days=BASELINE_DAYS,
            direction=direction,
            min_volume=DAILY_MIN_VOLUME,
        )
        for series, result in zip(group, results, strict=True):
            if isinstance(result, drift.DriftInputError):
                skipped.append(f"{_name(series)}: {result}")
                continue
            checked += 1
            with transaction.atomic():
                raised += alerts_for(series, result, versions, scan)
    return {"through": through, "checked": checked, "raised": raised, "skipped": skipped, "versions": versions}


def run_scan(*, through: dt.date | None = None, lake_: Lake | None = None) -> DriftScan:
    """One scan as a job row (queued -> running -> succeeded | failed), for the schedule and the CLI."""
    through = through or reporting.today() - dt.timedelta(days=1)
    job = DriftScan.objects.create(through=through)
    lifecycle.start(DriftScan, job.pk)
    try:
        with lifecycle.running(DriftScan, job.pk):
            out = scan_all(through=through, scan=job, lake_=lake_)
    except Exception as exc:
        lifecycle.fail(DriftScan, job.pk, f"{type(exc).__name__}: {exc}")
        raise
    lifecycle.succeed(
        DriftScan,
        job.pk,
        series_checked=out["checked"],
        alerts_raised=len(out["raised"]),
        skipped=out["skipped"][:200],
        lake_versions={k: v for k, v in out["versions"].items() if v is not None},
    )
    job.refresh_from_db()
    return job


# --- make an action from an alert (governance) -----------------------------------------------------

#: days an action made from an alert has before it is due, unless its owner changes the date
ACTION_DUE_DAYS = 7


def create_action_from_alert(*, actor, alert: DriftAlert):
    """"Make an action from this alert" in one click: owned by whoever clicks, due in a week, linked back to
    the alert as its cause, about the alert's provider. Clicking again gives the same action, not a second."""
    import datetime as dt

    from django.urls import reverse

    from concord import reporting
    from concord.governance import services as governance
    from concord.governance.models import Action

    existing = Action.objects.filter(cause_kind="drift_alert", cause_id=str(alert.pk), provider=alert.provider).first()
    if existing is not None:
        return existing
    label = alert.line.label if alert.line_id else alert.metric_key
    return governance.create_action(
        user=actor,
        title=f"Investigate the {alert.get_direction_display().lower()} drift of {label} at {alert.provider.name}",
        owner=actor,
        due=reporting.today() + dt.timedelta(days=ACTION_DUE_DAYS),
        cause_kind="drift_alert",
        cause_id=str(alert.pk),
        cause_url=reverse("performance:drift-alert", args=[alert.pk]),
        provider=alert.provider,
        description=f"Drift alarm raised on {alert.day}; estimated start {alert.since}.",
    )
