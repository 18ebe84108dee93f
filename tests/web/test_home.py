"""Issue #10.7: the start page shows each person the figures their role acts on, each linking to its page.

Tiny performance lake (tests/performance/conftest.py), clock stopped on 10 June 2026 in Madrid, so the
last complete month is May 2026: PA index 91.7 (4 contacts), PB 20.8 (2), INT on the same card.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.performance.conftest import card, lake_uri  # noqa: F401  (fixtures)

from concord import periods


@pytest.fixture(autouse=True)
def june(monkeypatch, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    monkeypatch.setattr(periods, "utc_now", lambda: dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC))


def test_the_client_sees_the_portfolio_index_slas_and_open_issues(world, lake_uri, card, login):  # noqa: F811
    page = login(world.users["client_admin"]).get("/").content.decode()
    assert "Portfolio index" in page and "May 2026" in page
    assert "91.7" in page and "20.8" in page  # PA and PB side by side
    assert (
        f"/performance/providers/{world.partner_a.pk}/?scorecard={card.pk}&amp;grain=month&amp;period=2026-05" in page
    )
    assert "SLAs at risk, May 2026" in page
    assert "Open issues" in page and "No failed loads" in page


def test_a_partner_lead_sees_only_their_own_scorecard(world, lake_uri, card, login):  # noqa: F811
    page = login(world.users["partner_a_lead"]).get("/").content.decode()
    assert "Your scorecard" in page and "91.7" in page
    assert "20.8" not in page and "Partner B" not in page
    assert "Your SLAs, May 2026" in page
    assert "Open issues" not in page  # the client's load queue is not theirs


def test_an_agent_sees_their_own_numbers(world, lake_uri, card, login):  # noqa: F811
    page = login(world.users["partner_a_agent"]).get("/").content.decode()
    # PA-001 in May: AHT 200 against 300 and SL 100 %: 100 * mean(1.2, 1.2) / 1.2 = 100.0 over 2 contacts
    assert "Your numbers" in page and "100.0" in page and "2 contacts" in page
    assert f"/performance/me/?scorecard={card.pk}" in page
    assert "91.7" not in page and "Portfolio index" not in page and "SLAs" not in page


def test_counts_have_thousands_separators():
    from concord.web.templatetags.concord_tags import count, money

    assert count(67451) == "67,451" and count(67451.0) == "67,451" and count(None) == "—"
    assert money(16080, "EUR") == "16,080.00 EUR" and money("1234.5") == "1,234.50"


def _forecast(world, user, version: int, points: dict[dt.datetime, float]):
    from concord.planning.models import Forecast, ForecastPoint

    made = Forecast.objects.create(
        program=world.program_shared, version=version, grain="60min", horizon_days=35, model="SeasonalNaive",
        status="succeeded", created_by=user, history_end=dt.datetime(2026, 6, 8, 22, tzinfo=dt.UTC),
    )  # fmt: skip
    for start, value in points.items():
        ForecastPoint.objects.create(forecast=made, period_start=start, base=value, value=value)
    return made


def test_a_partner_lead_sees_the_forecast_of_its_assigned_volume_for_the_next_weeks(world, login, client_admin):
    from concord.planning import assignment_services

    utc = dt.UTC
    old = _forecast(world, client_admin, 1, {dt.datetime(2026, 6, 10, 10, tzinfo=utc): 9999.0})
    new = _forecast(
        world, client_admin, 2,
        {
            dt.datetime(2026, 6, 9, 10, tzinfo=utc): 100.0,  # Tuesday: already past on Wednesday 10 June
            dt.datetime(2026, 6, 10, 10, tzinfo=utc): 200.0,  # this week
            dt.datetime(2026, 6, 14, 10, tzinfo=utc): 50.0,  # Sunday, this week
            dt.datetime(2026, 6, 14, 22, 30, tzinfo=utc): 10.0,  # 00:30 Monday 15 June in Madrid: next week
            dt.datetime(2026, 6, 15, 10, tzinfo=utc): 300.0,  # next week
            dt.datetime(2026, 7, 6, 10, tzinfo=utc): 7777.0,  # the fifth week: beyond what the page shows
        },
    )  # fmt: skip
    for forecast in (old, new):
        assignment_services.assign_volume(actor=client_admin, forecast=forecast, provider=world.partner_a, share=40)
    theirs = assignment_services.assign_volume(actor=client_admin, forecast=new, provider=world.partner_b, share=35)
    response = login(world.users["partner_a_lead"]).get("/")
    page = response.content.decode()
    (figure,) = response.context["home"].assigned  # the newest version of the program only
    assert figure.version == 2 and figure.share == 40
    # by hand, 40% of: week of 8 June 200 + 50 = 100; week of 15 June 10 + 300 = 124; then nothing
    assert [round(c, 6) for _, c, _ in figure.weeks] == [100.0, 124.0, 0.0, 0.0]
    # days with forecast from today on: Wed 10 and Sun 14 June; Mon 15 June; none; none
    assert [d for _, _, d in figure.weeks] == [2, 1, 0, 0] and "(2 days)" in page
    assert figure.weeks[0][0] == "week 2026-W24 (8 Jun to 14 Jun 2026)"
    assert "Volume assigned to you, next weeks" in page and "124" in page
    mine = new.assignments.get(provider=world.partner_a)
    assert f'href="/planning/assigned/{mine.pk}/"' in page and f"/planning/assigned/{theirs.pk}/" not in page
    assert "35%" not in page and "9,999" not in page


def test_the_client_and_the_agent_get_no_assigned_volume_section(world, login):
    for who in ("client_admin", "partner_a_agent"):
        assert "Volume assigned to you" not in login(world.users[who]).get("/").content.decode()
