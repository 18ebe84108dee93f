"""Allocation scenarios and hiring plans: the page shows what the engine computes for the same terms."""

from __future__ import annotations

import pytest

from concord.planning import selectors
from concord.planning.engine import allocation as al
from concord.planning.engine.hiring import plan_hiring


def _query(world, **extra):
    q = {
        "demand": "en=60",
        "volume_up": 30,
        "lost_provider": "PA",
        "lost_share": 50,
        "weeks": 12,
        "training_weeks": 2,
        "ramp": "0.5",
        "training_cost": 1000,
    }
    for p, rate in ((world.internal, 1400), (world.partner_a, 900), (world.partner_b, 1000)):
        q.update(
            {
                f"p{p.pk}_include": "on",
                f"p{p.pk}_rate": rate,
                f"p{p.pk}_capacity": 50,
                f"p{p.pk}_min_share": 10,  # percent, as typed
                f"p{p.pk}_max_share": 60,
                f"p{p.pk}_quality": 90,
                f"p{p.pk}_languages": "en",
                f"p{p.pk}_headcount": 10,
                f"p{p.pk}_attrition": 40,
            }
        )
    q.update(extra)
    return q


def test_scenarios_side_by_side_match_the_engine(world, client_admin, login):
    # given three providers of 50 FTE each, 60 FTE of English work, shares 10%..60%
    response = login(client_admin).get("/planning/allocation/", _query(world))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    # then the base is the engine's least-cost split: the cheapest partner takes its 60% cap
    providers = [
        al.Provider(code, rate, 50, frozenset({"en"}), quality_index=90, min_share=0.1, max_share=0.6)
        for code, rate in (("INT", 1400), ("PA", 900), ("PB", 1000))
    ]
    expected = al.allocate([al.Segment("week", "en", 60)], providers)
    base = comparison["results"][0]
    assert base.cost == pytest.approx(expected.cost)
    assert base.shares == pytest.approx(expected.shares)
    assert base.shares["PA"] == pytest.approx(0.6)
    # and the what-ifs are named and solved: +30% volume, PA losing half its capacity
    names = [s.name for s in comparison["scenarios"]]
    assert names == ["Base", "Volume +30%", "PA loses 50% capacity"]
    assert comparison["results"][2].shares["PA"] == pytest.approx(25 / 60)
    assert all(r.feasible for r in comparison["results"])


def test_hiring_plan_is_the_engines_for_the_allocated_fte(world, client_admin, login):
    response = login(client_admin).get("/planning/allocation/", _query(world))
    plans = {e["terms"].name: e for e in response.context["plans"]}
    pa = plans["PA"]
    expected = plan_hiring([36.0] * 12, 10, selectors.weekly_attrition(0.4), 2, (0.5,), training_cost_per_hire=1000,
                           cost_per_fte_week=900)  # fmt: skip
    assert pa["required_fte"] == pytest.approx(36.0)
    assert list(pa["plan"].hires) == list(expected.hires)
    assert pa["plan"].attrition_cost == pytest.approx(expected.attrition_cost)
    assert 'data-chart="hiring-chart"' in response.content.decode()


def test_infeasible_scenario_is_explained_not_an_error(world, client_admin, login):
    response = login(client_admin).get("/planning/allocation/", _query(world, demand="en=500"))
    assert response.status_code == 200
    base = response.context["comparison"]["results"][0]
    assert not base.feasible and base.message
    assert "infeasible" in response.content.decode()
    assert "plans" not in response.context


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"demand": "english 60"}, "demand", "write each language as code=FTE"),
        ({"ramp": "0.5, 2"}, "ramp", "at most 1"),
        ({"volume_up": "x"}, "volume_up", "Enter a number"),
    ],
)
def test_bad_input_is_named_next_to_its_field(world, client_admin, login, extra, field, message):
    response = login(client_admin).get("/planning/allocation/", _query(world, **extra))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])


def test_min_share_above_max_is_refused(world, client_admin, login):
    pk = world.partner_a.pk
    response = login(client_admin).get("/planning/allocation/", _query(world, **{f"p{pk}_min_share": 70}))
    assert response.status_code == 400
    assert "minimum share is above the maximum" in " ".join(response.context["form"].errors[f"p{pk}_min_share"])


def test_page_without_a_query_starts_from_the_providers(world, client_admin, login):
    response = login(client_admin).get("/planning/allocation/")
    assert response.status_code == 200
    assert {r["provider"].code for r in response.context["form"].provider_rows()} == {"INT", "PA", "PB"}


def test_the_default_scenario_keeps_every_current_partner_warm(world, client_admin, login):
    # given the page's worked example (no query): partners at one rate, an internal team dearer
    response = login(client_admin).get("/planning/allocation/")
    assert response.status_code == 200
    base = response.context["comparison"]["results"][0]
    partners = [p.code for p in (world.partner_a, world.partner_b)]
    # then no partner is dropped to nothing, and none takes everything
    assert base.feasible
    assert all(base.shares[code] >= 0.05 - 1e-9 for code in partners), base.shares
    assert max(base.shares.values()) < 1.0
    body = " ".join(response.content.decode().split())
    assert "Min share (%)" in body and "Annual attrition (%)" in body and "÷ 52" in body


def test_a_quality_floor_that_shuts_a_partner_out_says_so_on_the_page(world, client_admin, login):
    pa = world.partner_a.pk
    query = _query(world, quality_floor=80, **{f"p{pa}_quality": 70, f"p{pa}_min_share": 0})
    response = login(client_admin).get("/planning/allocation/", query)
    assert response.status_code == 200
    assert "PA is excluded: its quality index 70 is below the floor 80." in response.content.decode()
