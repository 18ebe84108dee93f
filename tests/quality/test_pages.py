"""The QA pages as a person uses them: pick an interaction, score it by form post, read it back."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from django.conf import settings

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality.models import Evaluation

from .conftest import interaction_of

TRANSCRIPT = "Customer: my parcel is late\nAgent: I'm sorry, let me check the tracking for you"


@pytest.fixture
def lake_rows(world, qa):
    """One chat of agent A (with a transcript) and one of agent B, in the test's private lake."""
    rows = []
    for agent in (world.agent_a, world.agent_b):
        found = interaction_of(agent, transcript=TRANSCRIPT)
        row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
        row.update(
            source=found.source, external_id=found.external_id, provider=found.provider, agent=found.agent,
            program="SHARED", contact_type="ORD", channel="chat", created_at=found.created_at,
            updated_at=found.created_at, created_month="2026-03", transcript=TRANSCRIPT, talk_seconds=240.0,
            resolved=True, csat=4,
        )  # fmt: skip
        rows.append(row)
    commit_batches(
        Lake(settings.LAKE_URI), "interactions", pa.Table.from_pylist(rows, TABLES["interactions"].schema).to_batches()
    )
    return rows


def _start(login, user, agent):
    client = login(user)
    response = client.post(
        f"/quality/agents/{agent.pk}/evaluate/", {"source": "demo-helpdesk", "external_id": f"{agent.employee_id}-1"}
    )
    assert response.status_code == 302, response.content[:300]
    return client, Evaluation.objects.get(pk=int(re.search(r"/evaluations/(\d+)/", response["Location"]).group(1)))


def test_a_grader_picks_an_interaction_and_scores_it_with_the_transcript_beside(world, qa, lake_rows, login):
    grader = world.users["partner_a_qa"]
    page = login(grader).get(f"/quality/agents/{world.agent_a.pk}/evaluate/")
    assert page.status_code == 200 and b"240 s" in page.content  # handle time, with its unit
    client, evaluation = _start(login, grader, world.agent_a)
    page = client.get(f"/quality/evaluations/{evaluation.pk}/").content.decode()
    assert "my parcel is late" in page and 'class="customer"' in page
    # every step of a criterion is one radio group: Tab reaches it, arrows choose, no script needed
    assert page.count('name="rate-empathy"') == 5 and page.count('name="rate-upsell"') == 3  # yes, no, N/A
    response = client.post(
        f"/quality/evaluations/{evaluation.pk}/save/",
        {"rate-greeting": "1", "rate-verify": "1", "rate-empathy": "4", "rate-accuracy": "7", "rate-upsell": "na",
         "comment-accuracy": "Refund window wrong", "complete": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert float(evaluation.score) == 82.5
    assert "Score: 82.5 %" in client.get(response["Location"]).content.decode()


def test_a_refused_answer_shows_the_reason_and_keeps_what_was_typed(world, qa, lake_rows, login):
    client, evaluation = _start(login, world.users["partner_a_qa"], world.agent_a)
    response = client.post(
        f"/quality/evaluations/{evaluation.pk}/save/",
        {"rate-greeting": "1", "comment-greeting": "kept", "complete": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cannot complete: Verifies identity before account changes: not rated." in body and ">kept<" in body
    evaluation.refresh_from_db()
    assert evaluation.status == "draft" and evaluation.answers.count() == 0


def test_the_agent_reads_their_evaluation_without_a_form_and_another_partner_gets_404(world, qa, lake_rows, login):
    _, evaluation = _start(login, world.users["partner_a_qa"], world.agent_a)
    page = login(world.users["partner_a_agent"]).get(f"/quality/evaluations/{evaluation.pk}/")
    assert page.status_code == 200 and b'name="rate-' not in page.content
    assert login(world.users["partner_b_lead"]).get(f"/quality/evaluations/{evaluation.pk}/").status_code == 404
    # nor can partner B's QA start an evaluation of partner A's interaction
    assert (
        login(world.users["partner_b_qa"])
        .post(f"/quality/agents/{world.agent_a.pk}/evaluate/", {"source": "demo-helpdesk", "external_id": "PA-001-1"})
        .status_code
        == 404
    )
    assert Evaluation.objects.count() == 1


def test_an_interaction_of_another_agent_cannot_be_started_under_this_one(world, qa, lake_rows, login):
    client = login(world.users["client_analyst"])
    response = client.post(
        f"/quality/agents/{world.agent_a.pk}/evaluate/", {"source": "demo-helpdesk", "external_id": "PB-001-1"}
    )
    assert response.status_code == 404 and not Evaluation.objects.exists()


def test_the_form_page_shows_each_criterion_share_as_a_percentage(world, qa, login):
    page = login(world.users["client_viewer"]).get(f"/quality/forms/{qa.pk}/").content.decode()
    # weights 1, 2, 2, 3, 2 of 10
    assert "30.0 %" in page and "10.0 %" in page and "Critical" in page
