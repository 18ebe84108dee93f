import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_partner_lead_logs_in_and_sees_only_their_provider(world, live_server, page, artifacts):
    # given partner A's lead, with two other providers in the system
    # when they log in through the form and open the providers page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("partner_a_lead")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Providers").click()
    page.wait_for_url("**/providers/")

    # then only their own provider is listed
    table = page.locator("table")
    assert table.get_by_role("link", name="Partner A").is_visible()
    assert table.get_by_role("link").count() == 1
    assert page.get_by_text("Partner B").count() == 0
    assert table.get_by_role("link", name="Internal team").count() == 0
    page.screenshot(path=str(artifacts / "partner-a-providers.png"), full_page=True)

    # and partner B's page answers "not found"
    response = page.goto(f"{live_server.url}/providers/{world.partner_b.pk}/")
    assert response.status == 404


@pytest.mark.django_db(transaction=True)
def test_provider_page_draws_headcount_chart_on_a_phone(world, live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("client_admin")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/providers/{world.partner_a.pk}/")
    # the chart is drawn by vega-embed as an SVG inside its container
    page.wait_for_selector("[data-chart] svg", timeout=15000)
    assert not errors, errors
    # the menu is reachable on a phone through the toggle
    page.get_by_text("Menu").click()
    assert page.get_by_role("navigation").get_by_role("link", name="Roster", exact=True).is_visible()
    page.screenshot(path=str(artifacts / "provider-phone.png"), full_page=True)
    context.close()
