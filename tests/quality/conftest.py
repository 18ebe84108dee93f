"""QA fixtures: the shared form, people who grade, interactions of each partner's agent."""

from __future__ import annotations

import datetime as dt

import pytest

from concord.accounts.roles import Role
from concord.quality import services
from concord.quality.lake_reads import Interaction
from concord.quality.services import CriterionSpec, SectionSpec

SECTIONS = [
    SectionSpec(
        "Opening",
        (
            CriterionSpec("greeting", "Greets the customer by name", "yes_no", 1, guidance="Name in the first line."),
            CriterionSpec("verify", "Verifies identity before account changes", "yes_no", 2, critical=True),
        ),
    ),
    SectionSpec(
        "Resolution",
        (
            CriterionSpec("empathy", "Shows empathy", "one_to_five", 2),
            CriterionSpec("accuracy", "Gives an accurate answer", "points", 3, max_points=10),
            CriterionSpec("upsell", "Offers the upgrade when eligible", "yes_no", 2, na_allowed=True),
        ),
    ),
]


def interaction_of(agent, n: int = 1, transcript: str | None = "Customer: hi\nAgent: hello") -> Interaction:
    return Interaction(
        source="demo-helpdesk",
        external_id=f"{agent.employee_id}-{n}",
        provider=agent.provider.code,
        agent=agent.employee_id,
        program="SHARED",
        contact_type="ORD",
        channel="chat",
        language="en",
        created_at=dt.datetime(2026, 3, 2, 10, n, tzinfo=dt.UTC),
        handle_seconds=300.0,
        csat=4,
        resolved=True,
        transferred=False,
        escalated=False,
        transcript=transcript,
    )


def make_user(username, role, provider=None):
    from concord.accounts.models import User

    user = User(username=username, email=f"{username}@example.com", role=role, provider=provider)
    user.set_password("a-long-test-password")
    user.save()
    return user


@pytest.fixture
def qa(world):
    """Graders on both sides and the shared form (the world ties the agent login to agent A)."""
    users = world.users
    users["partner_a_qa"] = make_user("partner_a_qa", Role.PROVIDER_QA, world.partner_a)
    users["partner_b_qa"] = make_user("partner_b_qa", Role.PROVIDER_QA, world.partner_b)
    users["client_analyst"] = make_user("client_analyst", Role.ANALYST)
    form = services.form_create(actor=users["client_admin"], name="Customer care QA", sections=SECTIONS)
    return form
