"""Demo step: one balanced scorecard per program and a contract with SLAs per partner.

Runs after the interactions step, so it also computes the last three complete
months of SLA results from the demo lake (credits, the cap and earn-back show).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from concord import periods
from concord.contracts import services as contract_services
from concord.providers.models import Provider

from . import services

#: program code -> AHT target (seconds); every card balances efficiency, customer, quality and people
AHT_TARGETS = {"RETAIL": 450.0, "TECH": 700.0}


def _lines(program_code: str) -> list[dict]:
    return [
        {"metric_key": "aht", "target": AHT_TARGETS.get(program_code, 480.0), "weight": 2},
        {
            "metric_key": "service_level",
            "params": {"threshold_seconds": 60, "channels": ["voice"]},
            "target": 80,
            "weight": 2,
        },
        {"metric_key": "abandon_rate", "target": 5, "weight": 1},
        {"metric_key": "csat", "target": 78, "weight": 2},
        {"metric_key": "fcr", "params": {"window_days": 7}, "target": 90, "weight": 2},
        {"metric_key": "transfer_rate", "target": 6.5, "weight": 1},
        {"metric_key": "attrition", "target": 40, "weight": 1},
    ]


SLAS = [
    {
        "name": "Service level 75/60 (voice)",
        "metric_key": "service_level",
        "params": {"threshold_seconds": 60},
        "comparator": ">=",
        "target": 75,
        "filters": {"channel": ["voice"]},
        "min_volume": 100,
        "allocation_percent": Decimal("100"),
    },
    {
        "name": "Average speed of answer (voice)",
        "metric_key": "asa",
        "comparator": "<=",
        "target": 40,
        "filters": {"channel": ["voice"]},
        "min_volume": 100,
        "allocation_percent": Decimal("50"),
    },
    {
        "name": "First contact resolution",
        "metric_key": "fcr",
        "params": {"window_days": 7},
        "comparator": ">=",
        "target": 92,
        "min_volume": 100,
        "allocation_percent": Decimal("50"),
    },
    {
        "name": "CSAT top-2-box",
        "metric_key": "csat",
        "comparator": ">=",
        "target": 78,
        "min_volume": 50,
        "allocation_percent": Decimal("50"),
    },
]


def build_scorecards_and_contracts(ctx) -> None:
    admin = ctx.actor
    cards = {}
    for code, program in ctx.made["programs"].items():
        cards[code] = services.scorecard_create(
            actor=admin,
            program=program,
            name=f"{program.name} balanced scorecard",
            description="Efficiency, customer, quality and people on one card; the same for every team.",
            lines=_lines(code),
        )
    this_month = ctx.today.replace(day=1)
    months = [periods.shift(this_month, "month", -k) for k in (3, 2, 1)]
    contracts = {}
    for code, made in ctx.made["providers"].items():
        provider = made["provider"]
        if provider.kind != Provider.Kind.VENDOR:
            continue
        programs = list(provider.programs.all())
        if not programs:
            continue
        fee = Decimal(ctx.rng.randrange(80, 240) * 1000)
        contract = contract_services.contract_create(
            actor=admin,
            provider=provider,
            name=f"{provider.name} master services agreement",
            start_date=periods.shift(this_month, "month", -12),
            currency="EUR",
            monthly_fee=fee,
            at_risk_percent=Decimal("12"),
            earn_back_periods=2,
            programs=programs,
            slas=SLAS,
        )
        if code == "BRAVO":
            # a declared carrier outage: the contacts of that afternoon are left out of every SLA of the month
            zone = ZoneInfo(settings.REPORTING_TIMEZONE)
            starts_at = dt.datetime.combine(months[1] + dt.timedelta(days=9), dt.time(14), tzinfo=zone)
            contract_services.outage_create(
                actor=admin,
                contract=contract,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=4),
                reason="Carrier outage",
            )
        for month in (*months, this_month):  # the current month too: provisional until it ends and matures
            contract_services.compute_month(actor=admin, contract=contract, period=month)
        contracts[code] = contract
    ctx.made["scorecards"] = cards
    ctx.made["contracts"] = contracts
    _link_agent_logins(ctx)
    ctx.progress(f"{len(cards)} scorecards, {len(contracts)} contracts with SLA results for {len(months) + 1} months")


def _link_agent_logins(ctx) -> None:
    """Each demo agent login reads the numbers of one long-serving agent of its provider, renamed to match.

    Logins are made after every step, so the link is the roster entry's external id for Concord's
    own login (``access.LOGIN_SOURCE``), which does not need the user to exist yet.
    """
    from concord.accounts.access import LOGIN_SOURCE
    from concord.accounts.roles import Role
    from concord.demo.organisation import USERS  # the demo package imports this module: import late
    from concord.providers import services as provider_services
    from concord.providers.models import Agent

    for username, role, provider_code, first, last in USERS:
        if role != Role.AGENT or provider_code not in ctx.made["providers"]:
            continue
        people = [
            p["agent"]
            for p in ctx.made["providers"][provider_code].get("people", [])
            if p["agent"].role == Agent.Role.AGENT and p["agent"].status == Agent.Status.ACTIVE
        ]
        if not people:
            continue
        agent = min(people, key=lambda a: (a.hire_date, a.employee_id))
        provider_services.update_for_provider(actor=ctx.actor, instance=agent, display_name=f"{first} {last}")
        provider_services.agent_set_external_id(actor=ctx.actor, agent=agent, source=LOGIN_SOURCE, external_id=username)


def build_drift_alerts(ctx) -> None:
    """The daily drift scan over the demo lake, as of the demo's yesterday: Atlas CX's slide shows as alerts."""
    from .drift_services import run_scan

    scan = run_scan(through=ctx.today - dt.timedelta(days=1))
    ctx.progress(f"drift scan: {scan.series_checked} series checked, {scan.alerts_raised} alerts raised")
