"""Disputes and coaching through the pages and the API: the same services, scoped the same way."""

from __future__ import annotations

import datetime as dt

from concord.quality import services
from concord.quality.models import CoachingSession, Dispute
from concord.quality.services import RatingInput

from .conftest import interaction_of

GOOD = {
    "greeting": RatingInput(1),
    "verify": RatingInput(1),
    "empathy": RatingInput(4),
    "accuracy": RatingInput(7),
    "upsell": RatingInput(None, True),
}  # fmt: skip  82.5 %


def _evaluation(world, qa, n=1):
    grader = world.users["partner_a_qa"]
    evaluation = services.evaluation_start(
        actor=grader, interaction=interaction_of(world.agent_a, n), form_version=qa.current
    )
    return services.evaluation_save(actor=grader, evaluation=evaluation, ratings=GOOD, complete=True)


def test_the_agent_disputes_on_the_page_and_the_client_decides_through_the_api(world, qa, login, client):
    evaluation = _evaluation(world, qa)
    agent = login(world.users["partner_a_agent"])
    page = agent.get(f"/quality/evaluations/{evaluation.pk}/")
    assert b"Dispute a criterion" in page.content and b"Score it" not in page.content
    empty = agent.post(f"/quality/evaluations/{evaluation.pk}/dispute/", {"criterion": "accuracy", "reason": ""})
    assert empty.status_code == 302 and not Dispute.objects.exists()
    agent.post(
        f"/quality/evaluations/{evaluation.pk}/dispute/",
        {"criterion": "accuracy", "reason": "Refund window given", "proposed": "9"},
    )
    dispute = Dispute.objects.get()
    listed = agent.get("/api/quality/disputes/").json()
    assert [d["id"] for d in listed] == [dispute.pk] and listed[0]["proposed"] == {
        "value": 9.0,
        "not_applicable": False,
    }
    client.logout()
    analyst = login(world.users["client_analyst"])
    bad = analyst.post(
        f"/api/quality/disputes/{dispute.pk}/decision/",
        {"outcome": "maybe", "note": "n"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "accepted, partly_accepted or rejected" in str(bad.json())
    decided = analyst.post(
        f"/api/quality/disputes/{dispute.pk}/decision/",
        {"outcome": "accepted", "note": "Line 4 has it."},
        content_type="application/json",
    )
    # accuracy 9: 1 + 2 + 1.5 + 2.7 = 7.2 of 8 = 90 %
    assert decided.status_code == 200 and decided.json()["score_after_percent"] == 90.0
    rates = analyst.get("/api/quality/disputes/rates/?by=evaluator").json()
    assert rates == [
        {
            "name": "partner_a_qa",
            "evaluations": 1,
            "disputed": 1,
            "disputes": 1,
            "rate_percent": 100.0,
            "open": 0,
            "accepted": 1,
            "partly_accepted": 0,
            "rejected": 0,
            "overturned_percent": 100.0,
        }
    ]
    page = analyst.get("/quality/disputes/")
    assert page.status_code == 200 and b"Dispute rates by evaluator" in page.content


def test_coaching_through_the_page_and_the_api(world, qa, login):
    evaluation = _evaluation(world, qa)
    coach = login(world.users["partner_a_qa"])
    form = coach.get(f"/quality/agents/{world.agent_a.pk}/coach/")
    assert form.status_code == 200 and b"Commitments" in form.content
    refused = coach.post(f"/quality/agents/{world.agent_a.pk}/coach/", {"held_on": "2026-03-11", "topic": "T"})
    assert refused.status_code == 400 and b"at least one evaluation or metric" in refused.content
    done = coach.post(
        f"/quality/agents/{world.agent_a.pk}/coach/",
        {
            "held_on": "2026-03-11",
            "topic": "Refunds",
            "evaluations": [evaluation.pk],
            "metrics": ["aht"],
            "commitments": "Quote the refund window",
            "follow_up_on": "2026-04-08",
        },
    )
    session = CoachingSession.objects.get()
    assert done.status_code == 302 and session.follow_up_on == dt.date(2026, 4, 8)
    detail = coach.get(f"/quality/coaching/{session.pk}/")
    assert (
        detail.status_code == 200
        and b"Before and after" in detail.content
        and b"Quote the refund window" in detail.content
    )
    api = coach.get(f"/api/quality/coaching/{session.pk}/").json()
    assert api["before"] == {"start": "2026-02-09", "end": "2026-03-09"}
    assert [m["metric"] for m in api["metrics_before_after"]] == ["qa_score", "aht"]


def test_api_text_with_control_characters_is_refused_naming_the_field(world, qa, login):
    evaluation = _evaluation(world, qa)
    agent = login(world.users["partner_a_agent"])
    response = agent.post(
        "/api/quality/disputes/",
        {"evaluation": evaluation.pk, "criterion": "accuracy", "reason": "bad\x00reason"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "reason" in str(response.json()) and not Dispute.objects.exists()
