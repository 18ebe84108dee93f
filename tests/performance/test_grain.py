"""Week and quarter grain on the pages: the card's grain by default, or the picker's.

Tiny lake (conftest): PA's May contacts are on Thursday 14 May 2026 (ISO week 20, from Monday 11 May),
AHT 300 and SL 100 %; in April PA has two contacts at AHT 360 (SL 100 %).
"""

from __future__ import annotations

import datetime as dt

import pytest

from concord.performance import grain


def test_periods_parse_to_their_start():
    assert grain.parse("2026-W20", "week") == dt.date(2026, 5, 11)
    assert grain.parse("2026-05-14", "week") == dt.date(2026, 5, 11)
    assert grain.parse("2026-Q2", "quarter") == dt.date(2026, 4, 1)
    assert grain.parse("2026-05", "quarter") == dt.date(2026, 4, 1)
    assert grain.parse("2026-05", "month") == dt.date(2026, 5, 1)
    assert grain.param(dt.date(2026, 5, 11), "week") == "2026-W20"
    assert grain.param(dt.date(2026, 4, 1), "quarter") == "2026-Q2"
    assert grain.periods_to(dt.date(2026, 4, 1), "quarter", 2) == [dt.date(2026, 1, 1), dt.date(2026, 4, 1)]
    with pytest.raises(ValueError, match="not an ISO week"):
        grain.parse("soon", "week")


def _page(client, world, card, **query):
    return client.get(f"/performance/providers/{world.partner_a.pk}/", {"scorecard": card.pk, **query})


def test_a_weekly_card_shows_weeks(world, lake_uri, card, login):
    card.grain = "week"
    card.save()
    client = login(world.users["client_admin"])
    # week 20 holds all of PA's May contacts: the same index as May, 100 * mean(1.0, 1.2) / 1.2
    page = _page(client, world, card, period="2026-W20").content.decode()
    assert "week 2026-W20 (11 May to 17 May 2026)" in page and "91.7" in page
    assert '<option value="week" selected>' in page
    # the next week has no contacts
    page = _page(client, world, card, period="2026-W21").content.decode()
    assert "91.7" not in page
    # the portfolio follows the card's grain too
    page = client.get("/performance/", {"scorecard": card.pk, "period": "2026-W20"}).content.decode()
    assert "91.7" in page and "Last 6 weeks" in page


def test_the_picker_asks_for_a_quarter(world, lake_uri, card, login):
    client = login(world.users["client_admin"])
    page = _page(client, world, card, grain="quarter", period="2026-Q2").content.decode()
    # Q2 adds April: AHT (2x200 + 2x400 + 2x360) / 6 = 320 -> attainment 300/320 = 0.9375;
    # SL capped at 1.2: index 100 * mean(0.9375, 1.2) / 1.2 = 89.06
    assert "2026 Q2" in page and "89.1" in page
    # the CSV export and the SVG follow the grain
    response = _page(client, world, card, grain="quarter", period="2026-Q2", table="components", format="csv")
    assert "2026-Q2" in response["Content-Disposition"]
    svg = client.get(
        f"/performance/providers/{world.partner_a.pk}/scorecards/{card.pk}/chart.svg",
        {"grain": "quarter", "period": "2026-Q2"},
    )
    assert svg.status_code == 200 and "2026-Q2" in svg["Content-Disposition"]
    # a bad period is explained in a 400, not a 500
    response = _page(client, world, card, grain="quarter", period="Q9")
    assert response.status_code == 400 and "is not a quarter such as 2026-Q2" in response.content.decode()


def test_an_empty_period_means_the_last_complete_one():
    # given 2026-11-25: the running month, week and quarter are partial
    today = dt.date(2026, 11, 25)
    assert grain.parse("", "month", today=today) == dt.date(2026, 10, 1)
    assert grain.parse("", "week", today=today) == dt.date(2026, 11, 16)  # Monday of the week before
    assert grain.parse("", "quarter", today=today) == dt.date(2026, 7, 1)
    assert grain.parse("", "month", today=dt.date(2026, 1, 3)) == dt.date(2025, 12, 1)


@pytest.fixture
def clock(monkeypatch):
    """Stops the one clock ``concord.periods`` reads at an aware UTC instant."""
    from concord import periods

    def stop(instant: dt.datetime) -> None:
        monkeypatch.setattr(periods, "utc_now", lambda: instant)

    return stop


def test_today_is_the_reporting_zones(world, lake_uri, card, login, settings, clock):
    # 12:30 UTC on Sunday 28 June 2026 is 00:30 on Monday 29 June in Auckland (NZST, +12):
    # Auckland has finished week 26 (22 to 28 June) while a server on UTC is still inside it
    settings.REPORTING_TIMEZONE = "Pacific/Auckland"
    clock(dt.datetime(2026, 6, 28, 12, 30, tzinfo=dt.UTC))
    assert grain.parse("", "week") == dt.date(2026, 6, 22)
    card.grain = "week"
    card.save()
    client = login(world.users["client_admin"])
    page = client.get("/performance/", {"scorecard": card.pk}).content.decode()
    assert "week 2026-W26 (22 Jun to 28 Jun 2026)" in page
    # and 12:30 UTC on 30 June is 1 July in Auckland: June and Q2 are complete there
    clock(dt.datetime(2026, 6, 30, 12, 30, tzinfo=dt.UTC))
    assert grain.parse("", "month") == dt.date(2026, 6, 1)
    assert grain.parse("", "quarter") == dt.date(2026, 4, 1)
    page = client.get("/performance/", {"scorecard": card.pk, "grain": "month"}).content.decode()
    assert "June 2026" in page
