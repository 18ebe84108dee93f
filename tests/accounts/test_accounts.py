import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from concord.accounts import services
from concord.accounts.models import ApiToken, AuditEntry
from concord.accounts.roles import Role
from concord.providers import services as provider_services
from concord.providers.models import Provider


def test_api_token_is_stored_hashed_and_authenticates(client, world):
    # given a token created for partner A's lead
    token, key = services.token_create(actor=world.users["partner_a_lead"], name="feed")
    # then only a hash is stored
    assert key not in token.key_hash and len(token.key_hash) == 64
    # when it calls the API, it sees only its own provider
    response = client.get("/api/providers/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["PA"]


def test_revoked_token_is_refused(client, world):
    token, key = services.token_create(actor=world.users["partner_a_lead"], name="feed")
    services.token_revoke(actor=world.users["partner_a_lead"], token=token)
    response = client.get("/api/providers/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_revoking_someone_elses_token_changes_nothing(login, world):
    token, _ = services.token_create(actor=world.users["partner_b_lead"], name="b")
    response = login(world.users["partner_a_lead"]).post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_shows_the_key_once(login, world):
    client = login(world.users["partner_a_lead"])
    response = client.post(reverse("accounts:tokens"), {"name": "nightly feed"})
    key = response.context["new_key"]
    assert key.startswith("cnc_") and key in response.content.decode()
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and "nightly feed" in again


def test_every_service_change_is_audited_with_before_and_after(world, client_admin):
    provider_services.provider_update(actor=client_admin, provider=world.partner_a, name="Partner A Ltd")
    entry = AuditEntry.objects.filter(object_type="providers.provider", action="update").get()
    assert entry.actor == client_admin
    assert entry.before["name"] == "Partner A" and entry.after["name"] == "Partner A Ltd"
    assert entry.changed_fields == ["name"]


def test_an_update_that_changes_nothing_records_nothing(world, client_admin):
    provider_services.provider_update(actor=client_admin, provider=world.partner_a, name="Partner A")
    assert not AuditEntry.objects.filter(action="update").exists()


def test_audit_log_filters(login, world, client_admin):
    provider_services.provider_create(actor=client_admin, code="NEW", name="New", kind=Provider.Kind.VENDOR)
    services.token_create(actor=client_admin, name="x")
    client = login(client_admin)
    page = client.get(reverse("accounts:audit"), {"object_type": "providers.provider", "action": "create"})
    rows = list(page.context["page"])
    assert [r.object_repr for r in rows] == ["New"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert list(client.get(reverse("accounts:audit"), {"since": tomorrow}).context["page"]) == []


def test_nobody_can_edit_the_audit_log_in_admin(login, world, client_admin):
    provider_services.provider_update(actor=client_admin, provider=world.partner_a, name="Changed")
    entry = AuditEntry.objects.get()
    client_admin.is_staff = client_admin.is_superuser = True
    client_admin.save()
    client = login(client_admin)
    url = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    client.post(url, {"actor_name": "someone else"})
    response = client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.actor_name == "client_admin"


def test_password_reset_sends_mail_through_django_backend(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("accounts:password-reset"), {"email": "partner_a_lead@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["partner_a_lead@example.com"]


def test_login_is_throttled_after_repeated_failures(client, world):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "partner_a_lead", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "partner_a_lead", "password": "a-long-test-password"}
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_login_with_the_right_password(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "partner_a_lead", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_a_client_user_cannot_take_a_provider_role(login, client_admin):
    response = login(client_admin).post(
        reverse("accounts:user-create"), {"username": "x", "email": "x@example.com", "role": Role.AGENT}
    )
    assert response.status_code == 400
    assert "client role" in response.content.decode()


def test_csp_header_is_sent(login, client_admin):
    response = login(client_admin).get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", [Role.CLIENT_ADMIN, Role.PROVIDER_LEAD])
def test_token_count_starts_empty(world, role):
    assert ApiToken.objects.count() == 0
