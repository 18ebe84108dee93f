"""The pages, the API and the CLI over the same services: an agent takes an assessment on a page, a partner's
LMS posts a result, the planning pages show ready beside total headcount, ``concord training status``."""

from __future__ import annotations

import datetime as dt
import json
import re

from tests.conftest import make_user

from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.models import AuditEntry
from concord.accounts.services import token_create
from concord.knowledge.models import AgentCertification, Attempt
from concord.knowledge.training import services, spec
from concord.providers.models import Agent, AgentExternalId

from .conftest import document


def test_an_agent_takes_an_assessment_on_a_labelled_page(client, world, trained):
    client.force_login(world.users["partner_a_agent"])
    listing = client.get("/knowledge/training/assessments/")
    assert "Returns basics" in listing.content.decode()
    started = client.post(f"/knowledge/training/assessments/{world.program_shared.pk}/returns/start/")
    attempt = Attempt.objects.get()
    assert started["Location"] == f"/knowledge/training/attempts/{attempt.pk}/"
    page = client.get(started["Location"]).content.decode()
    # every choice is a native radio or checkbox with its own label, grouped under the question as a legend
    assert page.count("<fieldset") == 3 and page.count("<legend>") == 3
    for q in attempt.questions:
        for n in range(len(q["choices"])):
            assert re.search(rf'<input type="(radio|checkbox)" id="{q["key"]}-{n}"', page)
            assert f'<label for="{q["key"]}-{n}">' in page
    answers = {q["key"]: [str(c) for c in q["correct"]] for q in attempt.questions}
    done = client.post(started["Location"], answers)
    assert done.status_code == 302
    result = client.get(started["Location"]).content.decode()
    assert "Passed" in result and "3 of 3 questions right" in result and "100%" in result
    assert AgentCertification.objects.filter(agent=world.agent_a).count() == 1


