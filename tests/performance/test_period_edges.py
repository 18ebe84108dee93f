"""Issue #9.5: every route that takes a period answers a period it cannot show with a clear 400, never a 500.

Before ``concord.periods`` checked the supported years, ``?period=9999-12`` parsed and the trend's
month arithmetic then overflowed into a 500 with a traceback; ``0001-01`` did the same going back.
"""

from __future__ import annotations

import pytest

BAD = [
    ({"period": "9999-12"}, "outside the supported years"),
    ({"period": "0001-01"}, "outside the supported years"),
    ({"grain": "week", "period": "0001-W01"}, "outside the supported years"),
    ({"grain": "week", "period": "2025-W53"}, "2025 has no ISO week 53"),
    ({"grain": "quarter", "period": "2026-Q5"}, "no quarter 5"),
    ({"period": "2026-13"}, "no month 13"),
    ({"period": "0000-01"}, "not a date the calendar has"),
    ({"grain": "fortnight"}, "unknown grain"),
]

PAGES = [
    "/performance/",
    "/performance/?format=csv",
    "/performance/providers/{pa}/",
    "/performance/providers/{pa}/?table=components&format=xlsx",
    "/performance/providers/{pa}/scorecards/{card}/chart.svg",
]


@pytest.mark.parametrize("route", PAGES)
@pytest.mark.parametrize(("query", "reason"), BAD)
def test_pages_answer_a_bad_period_with_a_400_that_says_why(world, lake_uri, card, login, route, query, reason):
    client = login(world.users["client_admin"])
    url = route.format(pa=world.partner_a.pk, card=card.pk)
    response = client.get(url, {"scorecard": card.pk, **query})
    assert response.status_code == 400
    body = response.content.decode()
    assert reason.lower() in body.lower() and "Traceback" not in body
    # the way out: the same page at its latest complete period
    assert "Show the latest complete period" in body


@pytest.mark.parametrize(
    ("query", "reason"), [(q, r) for q, r in BAD if "grain" not in q]  # the API reads months only
)
def test_the_scorecard_query_api_answers_a_bad_period_with_a_400(world, lake_uri, card, login, query, reason):
    client = login(world.users["client_admin"])
    response = client.get("/api/scorecards/query/", query)
    assert response.status_code == 400
    assert reason in response.json()["errors"]["period"]


@pytest.mark.parametrize("period", ["1990-01", "2099-12"])
def test_the_first_and_last_supported_months_render(world, lake_uri, card, login, period):
    # the 6-period trend of January 1990 would start in 1989: it is shorter, not an error
    client = login(world.users["client_admin"])
    assert client.get("/performance/", {"scorecard": card.pk, "period": period}).status_code == 200
    assert client.get(f"/performance/providers/{world.partner_a.pk}/", {"period": period}).status_code == 200
    assert client.get("/api/scorecards/query/", {"period": period}).status_code == 200
