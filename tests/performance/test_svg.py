"""Every chart of the performance pages downloads as SVG, with the same numbers and scoping as the page."""

from __future__ import annotations


def _svg(client, provider, card, **query):
    return client.get(f"/performance/providers/{provider.pk}/scorecards/{card.pk}/chart.svg", query)


def test_the_index_and_each_metric_trend_download_as_svg(world, lake_uri, card, login):
    client = login(world.users["client_admin"])
    # the pages link every chart to its SVG
    portfolio = client.get("/performance/", {"scorecard": card.pk, "period": "2026-05"}).content.decode()
    assert f"/performance/providers/{world.partner_a.pk}/scorecards/{card.pk}/chart.svg?period=2026-05" in portfolio
    page = client.get(f"/performance/providers/{world.partner_a.pk}/", {"scorecard": card.pk, "period": "2026-05"})
    aht = card.lines.get(metric_key="aht")
    assert f"chart={aht.pk}" in page.content.decode() and "Download SVG" in page.content.decode()
    # the index trend and a metric trend are SVG files
    for chart in ("index", str(aht.pk)):
        response = _svg(client, world.partner_a, card, period="2026-05", chart=chart)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert response.content.lstrip().startswith(b"<svg") and "attachment" in response["Content-Disposition"]
    assert _svg(client, world.partner_a, card, period="2026-05", chart="999999").status_code == 404


def test_a_partner_gets_no_other_providers_chart(world, lake_uri, card, login):
    client = login(world.users["partner_a_lead"])
    assert _svg(client, world.partner_a, card, period="2026-05").status_code == 200
    assert _svg(client, world.partner_b, card, period="2026-05").status_code == 404
