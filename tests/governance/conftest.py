"""Governance fixtures: partner A's monthly review, its ladder, and a tiny lake with hand-known numbers.

Lake (program SHARED, Europe/Madrid, contacts at noon UTC, handle = talk, no hold or wrap):
- May 2026, PA: talk 200, 200, 400, 400 -> AHT 300 s
- April 2026, PA: talk 360, 360 -> AHT 360 s
"""

from __future__ import annotations

import datetime as dt
from itertools import count

import pyarrow as pa
import pytest
from deltalake import write_deltalake

from concord.governance import escalations, services
from concord.lake.schemas import INTERACTIONS
from concord.performance import services as perf

_ids = count(1)


def contact(provider, *, talk, when):
    created = when + dt.timedelta(minutes=next(_ids))
    row = dict.fromkeys(INTERACTIONS.schema.names)
    row.update(
        source="gov",
        external_id=f"g{next(_ids)}",
        provider=provider,
        site=f"{provider}-S1",
        team=f"{provider}-T1",
        agent=f"{provider}-001",
        program="SHARED",
        contact_type="ORD",
        channel="voice",
        language="en",
        created_at=created,
        answered_at=created + dt.timedelta(seconds=10),
        resolved_at=created + dt.timedelta(seconds=10 + talk),
        wait_seconds=10.0,
        talk_seconds=float(talk),
        hold_seconds=0.0,
        wrap_seconds=0.0,
        abandoned=False,
        transferred=False,
        escalated=False,
        reopened=False,
        resolved=True,
        customer_key=f"c{next(_ids)}",
        updated_at=created,
        created_month=created.strftime("%Y-%m"),
        ingest_run="t",
    )
    return row


def write_lake(uri, rows):
    table = pa.Table.from_pylist(rows, schema=INTERACTIONS.schema)
    write_deltalake(f"{uri}/interactions", table, partition_by=list(INTERACTIONS.partition_by), mode="append")


MAY = dt.datetime(2026, 5, 14, 12, tzinfo=dt.UTC)
APRIL = dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def lake_uri(settings, tmp_path):
    uri = str(tmp_path / "lake")
    write_lake(
        uri,
        [contact("PA", talk=t, when=MAY) for t in (200, 200, 400, 400)]
        + [contact("PA", talk=360, when=APRIL) for _ in range(2)],
    )
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


@pytest.fixture
def card(world):
    return perf.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name="Shared card",
        lines=[{"metric_key": "aht", "target": 300, "weight": 1, "min_volume": 1}],
    )


@pytest.fixture
def cadence(world):
    return services.cadence_create(
        actor=world.users["client_admin"],
        provider=world.partner_a,
        program=world.program_shared,
        name="PA monthly review",
        kind="tactical",
        frequency="monthly",
        weekday=0,
        local_time=dt.time(10, 0),
        attendees=[world.users["client_admin"], world.users["partner_a_lead"]],
        agenda=["Scorecard", ("Commercial position (client only)", True)],
    )


@pytest.fixture
def meeting(world, cadence, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    # the first Monday of June 2026 is 1 June: it reviews May 2026
    made = services.schedule_meetings(actor=world.users["client_admin"], cadence=cadence, today=dt.date(2026, 6, 1))
    return made[0]


@pytest.fixture
def ladder(world):
    return escalations.ladder_set(
        actor=world.users["client_admin"],
        provider=world.partner_a,
        timezone_name="Europe/Madrid",
        business_start=dt.time(9),
        business_end=dt.time(17),
        business_days="0,1,2,3,4",
        severities=[
            {"code": "P1", "name": "Critical", "response_minutes": 60, "resolution_minutes": 240, "basis": "calendar"},
            {"code": "P2", "name": "High", "response_minutes": 120, "resolution_minutes": 960, "basis": "business"},
        ],
        levels=[
            {
                "number": 1,
                "name": "Team lead",
                "contact_name": "PA duty lead",
                "contact_user": world.users["partner_a_lead"],
            },
            {"number": 2, "name": "Account manager", "contact_name": "PA account manager"},
            {
                "number": 3,
                "name": "Executive sponsor",
                "contact_name": "Client VP",
                "contact_user": world.users["client_admin"],
            },
        ],
    )
