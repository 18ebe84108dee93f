"""The one way contracts tells people something: a notice in each person's inbox (the notifications
app) and one email to all of them through Django's email backend (every caller goes through ``send``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail


def send(*, users: Iterable, subject: str, body: str, url: str = "", key: str = "", provider=None) -> int:
    """Tell ``users``: an inbox notice each (once per ``key``) and one email to their addresses; returns how
    many addresses the email went to."""
    from concord.notifications.services import notify

    users = list(users)
    notify(recipients=users, subject=subject, body=body, url=url, kind="contracts", key=key, provider=provider,
           email=False)  # fmt: skip
    recipients = sorted({u.email for u in users if u.email})
    if recipients:
        send_mail(subject, body, None, recipients)
    return len(recipients)