def test_a_bad_answer_names_the_question_and_marks_nothing(client, world, trained):
    client.force_login(world.users["partner_a_agent"])
    client.post(f"/knowledge/training/assessments/{world.program_shared.pk}/returns/start/")
    attempt = Attempt.objects.get()
    first = attempt.questions[0]["key"]
    response = client.post(f"/knowledge/training/attempts/{attempt.pk}/", {first: "7"})
    assert response.status_code == 400
    assert "Choose among the answers shown." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_another_agent_of_the_same_partner_gets_404(client, world, trained):
    colleague = Agent.objects.create(provider=world.partner_a, site=world.site_a, employee_id="PA-002",
                                     display_name="Colleague", hire_date=dt.date(2025, 1, 6))  # fmt: skip
    AgentExternalId.objects.create(agent=colleague, provider=world.partner_a, source=LOGIN_SOURCE, external_id="pa2")
    services.start_attempt(user=world.users["partner_a_agent"], program=world.program_shared, assessment="returns")
    attempt = Attempt.objects.get()
    client.force_login(make_user("pa2", "agent", world.partner_a))
    assert client.get(f"/knowledge/training/attempts/{attempt.pk}/").status_code == 404
    assert client.post(f"/knowledge/training/attempts/{attempt.pk}/", {}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_partner_lms_posts_results_for_its_own_agents(client, world, trained):
    token = token_create(actor=world.users["partner_a_lead"], name="lms")[1]
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    body = {"program": "SHARED", "assessment": "returns", "employee_id": "PA-001", "score_percent": 85.5,
            "taken_at": "2026-03-02T09:00:00+01:00"}  # fmt: skip
    first = client.post("/api/knowledge/training/results/", body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    assert first.json() == {"employee_id": "PA-001", "assessment": "returns", "score_percent": 85.5,
                                 "pass_percent": 80.0, "passed": True, "created": True}  # fmt: skip
    again = client.post("/api/knowledge/training/results/", body, content_type="application/json", **headers)
    assert (again.status_code, again.json()["created"]) == (200, False)
    other = client.post("/api/knowledge/training/results/", {**body, "employee_id": "PB-001"},
                        content_type="application/json", **headers)  # fmt: skip
    assert other.status_code == 404
    bad = client.post("/api/knowledge/training/results/", {**body, "score_percent": 120},
                      content_type="application/json", **headers)  # fmt: skip
    assert bad.status_code == 400 and "score_percent" in bad.content.decode()
    assert Attempt.objects.count() == 1
    assert AgentCertification.objects.get().certified_on == dt.date(2026, 3, 2)
    assert AuditEntry.objects.filter(object_type="knowledge.attempt").count() == 1


def test_the_planning_pages_show_ready_beside_total_headcount(client, world, trained):
    from concord import reporting

    AgentCertification.objects.create(program=world.program_shared, certification="returns-cert", agent=world.agent_a,
                                      provider=world.partner_a, certified_on=reporting.today(),
                                      expires_on=reporting.today() + dt.timedelta(days=365))  # fmt: skip
    services.save_plan(user=world.users["client_admin"], program=world.program_shared,
                       document=document(modules="none"))  # fmt: skip
    client.force_login(world.users["client_admin"])
    page = client.get("/planning/allocation/?ready_program=SHARED&ready_contact_type=ORD&only_ready=1")
    html = page.content.decode()
    assert page.status_code == 200 and "Ready agents" in html
    row = re.search(r"<th scope=\"row\">Partner A</th><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", html)
    assert row.groups() == ("1", "1")
    row_b = re.search(r"<th scope=\"row\">Partner B</th><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", html)
    assert row_b.groups() == ("1", "0")
    # counting only ready agents, the worked example's "Agents now" for partner B starts at 0
    assert re.search(rf'name="p{world.partner_b.pk}_headcount" value="0"', html)
    staffing = client.get("/planning/staffing/?ready_program=SHARED&ready_contact_type=ORD").content.decode()
    assert "Ready agents" in staffing


def test_gate_modules_may_be_a_list_of_the_curriculum_keys():
    doc = document(modules=["shadow"])
    doc["curricula"][0]["modules"][0]["article"] = "refunds"
    assert spec.check(doc)["gates"][0]["modules"] == ["shadow"]
    try:
        spec.check(document(modules=["nope"]))
    except spec.SpecError as exc:
        assert "a list of module keys of the 'ORD' curriculum" in str(exc)
    else:
        raise AssertionError("an unknown module key was accepted")


def test_cli_status_json(world, trained, capsys):
    from typer.testing import CliRunner

    from concord.cli import _mount_subcommands, app

    _mount_subcommands()
    AgentCertification.objects.create(program=world.program_shared, certification="returns-cert", agent=world.agent_a,
                                      provider=world.partner_a, certified_on=dt.date(2025, 1, 1),
                                      expires_on=dt.date(2026, 1, 1))  # fmt: skip
    result = CliRunner().invoke(app, ["training", "status", "--provider", "PA", "--as-of", "2026-03-20", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    shared = report["programs"][0]
    assert shared["program"] == "SHARED"
    assert shared["certifications"] == {"certified": 0, "expiring_soon": 0, "expired": 1, "not_certified": 0}
    assert shared["readiness"] == [{"contact_type": "ORD", "agents": 1, "ready": 0}]
    assert shared["agents"][0]["certifications"]["returns-cert"] == {"state": "expired", "expires_on": "2026-01-01"}
    bad = CliRunner().invoke(app, ["training", "status", "--provider", "NOPE", "--json"])
    assert bad.exit_code == 1 and "no provider with code 'NOPE'" in bad.output


def test_the_roster_page_shows_expired_certificates_and_the_trend(client, world, trained):
    AgentCertification.objects.create(program=world.program_shared, certification="returns-cert", agent=world.agent_b,
                                      provider=world.partner_b, certified_on=dt.date(2025, 1, 1),
                                      expires_on=dt.date(2026, 1, 1))  # fmt: skip
    client.force_login(world.users["client_admin"])
    html = client.get("/knowledge/training/?program=SHARED&as_of=2026-03-20").content.decode()
    assert re.search(r'Agent of Partner B</a>.*?<span class="badge bad">Expired</span>.*?2026-01-01', html, re.S)
    assert 'data-chart="certified-chart"' in html
    # per provider first; the agents filtered by provider and state (the demo's list ran to 378 rows)
    assert re.search(r'<th scope="row">Partner B</th>(<td class="num">\d+</td>){2}<td class="num">1</td>', html)
    expired = client.get("/knowledge/training/?program=SHARED&as_of=2026-03-20&state=expired").content.decode()
    assert "Agent of Partner B</a>" in expired and "Agent of Partner A</a>" not in expired
    only_a = client.get("/knowledge/training/?program=SHARED&as_of=2026-03-20&provider=PA").content.decode()
    assert "Agent of Partner B</a>" not in only_a
    client.force_login(world.users["partner_a_lead"])
    assert "Partner B" not in client.get("/knowledge/training/?program=SHARED&as_of=2026-03-20").content.decode()


def test_the_certification_trend_labels_each_month_once():
    # Seen on the demo's training page: "Feb 2026, Feb 2026, Mar 2026, Mar 2026, ..." under month-end points
    import re

    import vl_convert

    from concord.knowledge.training.charts import certified_chart

    rows = [{"provider": "PA", "day": day, "certified": n}
            for day, n in (("2026-01-31", 3), ("2026-02-28", 5), ("2026-03-31", 8), ("2026-04-30", 9))]  # fmt: skip
    spec = certified_chart(rows) | {"width": 600}  # a laptop page's width; "container" has none offline
    labels = re.findall(r">([A-Z][a-z]{2} \d{4})<", vl_convert.vegalite_to_svg(spec))
    assert labels == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
