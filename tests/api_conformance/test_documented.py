"""API conformance findings of #9.10/#9.11, each pinned: the schema says what the API does."""

from __future__ import annotations

import pytest
import yaml


@pytest.fixture
def openapi(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def test_contract_list_is_documented_as_the_array_it_returns(openapi, world, login):
    response = openapi["paths"]["/api/contracts/"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert login(world.users["client_admin"]).get("/api/contracts/").json() == []


def test_a_run_without_provider_is_documented_nullable(openapi):
    run = openapi["components"]["schemas"]["Run"]["properties"]["provider"]
    assert run.get("nullable") is True


def test_every_operation_documents_its_errors_as_problems(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404"):
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)


def test_allocation_with_no_body_is_a_400_not_the_defaults(world, login):
    response = login(world.users["client_admin"]).post("/api/planning/allocation/", content_type="application/json")
    assert response.status_code == 400
    assert "demand" in response.json()["errors"]


def test_a_partner_sees_no_other_provider_serving_a_program(world, login):
    programs = login(world.users["partner_a_lead"]).get("/api/programs/").json()["results"]
    shared = next(p for p in programs if p["code"] == "SHARED")
    assert shared["providers"] == [world.partner_a.pk]
    # the client still sees every provider of the program
    client_view = login(world.users["client_admin"]).get("/api/programs/").json()["results"]
    shared = next(p for p in client_view if p["code"] == "SHARED")
    assert sorted(shared["providers"]) == sorted([world.internal.pk, world.partner_a.pk, world.partner_b.pk])


def test_an_unknown_filter_id_is_an_empty_list_not_a_400(world, login):
    client = login(world.users["client_admin"])
    assert client.get("/api/sites/", {"provider": 999999}).json()["count"] == 0
    assert client.get("/api/sites/", {"provider": world.partner_a.pk}).json()["count"] == 1
    # a partner naming another partner's id gets the same answer as for an id that does not exist
    lead = login(world.users["partner_a_lead"])
    assert lead.get("/api/sites/", {"provider": world.partner_b.pk}).json()["count"] == 0


def test_page_numbers_are_documented_from_one(openapi):
    page = next(p for p in openapi["paths"]["/api/sites/"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


def test_numbers_have_plausible_bounds(world, login):
    client = login(world.users["client_admin"])
    response = client.post(
        "/api/planning/erlang-c/",
        {"volume": 100, "interval_minutes": 30, "aht_seconds": 1e308},
        content_type="application/json",
    )
    assert response.status_code == 400 and "aht_seconds" in response.json()["errors"]


def test_the_api_takes_json_only(openapi):
    body = openapi["paths"]["/api/planning/erlang-c/"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]


@pytest.mark.parametrize("path", ["/api/quality/forms/", "/api/quality/evaluations/", "/api/quality/calibrations/"])
def test_quality_lists_are_documented_as_the_arrays_they_return(openapi, world, login, path):
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"  # was {"type": "object"} while the view returns a JSON array
    assert isinstance(login(world.users["client_admin"]).get(path).json(), list)


def test_an_asa_target_of_zero_is_documented_as_refused(openapi, world, login):
    target_asa = openapi["components"]["schemas"]["ErlangCInputRequest"]["properties"]["target_asa"]
    assert target_asa["minimum"] == 0 and target_asa["exclusiveMinimum"] is True
    body = {"volume": 100, "interval_minutes": 30, "aht_seconds": 300, "target_asa": 0}
    response = login(world.users["client_admin"]).post("/api/planning/erlang-c/", body, content_type="application/json")
    assert response.status_code == 400 and "target_asa" in response.json()["errors"]

