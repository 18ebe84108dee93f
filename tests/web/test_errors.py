"""No debug pages for users (#9.8): DEBUG off by default, friendly pages, static files still served,
and every API error an RFC 9457 problem (type, title, status, detail, instance) with a request id that is
also in the X-Request-ID header and in the log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from concord.providers import selectors as provider_selectors

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "request_id"}


def _assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_MEMBERS
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_an_api_not_found_is_a_problem_with_the_request_id(world, login):
    response = login(world.users["partner_a_lead"]).get(f"/api/sites/{world.site_b.pk}/")
    body = _assert_problem(response, 404)
    assert body["title"] == "Not Found" and body["instance"] == f"/api/sites/{world.site_b.pk}/"


def test_an_unknown_api_path_is_a_problem_too(world, login):
    _assert_problem(login(world.users["client_admin"]).get("/api/no-such-thing/"), 404)


def test_a_validation_error_names_the_field_in_detail_and_errors(world, login):
    response = login(world.users["client_admin"]).patch(
        f"/api/sites/{world.site_a.pk}/", {"seats": "many"}, content_type="application/json"
    )
    body = _assert_problem(response, 400)
    assert body["detail"].startswith("seats: ") and "seats" in body["errors"]


def test_an_api_crash_is_a_json_500_whose_request_id_is_in_the_log(world, client, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(provider_selectors, "sites", broken)
    client.force_login(world.users["client_admin"])
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/sites/", HTTP_X_REQUEST_ID="trace-0123456789")
    body = _assert_problem(response, 500)
    assert body["request_id"] == "trace-0123456789"  # a caller's id is kept, to follow one request end to end
    assert "trace-0123456789" in body["detail"] and "boom" not in body["detail"]
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-0123456789"]
    assert records and records[0].exc_info is not None


def test_a_hostile_request_id_is_replaced(world, login):
    response = login(world.users["client_admin"]).get("/api/sites/", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")
    assert response.status_code == 200
    assert len(response["X-Request-ID"]) == 32 and "Set-Cookie" not in response["X-Request-ID"]


def test_a_page_crash_shows_the_friendly_page_with_a_reference(world, client, monkeypatch, settings):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(provider_selectors, "providers", broken)
    client.raise_request_exception = False
    client.force_login(world.users["client_admin"])
    response = client.get("/providers/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and response["X-Request-ID"] in html
    assert "Traceback" not in html and "boom" not in html


def test_static_files_are_served_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/concord/concord.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_the_demo_and_serve_run_with_debug_off(tmp_path, command):
    # `concord demo` and `concord serve` load the same settings as this child; nothing sets DEBUG for them
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(CONCORD_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="concord.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr
