"""Transition plans through the page, the API and ``concord transition status``; access beyond the matrix; notices."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import make_user
from typer.testing import CliRunner

from concord.accounts.models import AuditEntry
from concord.accounts.roles import Role
from concord.cli import _mount_subcommands, app
from concord.knowledge.models import PlanComment, TransitionPlan
from concord.knowledge.transition import selectors, services
from concord.notifications.models import Notification

from .transition_helpers import make_plan

_mount_subcommands()
D = dt.date
FORM = {
    "title": "Orders move to Partner A",
    "program": "SHARED",
    "provider": "PA",
    "start": "2026-01-31",
    "months": 1,
    "preparation_percent": 30,
    "transition_percent": 20,
    "stabilisation_percent": 50,
    "status": "active",
    "ack_target_percent": 90,
    "cohort_size": 10,
    "parallel_contacts": 50,
    "exit_weeks": 4,
}


@pytest.fixture(autouse=True)
def _madrid(settings):
    settings.REPORTING_TIMEZONE = "Europe/Madrid"


def test_the_page_creates_a_plan_once_and_shows_its_phases(client, world):
    client.force_login(world.users["client_admin"])
    response = client.post("/knowledge/transitions/new/", FORM)
    assert response.status_code == 302
    plan = TransitionPlan.objects.get()
    assert client.post("/knowledge/transitions/new/", FORM).status_code == 302  # the same plan again
    assert TransitionPlan.objects.count() == 1 and plan.milestones.count() == 6
    assert AuditEntry.objects.filter(object_type="knowledge.transitionplan", action="create").count() == 1
    page = client.get(f"/knowledge/transitions/{plan.pk}/").content.decode()
    # 31 Jan + 1 month = 28 Feb: preparation 31 Jan-7 Feb (8 days), transition 8-13 Feb, stabilisation 14-27 Feb
    for text in ("31 Jan 2026", "7 Feb 2026", "8 Feb 2026", "13 Feb 2026", "14 Feb 2026", "27 Feb 2026"):
        assert text in page
    assert 'data-chart="transition-timeline"' in page and "Partner A" in page


def test_the_form_names_the_field_in_error_and_changes_nothing(client, world):
    client.force_login(world.users["client_admin"])
    page = client.post("/knowledge/transitions/new/", FORM | {"stabilisation_percent": 40}).content.decode()
    assert "must add up to 100% (they add up to 90" in page
    page = client.post("/knowledge/transitions/new/", FORM | {"provider": "NOPE"}).content.decode()
    assert "No partner with code &#x27;NOPE&#x27;" in page
    assert not TransitionPlan.objects.exists()


def test_a_plan_owner_who_is_a_manager_edits_it_another_manager_does_not(client, world):
    owner, other = make_user("owner", Role.MANAGER), make_user("other", Role.MANAGER)
    plan = services.create_plan(
        user=owner,
        data=services.PlanInput(title="Plan", program="SHARED", provider="PA", start=D(2026, 3, 2), months=3),
    )
    client.force_login(other)
    assert client.post(f"/knowledge/transitions/{plan.pk}/edit/", FORM).status_code == 403
    plan.refresh_from_db()
    assert plan.months == 3
    client.force_login(owner)
    assert client.post(f"/knowledge/transitions/{plan.pk}/edit/", FORM).status_code == 302
    plan.refresh_from_db()
    assert (plan.start, plan.months) == (D(2026, 1, 31), 1)


def test_the_partner_the_work_leaves_sees_the_schedule_not_the_other_partner(client, world):
    plan = make_plan(world, from_provider="PB", title="Orders: the new partner takes over")  # a title naming nobody
    lead_b = world.users["partner_b_lead"]
    report = selectors.status(lead_b, plan, today=D(2026, 5, 1)).as_json()
    assert report["provider"] is None and report["from_provider"] == "PB"
    assert {m["state"] for m in report["milestones"]} == {"not shown"}
    assert all(m["value"] is None and m["slip_days"] == 0 for m in report["milestones"])
    client.force_login(lead_b)
    page = client.get(f"/knowledge/transitions/{plan.pk}/").content.decode()
    assert "Partner A" not in page and "another partner" in page
    # and a plan that names neither A nor the viewer: not there at all
    client.force_login(world.users["partner_a_lead"])
    other = services.create_plan(
        user=world.users["client_admin"],
        data=services.PlanInput(title="B only", program="BONLY", provider="PB", start=D(2026, 3, 2), months=3),
    )
    assert client.get(f"/knowledge/transitions/{other.pk}/").status_code == 404
    assert client.get(f"/api/knowledge/transitions/{other.pk}/").status_code == 404
    assert [p["id"] for p in client.get("/api/knowledge/transitions/").json()] == [plan.pk]


def test_the_partner_comments_and_the_api_reports_the_plan(client, world):
    plan = make_plan(world)
    client.force_login(world.users["partner_a_lead"])
    response = client.post(
        f"/api/knowledge/transitions/{plan.pk}/comments/", {"text": "Trainers booked"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert PlanComment.objects.get().author == world.users["partner_a_lead"]
    body = client.get(f"/api/knowledge/transitions/{plan.pk}/").json()
    assert body["provider"] == "PA" and body["split_percent"] == [30.0, 20.0, 50.0]
    assert [p["days"] for p in body["phases"]] == [28, 18, 46]
    bad = client.post("/api/knowledge/transitions/", {"title": "x"}, content_type="application/json")
    assert bad.status_code == 403  # a partner never creates a plan


def test_the_api_creates_a_plan_and_refuses_a_split_that_does_not_add_up(client, world):
    client.force_login(world.users["client_admin"])
    payload = {"title": "API plan", "program": "SHARED", "provider": "PA", "start": "2026-03-02", "months": 3}
    response = client.post("/api/knowledge/transitions/", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["phases"][1]["start"] == "2026-03-30"
    bad = client.post(
        "/api/knowledge/transitions/", payload | {"split_percent": [30, 30, 30]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "add up to 100%" in json.dumps(bad.json())


def test_cli_status_as_json(world):
    plan = make_plan(world)
    services.record_decision(
        user=world.users["client_admin"],
        milestone=plan.milestones.get(kind="go_live"),
        decided_on=D(2026, 4, 20),
        note="Go",
    )
    result = CliRunner().invoke(app, ["transition", "status", "--provider", "PA", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    go_live = next(m for m in body["plans"][0]["milestones"] if m["kind"] == "go_live")
    assert (go_live["due"], go_live["met_on"], go_live["slip_days"]) == ("2026-04-16", "2026-04-20", 4)
    unknown = CliRunner().invoke(app, ["transition", "status", "--provider", "NOPE", "--json"])
    assert unknown.exit_code == 1 and "no partner with code 'NOPE'" in unknown.output


def test_a_late_milestone_notifies_both_owners_once(world):
    lead = world.users["partner_a_lead"]
    plan = make_plan(world, partner_owner="partner_a_lead")
    assert services.notify_slips(plan=plan, today=D(2026, 3, 18)) == 0  # nothing due before 18 March is late
    sent = services.notify_slips(plan=plan, today=D(2026, 3, 20))  # acknowledgements due 18 March: 2 days late
    assert sent == 2
    notice = Notification.objects.get(user=lead)
    assert notice.subject.startswith("Transition milestone late: Knowledge articles published and acknowledged")
    assert "2 day(s) late" in notice.body
    assert services.notify_slips(plan=plan, today=D(2026, 3, 21)) == 0  # told once
    assert Notification.objects.filter(user=world.users["partner_b_lead"]).count() == 0


def test_the_page_records_go_live_and_moves_a_due_date_or_says_why_not(client, world):
    plan = make_plan(world)
    go_live = plan.milestones.get(kind="go_live")
    client.force_login(world.users["client_admin"])
    url = f"/knowledge/transitions/milestones/{go_live.pk}/"
    page = client.post(url + "decision/", {"decided_on": "2026-04-20", "note": ""}, follow=True).content.decode()
    assert "Give the decision&#x27;s date and a note." in page
    page = client.post(url + "due/", {"due": "2026-05-01"}, follow=True).content.decode()
    assert "The transition phase runs from 2026-03-30 to 2026-04-16." in page
    go_live.refresh_from_db()
    assert (go_live.decided_on, go_live.due) == (None, D(2026, 4, 16))
    client.post(url + "decision/", {"decided_on": "2026-04-20", "note": "Steering group: go"})
    client.post(url + "due/", {"due": "2026-04-10"})
    go_live.refresh_from_db()
    assert (go_live.decided_on, go_live.decision_note, go_live.due) == (
        D(2026, 4, 20),
        "Steering group: go",
        D(2026, 4, 10),
    )


def test_a_target_outside_its_range_is_named(client, world):
    admin = world.users["client_admin"]
    for targets, message in (
        ({"go_live": {"count": 1}}, "targets.go_live: no target to set"),
        ({"parallel_run": {"contacts": "many"}}, "targets.parallel_run.contacts: give a number from 1 to"),
        ({"stabilisation_exit": {"weeks": 60}}, "targets.stabilisation_exit.weeks: give a number from 1 to 52"),
    ):
        data = services.PlanInput(title="P", program="SHARED", provider="PA", start=D(2026, 3, 2), months=3,
                                  targets=targets)  # fmt: skip
        with pytest.raises(ValidationError, match=message):
            services.create_plan(user=admin, data=data)
    client.force_login(admin)
    payload = {"title": "API plan", "program": "SHARED", "provider": "PA", "start": "2026-03-02", "months": 3}
    bad = client.post("/api/knowledge/transitions/", payload | {"targets": {"stabilisation_exit": {"weeks": 60}}},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "weeks" in json.dumps(bad.json()["errors"])
    unknown = client.post("/api/knowledge/transitions/", payload | {"program": "NOPE"}, content_type="application/json")
    assert unknown.status_code == 404
    assert not TransitionPlan.objects.exists()


def test_a_start_far_off_is_refused_by_name(world):
    data = services.PlanInput(title="P", program="SHARED", provider="PA", start=D(9999, 12, 1), months=36)
    with pytest.raises(ValidationError, match="between the years 2000 and 2100"):
        services.create_plan(user=world.users["client_admin"], data=data)
