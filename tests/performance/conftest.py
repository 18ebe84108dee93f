"""A tiny lake with hand-known numbers, and the scorecard measuring it.

May 2026, program SHARED (Europe/Madrid reporting zone, all contacts at noon UTC):
- PA: agents PA-001 (talk 200 x2) and PA-002 (talk 400 x2), wait 10 s -> AHT 300, SL 100 %
- PB: agent PB-001, talk 600 x2, wait 60 s -> AHT 600, SL 0 %
- INT: talk 240 x2, wait 10 s -> AHT 240, SL 100 %
April 2026: PA talk 360 x2 (AHT 360) for the trend.
Card: AHT lower target 300, SL(20 s) higher target 80, CSAT higher target 80 (no surveys: no data).
PA index = 100 * mean(1.0, 1.2) / 1.2 = 91.667; PB = 100 * mean(0.5, 0) / 1.2 = 20.833.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pyarrow as pa
import pytest
from deltalake import write_deltalake

from concord.lake.schemas import INTERACTIONS
from concord.performance import services

_ids = count(1)


def contact(provider, agent, *, talk, wait, when=datetime(2026, 5, 14, 12, tzinfo=UTC), program="SHARED", **extra):
    created = when + timedelta(minutes=next(_ids))
    row = dict.fromkeys(INTERACTIONS.schema.names)
    row.update(
        source="test",
        external_id=f"x{next(_ids)}",
        provider=provider,
        site=f"{provider}-S1",
        team=f"{provider}-T1",
        agent=agent,
        program=program,
        contact_type="ORD",
        channel="voice",
        language="en",
        created_at=created,
        answered_at=created + timedelta(seconds=wait),
        resolved_at=created + timedelta(seconds=wait + talk),
        wait_seconds=float(wait),
        talk_seconds=float(talk),
        hold_seconds=0.0,
        wrap_seconds=0.0,
        abandoned=False,
        transferred=False,
        escalated=False,
        reopened=False,
        resolved=True,
        customer_key=f"cust{next(_ids)}",
        updated_at=created,
        created_month=created.strftime("%Y-%m"),
        ingest_run="t",
    )
    row.update(extra)
    return row


def write_lake(uri, rows):
    table = pa.Table.from_pylist(rows, schema=INTERACTIONS.schema)
    write_deltalake(f"{uri}/interactions", table, partition_by=list(INTERACTIONS.partition_by), mode="append")


TINY = [
    *(contact("PA", "PA-001", talk=200, wait=10) for _ in range(2)),
    *(contact("PA", "PA-002", talk=400, wait=10) for _ in range(2)),
    *(contact("PB", "PB-001", talk=600, wait=60) for _ in range(2)),
    *(contact("INT", "INT-001", talk=240, wait=10) for _ in range(2)),
    *(contact("PA", "PA-001", talk=360, wait=10, when=datetime(2026, 4, 10, 12, tzinfo=UTC)) for _ in range(2)),
]


@pytest.fixture
def lake_uri(settings, tmp_path):
    uri = str(tmp_path / "lake")
    write_lake(uri, TINY)
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


@pytest.fixture
def card(world):
    return services.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name="Shared card",
        lines=[
            {"metric_key": "aht", "target": 300, "weight": 1, "min_volume": 1},
            {
                "metric_key": "service_level",
                "params": {"threshold_seconds": 20},
                "target": 80,
                "weight": 1,
                "min_volume": 1,
            },
            {"metric_key": "csat", "target": 80, "weight": 1},
        ],
    )
