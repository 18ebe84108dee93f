"""Conventions chosen per scorecard and per SLA: the date counted by and business hours, stored and shown.

Site PA-S1 is in Asia/Manila (UTC+8, no daylight saving) and opens Mon-Fri 09:00-18:00. Tickets (UTC):
- T1 created Fri 15 May 09:00Z (17:00 Manila), first answered Mon 18 May 02:00Z (10:00 Manila):
  65 calendar hours; in business hours Fri 17-18 + Mon 9-10 = 2 hours.
- T2 created Thu 30 Apr 09:00Z, answered 1 hour later, resolved Sat 2 May 09:00Z: created in April,
  resolved in May.
Every number is worked out by hand from these two rows.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from concord.contracts import services as contract_services
from concord.contracts.measure import measure_sla
from concord.lake.store import Lake
from concord.performance import selectors, services

from .conftest import contact, write_lake

MAY = dt.date(2026, 5, 1)
H = 3600


@pytest.fixture
def tickets(settings, tmp_path, world):
    t1 = contact("PA", "PA-001", talk=0, wait=0, channel="email", when=datetime(2026, 5, 15, 9, tzinfo=UTC))
    t1.update(
        created_at=datetime(2026, 5, 15, 9, tzinfo=UTC),
        answered_at=datetime(2026, 5, 18, 2, tzinfo=UTC),
        resolved_at=None,
        resolved=False,
        wait_seconds=None,
        created_month="2026-05",
    )
    t2 = contact("PA", "PA-001", talk=0, wait=0, channel="email")
    t2.update(
        created_at=datetime(2026, 4, 30, 9, tzinfo=UTC),
        answered_at=datetime(2026, 4, 30, 10, tzinfo=UTC),
        resolved_at=datetime(2026, 5, 2, 9, tzinfo=UTC),
        wait_seconds=None,
        created_month="2026-04",
    )
    uri = str(tmp_path / "lake")
    write_lake(uri, [t1, t2])
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "UTC"
    world.site_a.business_hours = "Mon-Fri 09:00-18:00"
    world.site_a.save()
    return uri


def _card(world, **conventions):
    return services.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name=f"Tickets {conventions}",
        lines=[
            {"metric_key": "first_response_median", "params": {"channels": ["email"]}, "target": H, "min_volume": 1},
            {"metric_key": "contacts_offered", "target": 1, "min_volume": 1},
        ],
        **conventions,
    )  # fmt: skip


def _numbers(world, card):
    row = selectors.score(world.users["client_admin"], card, period=MAY).row(MAY, provider="PA")
    return [ls.value.value for ls in row.lines]


def test_a_scorecard_in_business_hours_counts_only_the_sites_open_time(world, tickets):
    assert _numbers(world, _card(world))[0] == 65 * H  # calendar hours, by created date: T1 only
    assert _numbers(world, _card(world, hours="business"))[0] == 2 * H


def test_a_scorecard_counted_by_resolution_date_takes_what_was_resolved_in_the_month(world, tickets):
    # by created date May holds T1; by resolution date it holds T2 (T1 is not resolved)
    assert _numbers(world, _card(world))[1] == 1
    first_response, offered = _numbers(world, _card(world, count_by="resolved"))
    assert (first_response, offered) == (1 * H, 1)


def test_the_scorecard_page_says_which_convention_each_number_uses(world, tickets, login):
    card = _card(world, count_by="resolved", hours="business")
    page = login(world.users["client_admin"]).get(f"/performance/scorecards/{card.pk}/").content.decode()
    assert "Conventions: counted by resolution date; times in business hours (site calendars)." in page
    assert "by resolution date; business hours (site calendars); email" in page


def test_an_sla_keeps_its_conventions_and_is_measured_by_them(world, tickets):
    contract = contract_services.contract_create(
        actor=world.users["client_admin"], provider=world.partner_a, name="PA tickets", start_date=dt.date(2026, 1, 1),
        currency="EUR", monthly_fee=Decimal("1000"), at_risk_percent=Decimal("10"), earn_back_periods=0,
        programs=[world.program_shared],
        slas=[{"name": "First reply", "metric_key": "first_response_median", "params": {"channels": ["email"]},
               "comparator": "<=", "target": 4 * H, "min_volume": 1, "allocation_percent": Decimal(100),
               "hours": "business"}],
    )  # fmt: skip
    sla = contract.slas.get()
    sla.refresh_from_db()
    assert (sla.count_by, sla.hours) == ("created", "business")
    measured = measure_sla(sla, MAY, lake=Lake(tickets), timezone="UTC")
    assert (measured.value, measured.status) == (2 * H, "met")  # 65 calendar hours would have missed
    assert sla.convention_text == "by created date; business hours (site calendars); email"


def test_a_bad_site_calendar_is_refused_with_one_line(world, login):
    from django.core.exceptions import ValidationError

    world.site_a.business_hours = "Mon-Fri 18:00-09:00"
    with pytest.raises(ValidationError, match="ends before it starts"):
        world.site_a.full_clean()


def test_changing_a_calendar_changes_a_business_hours_number(world, tickets):
    card = _card(world, hours="business")
    assert _numbers(world, card)[0] == 2 * H
    world.site_a.business_hours = "Mon-Sun 00:00-24:00"
    world.site_a.save()
    assert _numbers(world, card)[0] == 65 * H


def test_an_sla_filtered_to_voice_says_voice_not_the_metrics_live_channels():
    # Seen on the demo's SLA report: "Service level 75/60 (voice)", filtered to channel voice, read
    # "by created date; voice, chat; within 60 s": the metric's default channels, not what it counts.
    from concord import metrics as metric_engine
    from concord.metrics.conventions import DEFAULT, describe_line

    service_level = metric_engine.get("service_level")
    words = describe_line(service_level, {"threshold_seconds": 60}, DEFAULT, {"channel": ["voice"]})
    assert words.split("; ")[:3] == ["by created date", "voice", "within 60 s"]
    assert "voice, chat" in describe_line(service_level, {"threshold_seconds": 60}, DEFAULT)
    # a filter naming no channel the metric reads: it counts nothing, and says so
    assert "; no channel;" in describe_line(service_level, {}, DEFAULT, {"channel": ["email"]})
    # a metric without a channels parameter (CSAT) names the filtered channels
    assert describe_line(metric_engine.get("csat"), {}, DEFAULT, {"channel": ["chat"]}) == "by created date; chat"
