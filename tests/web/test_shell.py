from django.urls import reverse
from typer.testing import CliRunner

from concord.accounts.models import User
from concord.cli import app


def test_not_found_page_says_what_to_do(login, client_admin):
    response = login(client_admin).get("/providers/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Go back to the start page" in html


def test_forbidden_page_explains_the_role(login, world):
    response = login(world.users["partner_a_agent"]).get(reverse("providers:agents"))
    assert response.status_code == 403
    assert "ask a client admin to change your role" in response.content.decode()


def test_navigation_shows_only_what_the_role_may_open(login, world):
    html = login(world.users["partner_a_agent"]).get("/").content.decode()
    assert 'href="/providers/"' in html
    assert "Roster" not in html and "Audit log" not in html and "API tokens" not in html


def test_current_section_is_marked(login, client_admin, world):
    html = login(client_admin).get(reverse("providers:detail", args=[world.partner_a.pk])).content.decode()
    assert '<a href="/providers/" aria-current="page">Providers</a>' in html


def test_chart_pages_allow_vega_to_compile_and_others_do_not(login, client_admin, world):
    client = login(client_admin)
    chart_page = client.get(reverse("providers:detail", args=[world.partner_a.pk]))
    assert "'unsafe-eval'" in chart_page["Content-Security-Policy"]
    assert "'unsafe-eval'" not in client.get(reverse("providers:list"))["Content-Security-Policy"]


def test_cli_createadmin_refuses_a_weak_password_in_one_line(db):
    result = CliRunner().invoke(app, ["createadmin", "--username", "boss", "--email", "b@example.com",
                                      "--password", "123"])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not User.objects.filter(username="boss").exists()


def test_cli_createadmin_creates_a_client_admin(db):
    result = CliRunner().invoke(app, ["createadmin", "--username", "boss", "--email", "b@example.com",
                                      "--password", "a-much-longer-secret-2026"])
    assert result.exit_code == 0, result.output
    assert User.objects.get(username="boss").role == "client_admin"
    again = CliRunner().invoke(app, ["createadmin", "--username", "boss", "--email", "b@example.com",
                                     "--password", "a-much-longer-secret-2026"])
    assert again.exit_code == 1 and "already exists" in again.output
