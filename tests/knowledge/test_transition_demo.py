"""The transition demo step on the small world: a plan in progress, one milestone met from the lake, one late."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from tests.conftest import make_user
from tests.performance.conftest import card, contact, write_lake  # noqa: F401  (card: fixture)

from concord.accounts.roles import Role
from concord.demo.context import DemoContext
from concord.knowledge.models import PlanComment, TransitionPlan
from concord.knowledge.transition import demo, selectors
from concord.notifications.models import Notification

TODAY = dt.date(2026, 6, 15)  # the plan starts 45 days before: Thursday 1 May 2026


@pytest.fixture
def lake(settings, tmp_path):
    # partner A handles 60 SHARED contacts on Wednesday 6 May: the first whole week of the plan (4-10 May)
    when = dt.datetime(2026, 5, 6, 12, tzinfo=dt.UTC)
    write_lake(str(tmp_path / "lake"), [contact("PA", "PA-001", talk=250, wait=10, when=when) for _ in range(60)])
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.REPORTING_TIMEZONE = "Europe/Madrid"


def test_demo_plan_in_progress(world, lake, card, monkeypatch):  # noqa: F811
    monkeypatch.setattr(
        demo,
        "PLAN",
        {
            "program": "SHARED",
            "contact_type": "ORD",
            "to": "PA",
            "from": "PB",
            "owner": "manager",
            "partner_owner": "partner_a_lead",
        },
    )
    manager = make_user("manager", Role.MANAGER)
    ctx = DemoContext(seed=3, scale=0.1, today=TODAY, rng=random.Random(3))
    ctx.made["scorecards"] = {"SHARED": card}

    demo.build_transition(ctx)

    plan = TransitionPlan.objects.get()
    assert (plan.start, plan.months, plan.client_owner, plan.from_provider) == (
        dt.date(2026, 5, 1),
        5,
        manager,
        world.partner_b,
    )
    rows = {m.milestone.kind: m for m in selectors.status(manager, plan, today=TODAY).milestones}
    # 1 May + 5 months = 1 Oct: 153 days; preparation 45.9 -> 46 days (1 May-15 Jun); articles due 27 days in
    assert (rows["parallel_run"].state, rows["parallel_run"].progress.met_on) == ("met", dt.date(2026, 5, 10))
    assert (rows["articles_acknowledged"].milestone.due, rows["articles_acknowledged"].state) == (
        dt.date(2026, 5, 28),
        "late",
    )
    assert rows["articles_acknowledged"].slip_days == 18
    assert PlanComment.objects.filter(plan=plan, author=world.users["partner_a_lead"]).exists()
    assert {n.user.username for n in Notification.objects.filter(kind="knowledge.transition_slipped")} == {
        "manager",
        "partner_a_lead",
    }
    # the page reads a figure against its target: "60 contacts handled in a week (target 50)", not "60 of 50"
    from django.test import Client

    page = Client()
    page.force_login(manager)
    html = page.get(f"/knowledge/transitions/{plan.pk}/").content.decode()
    assert '60 contacts handled in a week <span class="muted">(target 50)</span>' in html
    assert " of 50 " not in html
