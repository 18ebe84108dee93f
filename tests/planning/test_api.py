"""Planning API: forecasts (list, detail with points, request) and allocation, on the same services as the pages."""

from __future__ import annotations

import pytest

from concord.planning import services
from concord.planning.models import Forecast

from .lake_fixtures import arrivals, write_interactions

FAST = ["SeasonalNaive"]


@pytest.fixture
def lake(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.REPORTING_TIMEZONE = "UTC"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    write_interactions(settings.LAKE_URI, arrivals(42))


def test_request_list_and_read_a_forecast(
    world, lake, client_admin, login, monkeypatch, django_capture_on_commit_callbacks
):
    real = services._compute
    monkeypatch.setattr(services, "_compute", lambda **kw: real(**{**kw, "models": FAST}))
    client = login(client_admin)
    # when a planner requests a forecast through the API, it is accepted queued at once
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/api/planning/forecasts/",
            {"program": "SHARED", "grain": "60min", "horizon_days": 7},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["version"], body["program"], body["horizon_days"]) == ("queued", 1, "SHARED", 7)
    assert client.get(f"/api/planning/forecasts/{body['id']}/").json()["points"] == []
    # and once the background task has run, the detail has the points (7 days x 12 open hours)
    callbacks[0]()
    detail = client.get(f"/api/planning/forecasts/{body['id']}/").json()
    assert detail["status"] == "succeeded" and detail["model"] == "SeasonalNaive"
    assert len(detail["points"]) == 84
    first = detail["points"][0]
    assert set(first) == {"period_start", "base", "after_events", "value", "overridden"}
    assert first["overridden"] is False and first["value"] == first["after_events"]
    # the list shows it, newest first, filterable by program
    listed = client.get("/api/planning/forecasts/?program=SHARED").json()
    assert [f["id"] for f in listed] == [body["id"]] and "points" not in listed[0]
    assert client.get("/api/planning/forecasts/?program=BONLY").json() == []


def test_forecast_requests_are_validated_and_refused_without_change(world, login, client_admin):
    client = login(client_admin)
    unknown = client.post("/api/planning/forecasts/", {"program": "NOPE"}, content_type="application/json")
    # an unknown program code is answered like an unknown id: 404, naming the field
    assert unknown.status_code == 404 and "program" in unknown.json()["errors"]
    bad = client.post(
        "/api/planning/forecasts/", {"program": "SHARED", "horizon_days": 0}, content_type="application/json"
    )
    assert bad.status_code == 400 and "horizon_days" in bad.json()["errors"]
    viewer = login(world.users["client_viewer"])
    assert viewer.get("/api/planning/forecasts/").status_code == 200
    refused = viewer.post("/api/planning/forecasts/", {"program": "SHARED"}, content_type="application/json")
    assert refused.status_code == 403
    partner = login(world.users["partner_a_lead"]).get("/api/planning/forecasts/")
    assert partner.status_code == 403
    assert not Forecast.objects.exists()


def test_allocation_api_takes_the_page_inputs_and_names_the_binding_constraints(world, login, client_admin):
    # given two providers: PA cheaper but capped at 60% of the work, PB dearer; 100 FTE of English
    payload = {
        "demand": {"en": 100},
        "volume_up": 0,
        "lost_provider": "",
        "weeks": 8,
        "training_weeks": 1,
        "ramp": [0.5],
        "training_cost": 1000,
        "providers": [
            {"provider": "PA", "rate": 900, "capacity": 200, "max_share": 60, "quality": 90, "languages": ["en"],
             "headcount": 60, "attrition": 0.0},
            {"provider": "PB", "rate": 1000, "capacity": 200, "quality": 90, "languages": "en", "headcount": 40,
             "attrition": 0.0},
        ],
    }  # fmt: skip
    response = login(client_admin).post("/api/planning/allocation/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    (base,) = body["scenarios"]
    # then PA takes its 60% cap, PB the rest: cost 60 x 900 + 40 x 1000
    assert base["feasible"] and base["cost"] == pytest.approx(94000)
    fte = {a["provider"]: a["fte"] for a in base["allocation"]}
    assert fte == pytest.approx({"PA": 60, "PB": 40})
    assert "PA at its maximum share 60%" in base["binding_constraints"]
    # and the roster already covers it: no hires
    assert {h["provider"]: h["total_hires"] for h in body["hiring"]} == {"PA": 0, "PB": 0}


def test_allocation_api_errors_name_the_json_field(world, login, client_admin):
    client = login(client_admin)
    bad = client.post(
        "/api/planning/allocation/",
        {"demand": "en=abc", "providers": [{"provider": "PA", "min_share": 200}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    # the body's shape is checked first (the schema's rules), naming each place in the JSON
    assert "demand" in bad.json()["errors"] and "providers[1].min_share" in bad.json()["detail"]
    unknown = client.post(
        "/api/planning/allocation/", {"demand": {"en": 1}, "providers": [{"provider": "ZZ"}]},
        content_type="application/json",
    )  # fmt: skip
    assert unknown.status_code == 400 and "ZZ" in unknown.json()["errors"]["providers"][0]
