"""A tiny lake for SLA tests, and partner A's contract measured on it.

Partner A (PA), program SHARED, reporting zone Europe/Madrid:
- 2026-05-14 (declared outage): 2 contacts, wait 100 s, talk 300 s
- 2026-05-20: 4 contacts, wait 10 s, talk 300 s
- 2026-06-10 and 2026-07-10: 4 contacts each, wait 3 s, talk 200 s
Partner B (PB): 2026-05-20, 2 contacts, wait 10 s, talk 600 s.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from deltalake import write_deltalake

from concord.contracts import services
from concord.lake.schemas import INTERACTIONS

_ids = count(1)
MADRID = ZoneInfo("Europe/Madrid")


def contact(provider, when, *, talk, wait):
    created = when + timedelta(minutes=next(_ids))
    row = dict.fromkeys(INTERACTIONS.schema.names)
    row.update(
        source="test",
        external_id=f"c{next(_ids)}",
        provider=provider,
        site=f"{provider}-S1",
        team=f"{provider}-T1",
        agent=f"{provider}-001",
        program="SHARED",
        contact_type="ORD",
        channel="voice",
        language="en",
        created_at=created,
        answered_at=created + timedelta(seconds=wait),
        wait_seconds=float(wait),
        talk_seconds=float(talk),
        abandoned=False,
        transferred=False,
        escalated=False,
        reopened=False,
        resolved=False,
        updated_at=created,
        created_month=created.strftime("%Y-%m"),
    )
    return row


def _at(m, d):
    return datetime(2026, m, d, 12, tzinfo=UTC)


ROWS = [
    *(contact("PA", _at(5, 14), talk=300, wait=100) for _ in range(2)),
    *(contact("PA", _at(5, 20), talk=300, wait=10) for _ in range(4)),
    *(contact("PA", _at(6, 10), talk=200, wait=3) for _ in range(4)),
    *(contact("PA", _at(7, 10), talk=200, wait=3) for _ in range(4)),
    *(contact("PB", _at(5, 20), talk=600, wait=10) for _ in range(2)),
]


@pytest.fixture
def lake_uri(settings, tmp_path):
    uri = str(tmp_path / "lake")
    table = pa.Table.from_pylist(ROWS, schema=INTERACTIONS.schema)
    write_deltalake(f"{uri}/interactions", table, partition_by=list(INTERACTIONS.partition_by))
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


def make_contract(world, provider, *, outage=True, earn_back=2):
    admin = world.users["client_admin"]
    contract = services.contract_create(
        actor=admin,
        provider=provider,
        name=f"{provider.code} services",
        start_date=dt.date(2026, 1, 1),
        currency="EUR",
        monthly_fee=Decimal("10000"),
        at_risk_percent=Decimal("10"),
        earn_back_periods=earn_back,
        programs=[world.program_shared],
        slas=[
            {
                "name": "Service level",
                "metric_key": "service_level",
                "params": {"threshold_seconds": 20},
                "comparator": ">=",
                "target": 80,
                "min_volume": 1,
                "allocation_percent": Decimal("100"),
            },
            {"name": "AHT", "metric_key": "aht", "comparator": "<=", "target": 280, "allocation_percent": Decimal(100)},
            {"name": "ASA", "metric_key": "asa", "comparator": "<=", "target": 5, "allocation_percent": Decimal(100)},
        ],
    )
    if outage:
        services.outage_create(
            actor=admin,
            contract=contract,
            starts_at=datetime(2026, 5, 14, tzinfo=MADRID),
            ends_at=datetime(2026, 5, 15, tzinfo=MADRID),
            reason="Carrier outage",
        )
    return contract


@pytest.fixture
def contract_a(world):
    return make_contract(world, world.partner_a)


@pytest.fixture
def contract_b(world):
    return make_contract(world, world.partner_b, outage=False)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def append_contacts(uri, rows):
    """A newer lake version: the same table with more contacts."""
    table = pa.Table.from_pylist(rows, schema=INTERACTIONS.schema)
    write_deltalake(f"{uri}/interactions", table, mode="append", partition_by=list(INTERACTIONS.partition_by))
