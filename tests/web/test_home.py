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
