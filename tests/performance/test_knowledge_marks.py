"""Knowledge changes on the scorecard trend charts: a rule at the day a version asking for acknowledgement was
published in the card's program, only for articles the reader's audience includes (issue #15.2)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from concord.knowledge import services as knowledge
from concord.knowledge.models import ArticleVersion
from concord.knowledge.selectors import knowledge_changes
from concord.performance import reports


def _publish(world, slug, title, *, at, program=None, **fields):
    version = knowledge.publish(
        user=world.users["client_admin"],
        program=program or world.program_shared,
        data=knowledge.ArticleInput(slug=slug, title=title, body=f"{title}.", **fields),
    ).version
    ArticleVersion.objects.filter(pk=version.pk).update(created_at=at)
    return version


@pytest.fixture
def changes(world):
    """May 2026 in Europe/Madrid (UTC+2): four changes, two that are not (no acknowledgement asked; too early)."""
    utc = dt.UTC
    _publish(
        world, "refunds", "Refund window 14 days", at=dt.datetime(2026, 5, 11, 23, 30, tzinfo=utc), requires_ack=True
    )
    _publish(world, "b-script", "Greeting for B", at=dt.datetime(2026, 5, 20, 9, tzinfo=utc), requires_ack=True,
             audience={"providers": ["PB"]})  # fmt: skip
    _publish(world, "b-program", "B program rule", at=dt.datetime(2026, 5, 5, 9, tzinfo=utc), requires_ack=True,
             program=world.program_b_only)  # fmt: skip
    _publish(world, "typo", "Typo fixed", at=dt.datetime(2026, 5, 6, 9, tzinfo=utc))
    _publish(world, "old", "Old change", at=dt.datetime(2025, 10, 1, 9, tzinfo=utc), requires_ack=True)


def _titles(user, world, start=dt.date(2025, 12, 1), end=dt.date(2026, 6, 1)):
    programs = [world.program_shared.pk, world.program_b_only.pk]
    return [(c.day, c.title) for c in knowledge_changes(user=user, program_ids=programs, start=start, end=end)]


def test_the_selector_gives_each_reader_the_changes_their_audience_includes(world, changes, settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    # 23:30 UTC on 11 May is 01:30 on 12 May in Madrid: the reporting zone's day
    assert _titles(world.users["client_admin"], world) == [
        (dt.date(2026, 5, 5), "B program rule"),
        (dt.date(2026, 5, 12), "Refund window 14 days"),
        (dt.date(2026, 5, 20), "Greeting for B"),
    ]
    assert _titles(world.users["partner_a_lead"], world) == [(dt.date(2026, 5, 12), "Refund window 14 days")]
    assert _titles(world.users["partner_b_lead"], world) == [
        (dt.date(2026, 5, 5), "B program rule"),
        (dt.date(2026, 5, 12), "Refund window 14 days"),
        (dt.date(2026, 5, 20), "Greeting for B"),
    ]
    assert _titles(world.users["client_admin"], world, end=dt.date(2026, 5, 12)) == [
        (dt.date(2026, 5, 5), "B program rule")
    ]  # the end is exclusive


def _rules(spec) -> list[dict]:
    """The data rows behind the chart's knowledge-change rules (layers marked as rules on a "day" field)."""
    datasets = spec.get("datasets", {})
    out = []
    for layer in spec["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if mark == "rule" and layer.get("encoding", {}).get("x", {}).get("field") == "day":
            data = layer["data"]
            out += data.get("values") or datasets[data["name"]]
    return out


def test_the_trend_charts_draw_a_rule_at_each_visible_change(world, lake_uri, card, changes):
    period = dt.date(2026, 5, 1)
    admin = reports.provider_scorecard(world.users["client_admin"], world.partner_a, card, period)
    lead = reports.provider_scorecard(world.users["partner_a_lead"], world.partner_a, card, period)
    # the card is SHARED's: B-only program changes are not its program's
    expected_admin = [
        {"day": "2026-05-12", "title": "Refund window 14 days (v1)"},
        {"day": "2026-05-20", "title": "Greeting for B (v1)"},
    ]
    for trend in admin.trends:
        assert _rules(trend.spec) == expected_admin, trend.line.metric_key
    for trend in lead.trends:
        assert _rules(trend.spec) == [{"day": "2026-05-12", "title": "Refund window 14 days (v1)"}]


def test_the_svg_download_shows_the_change_after_april_and_before_mays_end(world, lake_uri, card, changes, login):
    client = login(world.users["partner_a_lead"])
    aht = card.lines.get(metric_key="aht")
    url = f"/performance/providers/{world.partner_a.pk}/scorecards/{card.pk}/chart.svg"
    svg = client.get(url, {"period": "2026-05", "chart": aht.pk}).content.decode()
    assert "Refund window 14 days (v1)" in svg
    assert "Greeting for B" not in svg  # PB's audience only
    # the rule is drawn for 12 May, right of May's point (the period's start) and left of the plot's end
    rule = _x(svg, "Knowledge change: Refund window 14 days (v1); Published: 12 May 2026")
    april, may = _x(svg, "Month: Apr 2026;"), _x(svg, "Month: May 2026;")
    assert april < may < rule <= 640


def _x(svg: str, label: str) -> float:
    """The x of the first positioned mark (a point or a rule, not the line's path) labelled with ``label``."""
    for element in re.finditer(r"<(?:line|path)[^>]*aria-label=\"[^\"]*" + re.escape(label) + r"[^>]*>", svg):
        position = re.search(r'transform="translate\(([-\d.]+),', element.group(0))
        if position:
            return float(position.group(1))
    raise AssertionError(f"no mark labelled {label!r}")


def test_review_packs_list_the_same_changes_with_the_providers_adoption(world, changes, settings):
    from concord.knowledge.selectors import changes as pack_changes

    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    refunds = ArticleVersion.objects.get(article__slug="refunds")
    knowledge.acknowledge(user=world.users["partner_a_agent"], version=refunds)
    rows = pack_changes(user=world.users["client_admin"], provider=world.partner_a, start=dt.date(2026, 5, 1),
                        end=dt.date(2026, 6, 1))  # fmt: skip
    # PA serves SHARED only; its one agent was asked to acknowledge "refunds" (and did), not PB's greeting
    assert [(r["title"], r["required"], r["acknowledged"], r["share_percent"]) for r in rows] == [
        ("Refund window 14 days", 1, 1, 100.0),
        ("Greeting for B", 0, 0, None),
    ]
