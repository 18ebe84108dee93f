"""The second round of Schemathesis findings (#9.10), each pinned as plain requests: what the API refuses,
its schema says (bounds, patterns, non-empty lists), and a name that matches nothing is a 404 that says
nothing about other partners. Each request below is one the fuzzer reported, reduced by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from concord.metrics.calendars import parse_week


@pytest.fixture
def openapi(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _pattern(prop: dict) -> str:
    """A text field's pattern; an optional one (allow_blank) is a oneOf with the empty string."""
    return next(s["pattern"] for s in prop.get("oneOf", [prop]) if s.get("maxLength") != 0)


def test_another_partners_user_as_an_action_owner_is_answered_like_an_unknown_name(world, login):
    # It was a 400 "partner_b_lead cannot own an action of Partner A" against a 404 for a name nobody has:
    # a partner lead could confirm another partner's usernames one guess at a time.
    client = login(world.users["partner_a_lead"])
    body = {"provider": world.partner_a.pk, "title": "Hire 5", "due": "2026-07-01"}
    other = _post(client, "/api/governance/actions/", {**body, "owner": "partner_b_lead"})
    nobody = _post(client, "/api/governance/actions/", {**body, "owner": "no_such_person"})
    assert other.status_code == nobody.status_code == 404
    assert (
        other.json()["errors"]
        == nobody.json()["errors"]
        == {"owner": ["No active user by that name can own this provider's action."]}
    )
    assert not world.partner_a.actions.exists()
    assert _post(client, "/api/governance/actions/", {**body, "owner": "partner_a_lead"}).status_code == 201


def test_an_unknown_evaluator_of_a_sampling_plan_is_a_404_naming_the_field(world, login):
    body = {"provider": world.partner_a.pk, "week_start": "2026-06-01", "per_agent": 1, "evaluators": ["nobody"]}
    response = _post(login(world.users["client_admin"]), "/api/quality/sampling/", body)
    assert response.status_code == 404 and list(response.json()["errors"]) == ["evaluators"], response.json()


def test_knowledge_adoption_grouped_by_nothing_is_refused(world, login):
    client = login(world.users["partner_a_lead"])
    assert client.get("/api/knowledge/adoption/?by=").status_code == 400  # "" is not provider, site or team
    assert client.get("/api/knowledge/adoption/").json()["by"] == "provider"


def test_coaching_with_neither_evaluation_nor_metric_names_the_field(world, login):
    body = {"agent": world.agent_a.pk, "held_on": "2026-06-01", "topic": "Holds", "evaluations": [], "metrics": []}
    response = _post(login(world.users["client_admin"]), "/api/quality/coaching/", body)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["evaluations"], response.json()


def test_a_form_section_without_criteria_is_documented_as_refused(openapi, world, login):
    section = openapi["components"]["schemas"]["SectionInputRequest"]["properties"]["criteria"]
    assert section["minItems"] == 1
    body = {"name": "F", "sections": [{"title": "S", "criteria": []}]}
    assert _post(login(world.users["client_admin"]), "/api/quality/forms/", body).status_code == 400


@pytest.mark.parametrize(
    ("field", "refused", "accepted", "bounds"),
    [
        # 0.5 is a share typed for a percentage: the engine refuses it (max_occupancy 5e-324 was ST202)
        ("target_sl", 0.5, 100, {"minimum": 1, "maximum": 100}),
        ("max_occupancy", 5e-324, 100, {"minimum": 1, "maximum": 100}),
        ("shrinkage", 100, 0, {"minimum": 1, "maximum": 100, "exclusiveMaximum": True}),
    ],
)
def test_staffing_percentages_document_the_engines_range(openapi, world, login, field, refused, accepted, bounds):
    # target_sl -3.7e14 was schema-valid and refused by the engine (ST202)
    prop = openapi["components"]["schemas"]["ErlangCInputRequest"]["properties"][field]
    ranged = prop["anyOf"][1] if "anyOf" in prop else prop  # shrinkage: 0, or 1 up to 100
    assert {k: ranged.get(k) for k in bounds} == bounds
    client = login(world.users["client_admin"])
    base = {"volume": 100, "interval_minutes": 30, "aht_seconds": 180}
    assert _post(client, "/api/planning/erlang-c/", {**base, field: refused}).status_code == 400
    assert _post(client, "/api/planning/erlang-c/", {**base, field: accepted}).status_code == 200


def test_allocation_documents_the_pages_bounds_and_the_hours_shape(openapi):
    props = openapi["components"]["schemas"]["AllocationRequestRequest"]["properties"]
    assert (props["weeks"]["minimum"], props["weeks"]["maximum"]) == (1, 104)  # weeks 0 was schema-valid
    pattern = _pattern(props["demand_hours"])
    for text in ("24/7", "08-20", "20-08", " 8:00 - 20:00 "):
        assert re.fullmatch(pattern, text), text
    # the fuzzer's 300 zeros, what parse_hours refuses, and blank (the oneOf's other branch: one match only)
    for text in ("0" * 300, "25-01", "8", "9-0", ""):
        assert not re.fullmatch(pattern, text), text


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Mon-Fri 09:00-18:00; Sat 10:00-14:00", True),
        ("monday 9:00-12:00, 13:00-17:00\nSAT 10:00-14:00", True),
        ("0" * 300, False),  # what the fuzzer sent
        ("Mon-Fri 9-18", False),
        ("Weekdays 09:00-18:00", False),
    ],
)
def test_site_business_hours_pattern_is_the_parsers_shape(openapi, text, shaped):
    prop = openapi["components"]["schemas"]["SiteRequest"]["properties"]["business_hours"]
    pattern = _pattern(prop)
    assert not re.fullmatch(pattern, ""), "blank is the other oneOf branch: a site listed with no hours was ST108"
    assert bool(re.fullmatch(pattern, text)) is shaped
    try:
        parse_week(text)
        parsed = True
    except ValueError:
        parsed = False
    assert parsed is shaped, "for these texts the shape alone decides"


def test_cross_field_refusals_name_the_field(world, login):
    """The rules schemathesis.toml lists as beyond OpenAPI 3.0 answer a 400 problem naming the field."""
    client = login(world.users["client_admin"])
    future = (dt.date(2026, 6, 1)).isoformat()
    coaching = {"agent": world.agent_a.pk, "held_on": future, "topic": "Holds", "metrics": ["aht"],
                "follow_up_on": "2026-05-01"}  # fmt: skip
    response = _post(client, "/api/quality/coaching/", coaching)
    assert response.status_code == 400 and "follow_up_on" in response.json()["errors"], response.json()
    allocation = {"demand": {"en": 10}, "providers": [{"provider": "PA", "min_share": 80, "max_share": 20}]}
    response = _post(client, "/api/planning/allocation/", allocation)
    assert response.status_code == 400 and "providers.PA.min_share" in response.json()["errors"], response.json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
