"""Notifications: one call, ``notify(...)``, reaches people in Concord's inbox, by email and in chat tools.

The API other apps use (all of it)::

    from concord.notifications.services import notify

    notify(
        recipients=[user, ...],      # users; inactive ones and duplicates are skipped
        subject="Action due in 2 days: ...",
        body="Plain text, a few lines.",
        url="/governance/actions/12/",   # where the notice leads (a path in Concord)
        kind="governance.action_due",    # a dotted name, used by webhook filters
        key="action-12-due-2026-11-30",  # optional: the same key to the same user is sent once (idempotent)
        provider=action.provider,        # optional: whose business it is (routes partner webhooks)
        client_only=False,               # True: never sent to a partner's webhook
        email=True,                      # also email each recipient that has an address
    ) -> list[Notification]

- **Inbox**: a ``Notification`` row per recipient; ``/notifications/`` lists them, marks them read.
- **Email**: sent through Django's email backend once the transaction commits (``EMAIL_URL``;
  console by default), one message per recipient with an address.
- **Webhooks** (optional, set up by a client admin at ``/notifications/webhooks/``: ``webhooks`` holds the
  services, ``urlcheck`` the SSRF rules applied at save and before each post): each active ``Webhook`` whose
  filters match gets one ``WebhookDelivery``, posted as JSON by a background task and signed with
  HMAC-SHA256 over ``"<timestamp>.<body>"`` (headers ``X-Concord-Timestamp`` and
  ``X-Concord-Signature: sha256=<hex>``); a failed post is retried with backoff
  (``tasks.RETRY_DELAYS``) and then marked failed. A webhook with a provider gets only that
  provider's notices that are not client-only; one without a provider gets every notice.
  ``signing.verify`` is what a receiver runs.
"""
