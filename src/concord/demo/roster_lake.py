"""Demo step: monthly roster snapshots in the lake, so people metrics (headcount,
attrition, tenure mix) have data and Atlas CX's high attrition shows on the scorecard.

One snapshot per month end over the interaction months (and one on the last
interaction day for the running month), written as a roster CSV and loaded through
the ingest service with the built-in ``roster-csv`` profile, as a partner's HR export
would be. A snapshot lists everyone employed at some point in its month: an exit
up to the snapshot date is shown with its date and reason (that is how attrition
counts it); a later exit is not known yet.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from concord.ingest.demo import DAYS

from .context import DemoContext

PROFILE = "roster-csv"
COLUMNS = ("snapshot_date", "agent", "provider", "site", "team", "role", "hire_date", "exit_date", "exit_reason")


def snapshot_dates(today: dt.date, days: int = DAYS) -> list[dt.date]:
    """Month ends from the first interaction day to the last (yesterday), plus the last day itself."""
    last = today - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    out = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        end = following - dt.timedelta(days=1)
        out.append(min(end, last))
        month = following
    return out


def snapshot_rows(code: str, people: list[dict], day: dt.date) -> list[dict]:
    month_start = day.replace(day=1)
    rows = []
    for p in people:
        exit_date = p.get("exit_date")
        if p["hire_date"] > day or (exit_date is not None and exit_date < month_start):
            continue
        known_exit = exit_date if exit_date is not None and exit_date <= day else None
        rows.append(
            {
                "snapshot_date": day.isoformat(),
                "agent": p["employee_id"],
                "provider": code,
                "site": p["site"].code if p.get("site") else "",
                "team": p["team"].code if p.get("team") else "",
                "role": str(p.get("role") or "agent"),
                "hire_date": p["hire_date"].isoformat(),
                "exit_date": known_exit.isoformat() if known_exit else "",
                "exit_reason": str(p.get("exit_reason") or "") if known_exit else "",
            }
        )
    return rows


def write_csv(ctx: DemoContext, path: Path) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for day in snapshot_dates(ctx.today):
            for code, info in ctx.made["providers"].items():
                rows = snapshot_rows(code, info.get("people", []), day)
                writer.writerows(rows)
                count += len(rows)
    return count


def build_roster_snapshots(ctx: DemoContext) -> None:
    from concord.ingest import services

    with tempfile.TemporaryDirectory(prefix="concord-demo-") as tmp:
        path = Path(tmp) / "roster-snapshots.csv"
        total = write_csv(ctx, path)
        run = services.ingest_path(actor=ctx.actor, path=path, profile_name=PROFILE)
    if run.status != run.Status.SUCCEEDED:
        raise RuntimeError(f"demo roster snapshots did not load: {run.error_message}")
    ctx.made["roster_snapshots"] = {"run": run, "rows": total}
    ctx.progress(f"{run.accepted:,} roster snapshot rows in the lake ({len(snapshot_dates(ctx.today))} snapshots)")
