"""Schemathesis' findings of this session (#9.10), each pinned as one plain request: the API does what
its schema says. Each request below is the one the fuzzer reported, reduced by hand."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest
import yaml

from concord.safetext import CONTROL_CHARACTERS


@pytest.fixture
def openapi(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        # ST201: DRF took false as 0.0 for a number, {} as an empty list of ids, 5 as text
        ("/api/planning/erlang-c/", {"volume": False, "interval_minutes": 30, "aht_seconds": 180}, "volume"),
        ("/api/programs/", {"code": "P9", "name": "P9", "providers": {}}, "providers"),
        ("/api/providers/", {"code": "Q9", "name": 5, "legal_name": "Q9", "kind": "vendor"}, "name"),
        ("/api/planning/forecasts/", {"program": "SHARED", "horizon_days": "14"}, "horizon_days"),
    ],
)
def test_a_value_of_another_json_type_is_refused_naming_the_field(world, login, path, body, field):
    response = _post(login(world.users["client_admin"]), path, body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_an_unknown_reference_in_a_body_is_a_404_naming_the_field(world, login):
    # ST202: a schema-valid id that matches nothing was a 400 the schema does not allow for valid input
    body = {"provider": 987654, "code": "X", "name": "X", "city": "C", "country": "PH", "timezone": "Asia/Manila",
            "languages": "en", "seats": 1}  # fmt: skip
    response = _post(login(world.users["client_admin"]), "/api/sites/", body)
    assert response.status_code == 404 and "provider" in response.json()["errors"]


def test_a_code_already_taken_is_a_409(world, login):
    client = login(world.users["client_admin"])
    body = {"code": "PA", "name": "Again", "legal_name": "Again", "kind": "vendor"}  # PA exists (the world)
    response = _post(client, "/api/providers/", body)
    assert response.status_code == 409 and "code" in response.json()["errors"], response.json()


def test_time_zones_are_listed_and_text_says_no_control_characters(openapi):
    site = openapi["components"]["schemas"]["SiteRequest"]["properties"]
    zones = openapi["components"]["schemas"][site["timezone"]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert "Europe/Madrid" in zones and "0" not in zones
    pattern = site["name"]["pattern"]
    assert re.fullmatch(pattern, "Manila site") and not re.fullmatch(pattern, "Mani\x1dla")
    assert not re.fullmatch(pattern, "   "), "a name may not be blank"
    # the documented pattern and the serializers' rule agree on every character of the first two planes
    # (lone surrogates are no characters: refused, and outside what a JSON Schema string can hold)
    for code in (*range(0xD800), *range(0xE000, 0x20000)):
        char = chr(code)
        assert (re.fullmatch(pattern, "a" + char) is None) == bool(CONTROL_CHARACTERS.search(char)), hex(code)
    assert CONTROL_CHARACTERS.search("\ud800"), "a lone surrogate is still refused"


def test_every_documented_pattern_compiles_for_a_validator_built_on_unicode_scalars(openapi):
    # The text pattern used to name the surrogate range \ud800-\udfff: Rust's regex engine (jsonschema-rs,
    # Schemathesis' generator) refuses such a pattern, so the fuzzer ignored it and sent control
    # characters as "schema-valid" text (ST202 on every POST with free text).
    patterns = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for inner in node.values():
                walk(inner)
        elif isinstance(node, list):
            for inner in node:
                walk(inner)

    walk(openapi)
    assert len(patterns) >= 3
    for pattern in sorted(patterns):
        validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})  # raises if it cannot compile
        assert validator.is_valid("a\x1b") == bool(re.search(pattern, "a\x1b")), pattern


def test_quality_bodies_are_documented(openapi):
    body = openapi["paths"]["/api/quality/forms/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/FormCreateInputRequest"}
    rows = openapi["components"]["schemas"]["BatchRequestRequest"]["properties"]["rows"]
    assert rows["type"] == "array" and rows["items"]["type"] == "object"
