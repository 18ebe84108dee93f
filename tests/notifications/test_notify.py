"""notify(): inbox rows once per key, email after commit, webhooks signed (HMAC-SHA256) and retried.

The receiver is a real HTTP server on localhost that checks each signature with the receiver-side
``signing.verify`` and a plain ``hmac`` recomputation of its own (RFC 2104 HMAC over "ts.body").
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from concord.notifications import signing, tasks
from concord.notifications.models import Notification, Webhook, WebhookDelivery
from concord.notifications.services import mark_read, notify

SECRET = "s3cret"


@pytest.fixture
def receiver(settings):
    """A local webhook receiver answering from ``answers`` in turn (then 200); it keeps what it got."""
    got, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on this machine's loopback
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", got, answers
    server.shutdown()


def test_inbox_once_per_key_and_email_after_commit(world, django_capture_on_commit_callbacks):
    lead = world.users["partner_a_lead"]
    lead.email = "lead@pa.example"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(recipients=[lead, lead], subject="Pack ready", body="May 2026", url="/governance/", key="k1")
        again = notify(recipients=[lead], subject="Pack ready", key="k1")
    assert len(made) == 1 and again == []
    assert [(m.subject, m.to) for m in mail.outbox] == [("Pack ready", ["lead@pa.example"])]
    assert Notification.objects.get(user=lead).emailed
    assert mark_read(user=lead) == 1 and mark_read(user=lead) == 0


def test_client_only_notices_never_reach_a_partner(world):
    made = notify(recipients=[world.users["partner_a_lead"], world.users["client_admin"]], subject="Margin",
                  client_only=True, email=False)  # fmt: skip
    assert [n.user.username for n in made] == ["client_admin"]


def test_webhooks_are_signed_routed_by_provider_and_retried(world, receiver, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    url, got, answers = receiver
    client_hook = Webhook.objects.create(name="client", url=url, secret=SECRET)
    Webhook.objects.create(name="B", url=url, secret=SECRET, provider=world.partner_b)
    answers.append(503)  # the first post fails; the sweep's retry delivers it
    notify(recipients=[world.users["client_admin"]], subject="Escalation", kind="governance.x",
           provider=world.partner_a, email=False)  # fmt: skip
    d = WebhookDelivery.objects.get()  # partner B's hook does not get partner A's notice
    assert d.webhook == client_hook
    tasks.attempt(d.pk, reschedule=False)
    d.refresh_from_db()
    assert (d.status, d.attempts, d.last_error) == ("pending", 1, "the receiver answered HTTP 503")
    tasks.attempt(d.pk, reschedule=False)
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("delivered", 2)
    headers, body = got[-1]
    stamp = int(headers["X-Concord-Timestamp"])
    expected = "sha256=" + hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Concord-Signature"] == expected
    assert signing.verify(SECRET, stamp, body, expected, now=int(time.time()))
    assert not signing.verify("wrong", stamp, body, expected, now=int(time.time()))
    assert not signing.verify(SECRET, stamp, body, expected, now=stamp + signing.TOLERANCE + 1)  # a replay
    assert json.loads(body)["subject"] == "Escalation"


def test_a_receiver_that_never_answers_is_given_up_on(world, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # refused by the connection, not by the address check
    hook = Webhook.objects.create(name="dead", url="http://127.0.0.1:9/nothing", secret=SECRET)
    d = WebhookDelivery.objects.create(webhook=hook, payload={"subject": "x"})
    for _ in range(len(tasks.RETRY_DELAYS) + 1):
        tasks.attempt(d.pk, reschedule=False)
    d.refresh_from_db()
    assert d.status == "failed" and d.attempts == len(tasks.RETRY_DELAYS) + 1
    tasks.attempt(d.pk, reschedule=False)  # a failed delivery is not tried again
    d.refresh_from_db()
    assert d.attempts == len(tasks.RETRY_DELAYS) + 1
