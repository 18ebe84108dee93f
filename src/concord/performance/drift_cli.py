"""``concord drift scan FILE.csv``: test the drift detector on your own daily series.

Pure: reads a CSV with columns ``date,numerator,denominator`` (one row per day) and prints the alarm
days. No database, no lake: the same detector the daily scan uses (``concord.metrics.drift``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Annotated

import typer

drift_app = typer.Typer(no_args_is_help=True, help="Drift detection (statistical process control).")

COLUMNS = ("date", "numerator", "denominator")


class SeriesFileError(ValueError):
    pass


def _number(text: str, *, row: int, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SeriesFileError(f"row {row}, {field}: {text.strip()[:40]!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise SeriesFileError(f"row {row}, {field}: {text.strip()[:40]!r} must be a finite number of at least 0")
    return value


def read_series(path: Path) -> tuple[list[dt.date], list[float], list[float]]:
    """The three columns of ``path``; raises ``SeriesFileError`` naming the file, row and field."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SeriesFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    days, nums, dens = [], [], []
    seen: dict[dt.date, int] = {}
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise SeriesFileError(f"{path.name}: row 1 (header) lacks the column {', '.join(missing)}")
            reader.fieldnames = header
            for row_no, record in enumerate(reader, start=2):
                raw_day = (record.get("date") or "").strip()
                try:
                    day = dt.date.fromisoformat(raw_day)
                except ValueError:
                    raise SeriesFileError(
                        f"{path.name}: row {row_no}, date: {raw_day[:40]!r} is not YYYY-MM-DD"
                    ) from None
                if day in seen:
                    raise SeriesFileError(f"{path.name}: row {row_no}, date: {day} already given on row {seen[day]}")
                seen[day] = row_no
                try:
                    num = _number(record.get("numerator") or "", row=row_no, field="numerator")
                    den = _number(record.get("denominator") or "", row=row_no, field="denominator")
                except SeriesFileError as exc:
                    raise SeriesFileError(f"{path.name}: {exc}") from None
                days.append(day)
                nums.append(num)
                dens.append(den)
        except UnicodeDecodeError:
            raise SeriesFileError(f"{path.name}: not UTF-8 text") from None
        except csv.Error as exc:
            raise SeriesFileError(f"{path.name}: row {reader.line_num}: {exc}") from None
    if not days:
        raise SeriesFileError(f"{path.name}: no rows after the header")
    return days, nums, dens


@drift_app.command("scan")
def scan(
    file: Annotated[Path, typer.Argument(help="CSV with columns date,numerator,denominator; one row per day.")],
    baseline_days: Annotated[
        int, typer.Option("--baseline-days", help="The first N calendar days set the baseline (at least 28).")
    ],
    direction: Annotated[str, typer.Option("--direction", help="Which drift to watch: up, down or both.")] = "both",
    min_volume: Annotated[
        float, typer.Option("--min-volume", help="Days with a denominator below this are not counted.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"alarms", "method", "parameters"}.')] = False,
) -> None:
    """The days on which the detector raises an alarm (weighted CUSUM, weekday-aware baseline)."""
    from concord.cli import fail
    from concord.metrics import drift

    if direction not in drift.DIRECTIONS:
        fail(f"--direction must be one of {', '.join(drift.DIRECTIONS)}, not {direction!r}")
    try:
        days, nums, dens = read_series(file)
        result = drift.detect(days, nums, dens, baseline_days=baseline_days, direction=direction, min_volume=min_volume)
    except (SeriesFileError, drift.DriftInputError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.as_json()))
        return
    base = result.baseline
    typer.echo(result.method)
    typer.echo(
        f"baseline {baseline_days} days ({base.days} counted): sigma {base.sigma:.4g}, "
        f"weekday effect {'yes' if base.weekday_effect else 'no'}; k {result.parameters.k}, h {result.parameters.h}"
    )
    if not result.alarms:
        typer.echo("no alarm")
    for day, side in zip(result.alarms, result.alarm_sides, strict=True):
        typer.echo(f"{day.isoformat()}  {side}")


@drift_app.command("daily")
def daily(
    through: Annotated[
        str | None, typer.Option("--through", help="Last day to scan, YYYY-MM-DD (default: yesterday, reporting zone).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scan as one JSON object.")] = False,
) -> None:
    """Run the daily drift scan now (what the scheduled task does): every provider x scorecard metric."""
    from concord.cli import _django, fail

    _django()
    from . import drift_services

    day = None
    if through:
        try:
            day = dt.date.fromisoformat(through)
        except ValueError:
            fail(f"--through: {through[:40]!r} is not YYYY-MM-DD")
    try:
        scan = drift_services.run_scan(through=day)
    except Exception as exc:  # the job row says failed; the terminal gets one line
        fail(f"the drift scan failed: {exc}")
    out = {
        "scan": scan.pk,
        "through": scan.through.isoformat(),
        "series_checked": scan.series_checked,
        "alerts_raised": scan.alerts_raised,
        "skipped": scan.skipped,
    }
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(
        f"drift scan through {out['through']}: {out['series_checked']} series checked, "
        f"{out['alerts_raised']} alert(s) raised, {len(out['skipped'])} skipped"
    )
