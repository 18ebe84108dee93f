"""Tables fit a 1366 px laptop and scroll inside their own box on a 390 px phone (issue #10.6).

The allocation page was 1,912 px wide at 1366: its providers table of inputs stretched the fieldset
around it (a fieldset's min-width is its content's), pushing the whole page sideways."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDE_TABLE_PAGES = ["/planning/allocation/", "/planning/staffing/", "/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_pages_with_wide_tables_fit_the_window_and_the_table_scrolls_in_its_box(world, live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("client_admin")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/", timeout=60_000)
    for path in WIDE_TABLE_PAGES:
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    # on the phone the allocation inputs are wider than the screen: their own box scrolls, not the page
    page.goto(f"{live_server.url}/planning/allocation/", wait_until="networkidle")
    wrap = page.locator("fieldset .table-wrap").first
    inner, box = wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert box <= width and (inner > box) == (width == 390)
    context.close()
