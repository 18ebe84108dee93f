"""Staffing page and API: the same answers as ``concord staffing`` for the same inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from concord.planning import selectors
from concord.planning.cli import staffing_app
from concord.planning.engine import queueing as q

CLI = ["--volume", "100", "--interval-minutes", "30", "--aht-seconds", "180", "--target-sl", "80",
       "--target-seconds", "20", "--max-occupancy", "85", "--shrinkage", "30"]  # fmt: skip
PARAMS = {
    "volume": 100,
    "interval_minutes": 30,
    "aht_seconds": 180,
    "target_sl": 80,
    "target_seconds": 20,
    "max_occupancy": 85,
    "shrinkage": 30,
}


def cli_json(command: str, *extra: str) -> dict:
    result = CliRunner().invoke(staffing_app, [command, *CLI, *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def api(client, path: str, payload: dict):
    return client.post(f"/api/planning/{path}/", json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(
    ("path", "extra_cli", "extra"),
    [
        ("erlang-c", [], {}),
        ("erlang-a", ["--patience-seconds", "90"], {"patience_seconds": 90}),
        ("erlang-c", ["--agents", "12"], {"agents": 12}),
        (
            "erlang-a",
            ["--patience-seconds", "90", "--short-abandon-seconds", "10"],
            {"patience_seconds": 90, "short_abandon_seconds": 10},
        ),
    ],
)
def test_api_answers_exactly_what_the_cli_prints(login, client_admin, path, extra_cli, extra):
    # given the worked example (100 calls / 30 min, AHT 180 s, 80/20, occupancy <= 85%, 30% shrinkage)
    expected = cli_json(path, *extra_cli)
    # when the API is asked the same
    response = api(login(client_admin), path, {**PARAMS, **extra})
    # then it returns the same keys and values, in the same order
    assert response.status_code == 200, response.content
    assert list(response.json()) == list(expected)
    assert response.json() == expected


def test_page_shows_the_engine_figures(login, client_admin):
    # given the engine's answer for the worked example
    expected = cli_json("erlang-c")
    assert expected["agents"] == 14 and expected["scheduled_agents"] == 20
    # when the page is asked with the same inputs through htmx
    response = login(client_admin).get(
        "/planning/staffing/", {**PARAMS, "profile-source": "preset"}, headers={"HX-Request": "true"}
    )
    # then the partial shows them, with the curve and the heatmap
    assert response.status_code == 200
    assert response.context["figures"] == expected
    body = response.content.decode()
    assert "<strong>14</strong>" in body and "<strong>20</strong>" in body
    assert 'data-chart="staffing-curve"' in body and 'data-chart="staffing-heatmap"' in body
    assert "<html" not in body  # a partial


def test_page_without_a_query_shows_a_worked_example(login, client_admin):
    response = login(client_admin).get("/planning/staffing/")
    assert response.status_code == 200
    assert response.context["figures"]["agents"] > 0
    assert "Content-Security-Policy" in response and "unsafe-eval" in response["Content-Security-Policy"]


def test_heatmap_matches_a_per_interval_solve(login, client_admin):
    # given a pasted profile: three intervals, Monday to Sunday each
    profile = "08:00, 10 20 30 40 50 60 0\n08:30, 5 5 5 5 5 5 5\n09:00 120 0 0 0 0 0 1"
    response = login(client_admin).get(
        "/planning/staffing/", {**PARAMS, "profile-source": "pasted", "profile-profile": profile}
    )
    assert response.status_code == 200
    intraday = response.context["intraday"]
    # then every cell is what the engine says for that cell alone
    for i in range(3):
        for d in range(7):
            one = q.required_agents(intraday.volume[i, d], 1800, 180, 0.8, 20, max_occupancy=0.85)  # engine: shares
            assert intraday.agents[i, d] == one
    assert intraday.labels == ["08:00", "08:30", "09:00"]
    assert intraday.agents[0, 6] == 0  # no calls, nobody


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_sl", "150", "Service level target must be between 0 and 100% (got 150%)."),
        ("target_sl", "0.8", "Service level target is in percent: 0.8 means 0.8%; for 80% type 80."),
        ("shrinkage", "100", "Shrinkage must be between 0 and 100%, below 100% (got 100%)."),
        ("max_occupancy", "0.85", "Maximum occupancy is in percent"),
        ("volume", "-3", "greater than or equal to 0"),
        ("aht_seconds", "abc", "Enter a number"),
        ("interval_minutes", "7", "Select a valid choice"),
        ("patience_seconds", "0", "Mean caller patience (seconds) must be more than 0 (got 0)."),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field(login, client_admin, field, value, message):
    response = login(client_admin).get("/planning/staffing/", {**PARAMS, field: value})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert "figures" not in response.context


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("10 20 30", "Line 1: expected 1 or 7 numbers, found 3."),
        ("10\nten", "Line 2: 'ten' is not a list of numbers."),
        ("10\n-4", "Line 2: call volumes must be numbers of 0 or more."),
        ("25:00 10", "Line 1: 25:00 is not a time of day."),
        ("\n".join(["1"] * 49), "49 lines: a day has only 48 intervals of 30 minutes."),
        ("", "Paste the calls per interval"),
    ],
)
def test_bad_profile_keeps_the_interval_answer_and_names_the_line(login, client_admin, profile, message):
    response = login(client_admin).get(
        "/planning/staffing/", {**PARAMS, "profile-source": "pasted", "profile-profile": profile}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["profile_form"].errors["profile"])
    assert response.context["figures"]["agents"] == 14
    assert "intraday" not in response.context


def test_api_names_the_bad_field(login, client_admin):
    client = login(client_admin)
    bad = api(client, "erlang-c", {**PARAMS, "target_sl": 0})
    assert bad.status_code == 400 and "target_sl" in bad.json()["errors"]
    missing = api(client, "erlang-a", PARAMS)
    assert missing.status_code == 400 and "patience_seconds" in missing.json()["errors"]
    share = api(client, "erlang-c", {**PARAMS, "target_sl": 0.8})
    assert share.json()["errors"] == {
        "target_sl": ["Service level target is in percent: 0.8 means 0.8%; for 80% type 80."]
    }
    assert share.json()["detail"] == "target_sl: Service level target is in percent: 0.8 means 0.8%; for 80% type 80."


def test_svg_download_of_the_same_query(login, client_admin):
    client = login(client_admin)
    response = client.get("/planning/staffing/heatmap.svg", PARAMS)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client.get("/planning/staffing/curve.svg", {**PARAMS, "volume": "x"}).status_code == 400
    assert client.get("/planning/staffing/pie.svg", PARAMS).status_code == 404


def test_partners_cannot_plan(login, partner_a_lead):
    client = login(partner_a_lead)
    assert client.get("/planning/staffing/").status_code == 403
    assert api(client, "erlang-c", PARAMS).status_code == 403


def test_vectorised_intraday_equals_one_call_per_cell():
    inp = selectors.StaffingInput(volume=80, interval_minutes=15, aht_seconds=240, patience_seconds=120)
    labels, volume = selectors.preset_profile(15, 80)
    assert len(labels) == 96 and volume.shape == (96, 7) and volume.max() == pytest.approx(80)
    result = selectors.intraday_staffing(inp, volume, labels)
    for i, d in [(40, 0), (60, 3), (10, 6)]:
        cell = selectors.StaffingInput(volume=float(volume[i, d]), interval_minutes=15, aht_seconds=240,
                                       patience_seconds=120)  # fmt: skip
        one = selectors.staffing_figures(cell)
        assert result.agents[i, d] == one["agents"]
    assert np.all(result.scheduled >= result.agents)


def test_short_abandons_leave_the_service_level_on_the_page(login, client_admin):
    # given Erlang A with 60 s patience, with and without a 10 s short-abandon threshold
    client = login(client_admin)
    params = {**PARAMS, "patience_seconds": 60, "profile-source": "preset"}
    plain = client.get("/planning/staffing/", params, headers={"HX-Request": "true"}).context["figures"]
    short = client.get("/planning/staffing/", {**params, "short_abandon_seconds": 10}, headers={"HX-Request": "true"})
    figures = short.context["figures"]
    # then the share abandoned within 10 s is shown and the SL of the same count rises (or fewer agents do)
    assert 0 < figures["probability_short_abandon"] < figures["probability_abandon"]
    assert figures["agents"] <= plain["agents"]
    assert "left out of the service level" in short.content.decode()
    # and a threshold without a patience is refused next to its field
    bad = client.get("/planning/staffing/", {**PARAMS, "short_abandon_seconds": 10})
    assert bad.status_code == 400 and "needs a mean patience" in " ".join(
        bad.context["form"].errors["short_abandon_seconds"]
    )


def test_page_api_and_cli_defaults_give_the_same_answer(login, client_admin):
    # given only the volume, interval and handle time, everywhere
    given = {"volume": 100, "interval_minutes": 30, "aht_seconds": 180}
    cli = CliRunner().invoke(
        staffing_app, ["erlang-c", "--volume", "100", "--interval-minutes", "30", "--aht-seconds", "180", "--json"]
    )
    client = login(client_admin)
    api_answer = api(client, "erlang-c", given).json()
    page = client.get("/planning/staffing/").context["figures"]  # the page's own initial values
    # then all three schedule the same 20 agents (the page once said 20 where the CLI said 14)
    assert json.loads(cli.stdout) == api_answer == page
    assert page["scheduled_agents"] == 20


def test_the_page_reads_percentages_as_percentages(login, client_admin):
    response = login(client_admin).get("/planning/staffing/", {**PARAMS, "profile-source": "preset"})
    body = " ".join(response.content.decode().split())
    assert "Service-level target (%)" in body and "Shrinkage (%)" in body
    assert "88.8%" in body or "88.9%" in body  # service level of 14 agents, shown as a percentage
    assert "target 80%" in body
