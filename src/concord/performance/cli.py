"""``concord scorecard``: a provider's scorecard for one month, from the terminal.

The same selectors and JSON shape as ``GET /api/scorecards/query/``.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def scorecard_command(
    provider: Annotated[str, typer.Option("--provider", help="Provider code, e.g. PA.")],
    period: Annotated[
        str | None, typer.Option("--period", help="Month, e.g. 2026-05 (default: the last complete month).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Break down by site, team or agent.")] = None,
    scorecard: Annotated[int | None, typer.Option("--scorecard", help="Only this scorecard id.")] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Run as this Concord user (their access rules apply); default: the operator."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """A provider's scorecards for one month: each metric, its target, attainment and the composite index."""
    from concord.cli import _django, fail

    _django()
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from concord.accounts.models import User
    from concord.accounts.roles import Role

    from . import reports, selectors

    if user:
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            fail(f"no active user {user!r}")
    else:
        actor = User(username="operator", role=Role.VIEWER)  # the client's view: every provider
    if by is not None and by not in selectors.BREAKDOWNS:
        fail(f"cannot break down by {by!r}; use one of {', '.join(selectors.BREAKDOWNS)}")
    try:
        month = selectors.parse_period(period)
        prov = selectors.provider_by_code(actor, provider)
        data = reports.query(actor, period=month, provider=prov, by=by, scorecard_id=scorecard)
    except Http404:
        what = f"no provider {provider!r}" + (f" or scorecard {scorecard}" if scorecard is not None else "")
        fail(f"{what} visible to {actor.username}")
    except PermissionDenied as exc:
        fail(str(exc))
    except (ValueError, KeyError) as exc:
        fail(str(exc).strip('"'))
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    console = Console()
    if not data["scorecards"]:
        console.print(f"No scorecard covers a program of {provider}.")
    for card in data["scorecards"]:
        versions = ", ".join(f"{k} " + ("(empty)" if v is None else f"v{v}") for k, v in card["lake_versions"].items())
        title = f"{card['scorecard']['name']} · {provider} · {data['period']} · lake {versions}"
        table = Table(title=title)
        dims = [d for d in card["group_by"] if d != "provider"]
        for d in dims:
            table.add_column(d)
        table.add_column("metric")
        for col in ("value", "target", "volume", "attainment", "points"):
            table.add_column(col, justify="right")
        table.add_column("status")
        for row in card["rows"]:
            for comp in row["components"]:
                table.add_row(
                    *(str(row["dimensions"].get(d)) for d in dims),
                    comp["label"],
                    _in_unit(comp["value"], comp["metric"]),
                    _in_unit(comp["target"], comp["metric"]),
                    f"{comp['volume']:,}",
                    _fmt(comp["capped_attainment"], 3),
                    _fmt(comp["points"], 1),
                    comp["status"].replace("_", " "),
                )
            table.add_row(*(str(row["dimensions"].get(d)) for d in dims), "[bold]index[/]", _fmt(row["index"], 1))
        console.print(table)
        for note in card["notes"]:
            console.print(f"[dim]{note}[/]")


def _in_unit(x, metric_key: str) -> str:
    """A value as the pages show it (``12m 57s``, ``69.3%``, ``1,234``): the table is for people; --json is for
    programs."""
    from concord import metrics
    from concord.web.templatetags.concord_tags import metric_value

    return metric_value(x, metrics.get(metric_key).unit)


def _fmt(x, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"
