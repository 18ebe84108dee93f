"""A client admin's webhooks: add, edit, disable, delete, test-send. The secret is made here and shown
once (when added, or replaced); audit rows never hold it."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from .models import Webhook, WebhookDelivery
from .urlcheck import check

EDITABLE = ("name", "url", "provider", "kinds", "active")


def require_admin(actor) -> None:
    access.require(actor, Cap.MANAGE_WEBHOOKS)
    if actor.provider_id is not None:  # a partner's people never configure where the client's notices go
        raise PermissionDenied("Only the client's administrators manage webhooks.")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def webhook_create(
    *, actor, name: str, url: str, provider=None, kinds: str = "", active: bool = True
) -> tuple[Webhook, str]:
    """The new webhook and its secret: the only time the secret is handed out."""
    require_admin(actor)
    secret = new_secret()
    hook = audit.create(
        actor=actor,
        instance=Webhook(name=name, url=check(url), secret=secret, provider=provider, kinds=kinds, active=active),
    )
    return hook, secret


@transaction.atomic
def webhook_update(*, actor, webhook: Webhook, **changes) -> Webhook:
    """Change ``EDITABLE`` fields (``active=False`` disables it); saving the same values records nothing."""
    require_admin(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if "url" in changes:
        changes["url"] = check(changes["url"])
    return audit.update(actor=actor, instance=webhook, changes=changes)


@transaction.atomic
def webhook_new_secret(*, actor, webhook: Webhook) -> str:
    """Replace the secret (the receiver must be told the new one); returns it, once."""
    require_admin(actor)
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    # audit.update would see no change (audit rows never copy the secret): say that it was replaced, not to what
    audit.record(actor=actor, action="update", instance=webhook, before=None, after={"secret": "replaced"})
    return webhook.secret


@transaction.atomic
def webhook_delete(*, actor, webhook: Webhook) -> None:
    require_admin(actor)
    audit.delete(actor=actor, instance=webhook)


@transaction.atomic
def webhook_test(*, actor, webhook: Webhook) -> WebhookDelivery:
    """Queue a signed test post, delivered (and retried) like any notice; its status shows on the page."""
    require_admin(actor)
    check(webhook.url)
    payload = {"kind": "concord.test", "subject": f"Test post to {webhook.name}", "body": "", "url": "", "key": ""}
    delivery = audit.create(actor=actor, instance=WebhookDelivery(webhook=webhook, payload=payload))
    from .tasks import deliver_webhook

    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
    return delivery
