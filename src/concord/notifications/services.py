"""``notify``: the one way any app tells people something (see the package docstring)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, Webhook, WebhookDelivery

log = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    subject: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    key: str = "",
    provider=None,
    client_only: bool = False,
    email: bool = True,
) -> list[Notification]:
    """Inbox rows for ``recipients`` (skipping those who already had ``key``), then, once committed, the
    emails and the webhook posts. Returns the notices created (none when everyone had this key)."""
    provider_id = getattr(provider, "pk", provider)
    made: list[Notification] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in recipients:
            if user is None or not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            if client_only and user.provider_id is not None:
                continue  # a client-only notice never reaches a partner's people
            if key and Notification.objects.filter(user=user, key=key).exists():
                continue
            try:
                with transaction.atomic():
                    made.append(
                        Notification.objects.create(
                            user=user,
                            kind=kind,
                            key=key,
                            subject=subject[:200],
                            body=body,
                            url=url,
                            provider_id=provider_id,
                        )
                    )
            except IntegrityError:  # a concurrent sender of the same key won
                continue
        if not made:
            return made
        if email:
            ids = [n.pk for n in made if n.user.email]
            transaction.on_commit(lambda: _send_emails(ids))
        payload = {"kind": kind, "subject": subject, "body": body, "url": _absolute(url), "key": key}
        deliveries = [
            WebhookDelivery.objects.create(webhook=hook, payload=payload)
            for hook in Webhook.objects.filter(active=True)
            if hook.wants(kind, provider_id, client_only)
        ]
        if deliveries:
            from .tasks import deliver_webhook

            for d in deliveries:
                transaction.on_commit(lambda pk=d.pk: deliver_webhook.enqueue(pk))
    return made


def _absolute(url: str) -> str:
    base = getattr(settings, "CONCORD_BASE_URL", "")
    return f"{base.rstrip('/')}{url}" if base and url.startswith("/") else url


def _send_emails(ids: list[int]) -> None:
    for n in Notification.objects.filter(pk__in=ids).select_related("user"):
        text = n.body + (f"\n\n{_absolute(n.url)}" if n.url else "")
        try:
            send_mail(n.subject, text, None, [n.user.email])
        except Exception:  # a mail server down costs the email, never the change that caused it
            log.exception("could not email notification %s", n.pk)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed=True)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices read (all unread ones when ``ids`` is None); returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
