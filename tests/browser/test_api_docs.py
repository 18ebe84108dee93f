"""The API docs page draws Swagger UI under our CSP (#10.5): it was blank because its inline script was blocked."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_api_docs_list_the_operations(world, live_server, page, artifacts):
    page.set_default_timeout(120_000)  # a loaded CI machine; the check is what is drawn, not how fast
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("client_admin")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI fetches the schema and draws one block per operation
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 20
    assert page.get_by_text("/api/sites/{id}/").first.is_visible()
    assert refused == []
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=False)
