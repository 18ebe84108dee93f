"""The evaluation screen by keyboard alone, with the transcript beside the form (real Chromium)."""

import datetime as dt

import pyarrow as pa
import pytest
from django.conf import settings

from concord.lake.schemas import TABLES
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.quality import services
from concord.quality.models import Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture
def qa(world):
    """The QA fixtures' form and partner A's grader (tests/quality/conftest.py)."""
    from tests.quality.conftest import SECTIONS, make_user

    from concord.accounts.roles import Role

    world.users["partner_a_qa"] = make_user("partner_a_qa", Role.PROVIDER_QA, world.partner_a)
    return services.form_create(actor=world.users["client_admin"], name="Customer care QA", sections=SECTIONS)


def _tab_to(page, selector: str, limit: int = 80) -> int:
    """Press Tab until ``selector`` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} is not reachable with Tab")


@pytest.mark.django_db(transaction=True)
def test_a_grader_scores_an_evaluation_with_the_keyboard_alone(world, qa, live_server, page, artifacts):
    agent = world.agent_a
    at = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
    row.update(source="kb", external_id="1", provider=agent.provider.code, agent=agent.employee_id, program="SHARED",
               channel="chat", created_at=at, answered_at=at, updated_at=at, created_month="2026-03",
               transcript="Customer: my parcel is late\nAgent: I have sent a replacement")  # fmt: skip
    lake = Lake(settings.LAKE_URI)
    commit_batches(lake, "interactions", pa.Table.from_pylist([row], TABLES["interactions"].schema).to_batches())
    from concord.quality.lake_reads import interaction

    grader = world.users["partner_a_qa"]
    evaluation = services.evaluation_start(
        actor=grader, interaction=interaction(lake, "kb", "1"), form_version=qa.current
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("partner_a_qa")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/quality/evaluations/{evaluation.pk}/")

    # the transcript sits beside the form, not above it
    transcript = page.locator("section.transcript").bounding_box()
    form = page.locator("section[aria-labelledby=form-title]").bounding_box()
    assert transcript["x"] + transcript["width"] <= form["x"] and transcript["y"] < form["y"] + form["height"]
    assert page.get_by_text("I have sent a replacement").is_visible()

    # greeting: Yes; verify: Yes; empathy: 4 (Space picks 1, arrows move on); accuracy: 7; upsell: N/A
    _tab_to(page, "input[name=rate-greeting]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # its comment
    page.keyboard.type("Used the name")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "rate-verify"
    page.keyboard.press("Space")
    _tab_to(page, "input[name=rate-empathy]")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    _tab_to(page, "input[name=rate-accuracy]")
    page.keyboard.type("7")
    _tab_to(page, "input[name=rate-upsell]")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    _tab_to(page, "button[name=complete]")
    page.screenshot(path=str(artifacts / "evaluation-keyboard.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")

    # by hand: 1 + 2 + 2 x 0.75 + 3 x 0.7 = 6.6 of 8 (upsell N/A) = 82.5 %
    assert "Score: 82.5 %" in page.locator(".messages").inner_text()
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.status == "completed" and float(evaluation.score) == 82.5
    assert evaluation.answers.get(criterion__code="greeting").comment == "Used the name"
    assert evaluation.answers.get(criterion__code="upsell").not_applicable
