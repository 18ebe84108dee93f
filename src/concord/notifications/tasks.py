"""Webhook posts, run by the task worker: signed, retried with backoff, then given up on (and said so)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request

from django_tasks import task

#: waits before the 2nd, 3rd, ... attempt; after the last one the delivery is marked failed
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
TIMEOUT_SECONDS = 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a receiver that redirects is answered with its 3xx status, never followed


def post(url: str, secret: str, payload: dict, *, now: int | None = None) -> int:
    """POST ``payload`` signed; returns the HTTP status (raises on a network error). Standard library only."""
    from .signing import sign
    from .urlcheck import check

    check(url)  # again at each post: the name may resolve to an inside address since the webhook was saved
    body = json.dumps(payload, sort_keys=True).encode()
    stamp = int(now if now is not None else time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Concord-Timestamp": str(stamp),
        "X-Concord-Signature": sign(secret, stamp, body),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme and address checked above)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:  # 4xx/5xx (and unfollowed 3xx) arrive as exceptions
        return exc.code


def _can_defer() -> bool:
    """Only a backend that can hold a task until later retries it (the database one); the immediate
    backend of tests and one-off commands would hammer the receiver, so there a retry waits for the
    next sweep (``retry_due``)."""
    from django_tasks import task_backends

    return task_backends["default"].supports_defer


def retry_due(*, now: dt.datetime | None = None) -> int:
    """Attempt again every pending delivery whose wait has passed (the governance sweep calls this)."""
    from django.utils import timezone

    from .models import WebhookDelivery

    now = now or timezone.now()
    done = 0
    for d in WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, attempts__gt=0):
        wait = RETRY_DELAYS[min(d.attempts, len(RETRY_DELAYS)) - 1]
        if (d.last_attempt_at or d.created_at) + wait <= now:
            attempt(d.pk, reschedule=False)
            done += 1
    return done


@task()
def deliver_webhook(delivery_id: int) -> dict:
    return attempt(delivery_id)


def attempt(delivery_id: int, *, reschedule: bool = True) -> dict:
    """One attempt at a delivery; on failure the next is scheduled (or the delivery is marked failed)."""
    from django.utils import timezone

    from .models import WebhookDelivery

    d = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if d is None or d.status != WebhookDelivery.Status.PENDING:
        return {"delivery": delivery_id, "status": getattr(d, "status", "gone")}
    try:
        status = post(d.webhook.url, d.webhook.secret, d.payload)
        error = "" if 200 <= status < 300 else f"the receiver answered HTTP {status}"
    except Exception as exc:  # connection refused, timeout, bad URL: all retried alike
        error = f"{type(exc).__name__}: {exc}"
    attempts = d.attempts + 1
    WebhookDelivery.objects.filter(pk=d.pk).update(last_attempt_at=timezone.now())
    if not error:
        WebhookDelivery.objects.filter(pk=d.pk).update(
            status=WebhookDelivery.Status.DELIVERED, attempts=attempts, delivered_at=timezone.now(), last_error=""
        )
        return {"delivery": d.pk, "status": "delivered", "attempts": attempts}
    if attempts > len(RETRY_DELAYS):
        WebhookDelivery.objects.filter(pk=d.pk).update(
            status=WebhookDelivery.Status.FAILED, attempts=attempts, last_error=error[:300]
        )
        return {"delivery": d.pk, "status": "failed", "attempts": attempts}
    WebhookDelivery.objects.filter(pk=d.pk).update(attempts=attempts, last_error=error[:300])
    if reschedule and _can_defer():
        deliver_webhook.using(run_after=timezone.now() + RETRY_DELAYS[attempts - 1]).enqueue(d.pk)
    return {"delivery": d.pk, "status": "retrying", "attempts": attempts}
