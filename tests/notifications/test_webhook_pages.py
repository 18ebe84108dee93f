"""A client admin manages webhooks on a page: add (the secret shown once, never audited), edit, disable,
test-send, delete; URLs that would reach the server's own network are refused (SSRF), at save and at post."""

import pytest
from django.core.exceptions import ValidationError

from concord.accounts.models import AuditEntry
from concord.notifications import tasks, urlcheck
from concord.notifications.models import Webhook, WebhookDelivery

PUBLIC = "https://8.8.8.8/hook"  # a literal public address: no name to resolve


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["client_admin"])
    return client


def _add(client, **fields):
    data = {"name": "Ops chat", "url": PUBLIC, "kinds": "", "active": "on", **fields}
    return client.post("/notifications/webhooks/new/", data)


def test_adding_shows_the_secret_once_and_never_audits_it(admin_client):
    response = _add(admin_client)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    hook = Webhook.objects.get()
    assert len(hook.secret) >= 40 and hook.secret in response.content.decode()
    assert hook.secret not in admin_client.get("/notifications/webhooks/").content.decode()
    (entry,) = AuditEntry.objects.filter(object_type="notifications.webhook")
    assert entry.action == "create" and "secret" not in entry.after and entry.after["url"] == PUBLIC
    old = hook.secret
    response = admin_client.post(f"/notifications/webhooks/{hook.pk}/secret/")
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in response.content.decode()
    entries = list(AuditEntry.objects.filter(object_type="notifications.webhook").order_by("pk"))
    assert [e.action for e in entries] == ["create", "update"]
    assert not any(hook.secret in str(e.after) or old in str(e.after) for e in entries)


def test_edit_disable_test_send_and_delete(admin_client, world):
    _add(admin_client)
    hook = Webhook.objects.get()
    data = {
        "name": "Partner A chat",
        "url": "https://8.8.4.4/a",
        "provider": world.partner_a.pk,
        "kinds": "governance.",
    }
    assert admin_client.post(f"/notifications/webhooks/{hook.pk}/", data).status_code == 302  # 'active' unticked
    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.provider, hook.active) == (
        "Partner A chat",
        "https://8.8.4.4/a",
        world.partner_a,
        False,
    )
    assert not hook.wants("governance.action_due", world.partner_a.pk, False)  # disabled: nothing is posted
    assert admin_client.post(f"/notifications/webhooks/{hook.pk}/test/").status_code == 302
    (delivery,) = WebhookDelivery.objects.filter(webhook=hook)
    assert delivery.status == "pending" and delivery.payload["kind"] == "concord.test"
    assert "Test post to Partner A chat" in admin_client.get("/notifications/webhooks/").content.decode()
    assert admin_client.post(f"/notifications/webhooks/{hook.pk}/delete/").status_code == 302
    assert not Webhook.objects.exists()
    actions = list(AuditEntry.objects.filter(object_type="notifications.webhook").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("https://10.1.2.3/hook", "private network"),
        ("https://169.254.169.254/latest/meta-data/", "cloud metadata (link-local)"),
        ("https://[::1]/hook", "IPv6 loopback"),
        ("https://0.0.0.0/hook", "unspecified"),
        ("https://user:pw@8.8.8.8/hook", "credentials in the URL"),
        ("ftp://8.8.8.8/hook", "not HTTP"),
    ],
)
def test_urls_reaching_inside_are_refused_with_a_reason_and_nothing_saved(admin_client, url, why):
    response = _add(admin_client, url=url)
    assert response.status_code == 400, why
    assert not Webhook.objects.exists() and not AuditEntry.objects.filter(object_type="notifications.webhook").exists()


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(urlcheck, "resolve", lambda host, port: ["93.184.215.14", "192.168.1.20"])
    with pytest.raises(ValidationError, match=r"192\.168\.1\.20"):
        urlcheck.check("https://chat.example.com/hook")


def test_https_only_in_production_and_private_addresses_when_allowed(settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(ValidationError, match="https://"):
        urlcheck.check("http://8.8.8.8/hook")
    settings.WEBHOOK_REQUIRE_HTTPS = False
    assert urlcheck.check("http://8.8.8.8/hook") == "http://8.8.8.8/hook"
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert urlcheck.check("https://10.1.2.3/hook") == "https://10.1.2.3/hook"


def test_each_post_checks_the_address_again(world, monkeypatch):
    hook = Webhook.objects.create(name="rebound", url="https://chat.example.com/hook", secret="s" * 40)
    monkeypatch.setattr(urlcheck, "resolve", lambda host, port: ["127.0.0.1"])  # the name now points inside
    d = WebhookDelivery.objects.create(webhook=hook, payload={"subject": "x"})
    assert tasks.attempt(d.pk, reschedule=False)["status"] == "retrying"
    d.refresh_from_db()
    assert "127.0.0.1" in d.last_error and d.delivered_at is None


def test_only_the_clients_admin_reaches_the_pages(client, world):
    hook = Webhook.objects.create(name="x", url=PUBLIC, secret="s" * 40)
    for persona in ("client_viewer", "partner_a_lead"):
        client.force_login(world.users[persona])
        assert client.get("/notifications/webhooks/").status_code == 403
        assert client.post(f"/notifications/webhooks/{hook.pk}/delete/").status_code == 403
    assert Webhook.objects.filter(pk=hook.pk).exists()
