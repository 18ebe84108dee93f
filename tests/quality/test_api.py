"""The QA API: the same services as the pages; bad input is one clear 400, never a 500."""

from __future__ import annotations

from concord.quality.models import FormVersion, QaForm


def test_form_create_and_revise_through_the_api(world, login):
    client = login(world.users["client_admin"])
    sections = [{"title": "All", "criteria": [{"code": "greet", "label": "Greets", "scale": "yes_no", "weight": 1}]}]
    created = client.post(
        "/api/quality/forms/", {"name": "API form", "sections": sections}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["current"]["number"] == 1
    pk = created.json()["id"]
    sections[0]["criteria"][0]["weight"] = 3
    revised = client.post(
        f"/api/quality/forms/{pk}/", {"sections": sections, "note": "x3"}, content_type="application/json"
    )
    assert revised.json()["versions"] == [1, 2]
    again = client.post(f"/api/quality/forms/{pk}/", {"sections": sections}, content_type="application/json")
    assert again.json()["versions"] == [1, 2]  # the same content twice: no third version


def test_bad_form_input_names_where_and_changes_nothing(world, login):
    client = login(world.users["client_admin"])
    cases = [
        # the body's shape is the schema's (concord.quality.api_inputs); the path names the place, counted from 1
        ({"name": "X", "sections": "nope"}, "sections: Send a list"),
        ({"name": "X", "sections": [{"title": "A", "criteria": [{"code": "a", "label": "A", "scale": "yes_no",
                                                                  "weight": "heavy"}]}]},
         "sections[1].criteria[1].weight: Send a number"),
        ({"name": "X", "sections": [{"title": "A", "criteria": [{"code": "a", "label": "A", "scale": "stars"}]}]},
         "sections[1].criteria[1].scale: \"stars\" is not a valid choice"),
        ({"name": "X", "sections": [{"title": "A", "criteria": [{"code": "a", "label": "A", "scale": "yes_no",
                                                                  "colour": "red"}]}]}, "unknown field colour"),
    ]  # fmt: skip
    for body, message in cases:
        response = client.post("/api/quality/forms/", body, content_type="application/json")
        assert response.status_code == 400 and message in response.json()["detail"], (message, response.json())
    assert not QaForm.objects.exists() and not FormVersion.objects.exists()
