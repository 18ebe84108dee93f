"""Reads of notices: a person only ever sees their own."""

from __future__ import annotations

from .models import Notification


def inbox(user):
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()
