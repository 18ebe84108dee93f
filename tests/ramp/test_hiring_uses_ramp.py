"""The allocation's hiring plan on each provider's measured ramp (tests/ramp/conftest.py), the typed one as override.

PA: 60 FTE allocated (its 60 % cap of 100), 50 agents now, no attrition, 1 training week.
Measured ramp (0.5, 0.667): lead time 1 + 2 = 3 weeks, 10 hires in week 0; effective FTE 50, 50 + 10 x 0.5,
50 + 10 x 0.667, then 60: short in weeks 0, 1, 2 -> 3 weeks short.
Typed ramp (0.9): lead time 2, the same 10 hires, short in weeks 0 and 1 -> 2 weeks short.
PB has no cohort of five agents: the typed ramp, and the plan says why.
"""

from __future__ import annotations

import pytest

PAYLOAD = {
    "demand": {"en": 100}, "volume_up": 0, "lost_provider": "", "weeks": 8, "training_weeks": 1, "ramp": [0.9],
    "training_cost": 1000,
    "providers": [
        {"provider": "PA", "rate": 900, "capacity": 200, "max_share": 60, "quality": 90, "languages": ["en"],
         "headcount": 50, "attrition": 0.0},
        {"provider": "PB", "rate": 1000, "capacity": 200, "quality": 90, "languages": "en", "headcount": 40,
         "attrition": 0.0},
    ],
}  # fmt: skip


def _hiring(client, **extra):
    response = client.post("/api/planning/allocation/", {**PAYLOAD, **extra}, content_type="application/json")
    assert response.status_code == 200, response.content
    return {h["provider"]: h for h in response.json()["hiring"]}


@pytest.mark.django_db
def test_hiring_plan_uses_the_measured_ramp_unless_the_typed_one_is_chosen(ramp_world, login):
    client = login(ramp_world.users["client_admin"])
    hiring = _hiring(client)
    pa, pb = hiring["PA"], hiring["PB"]
    assert pa["ramp_measured"] and pa["ramp"] == pytest.approx([0.5, 0.6667])
    assert pa["hires_per_week"][0] == 10 and pa["weeks_short"] == 3
    assert not pb["ramp_measured"] and pb["ramp"] == [0.9]
    assert pb["ramp_source"] == "typed: no hiring cohort of 5 or more agents measured"

    typed = _hiring(client, ramp_source="typed")["PA"]
    assert not typed["ramp_measured"] and typed["ramp"] == [0.9]
    assert typed["hires_per_week"][0] == 10 and typed["weeks_short"] == 2


@pytest.mark.django_db
def test_planning_page_says_which_ramp_it_used(ramp_world, login):
    page = login(ramp_world.users["client_admin"]).get("/planning/allocation/").content.decode()
    assert "Ramp used after training" in page
    assert '<span class="badge good">measured</span> 0.50, 0.67' in page  # PA, from its cohort
    assert "no hiring cohort of 5 or more agents measured" in page  # PB, on the typed ramp
