"""The planning pages in real Chromium: charts drawn, htmx recalculation, no script errors."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_staffing_page_recalculates_in_place_and_draws_its_charts(world, live_server, page, artifacts):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("client_admin")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Planning").click()
    page.get_by_role("link", name="Staffing calculator").click()
    page.locator("[data-chart='staffing-heatmap'] svg").wait_for()
    # when the planner changes the volume and recalculates (htmx swaps the panel)
    page.get_by_label("Calls offered per interval").fill("400")
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_url("**volume=400**")
    # then the new answer is shown and both charts are drawn again
    page.locator("#staffing-results strong").first.wait_for()
    page.locator("[data-chart='staffing-curve'] svg").wait_for()
    page.locator("[data-chart='staffing-heatmap'] svg").wait_for()
    page.screenshot(path=str(artifacts / "planning-staffing.png"), full_page=True)
    # and bad input is named next to its field, without leaving the page
    page.get_by_label("Service-level target (%)").fill("150")
    page.get_by_role("button", name="Calculate").click()
    page.get_by_text("Service level target must be between 0 and 100%").wait_for()
    page.goto(f"{live_server.url}/planning/allocation/")
    page.locator("[data-chart='hiring-chart'] svg").wait_for()
    page.screenshot(path=str(artifacts / "planning-allocation.png"), full_page=True)
    assert errors == []
