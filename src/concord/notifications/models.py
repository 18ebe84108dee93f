"""Inbox notices, webhooks and their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One notice to one person: their inbox row (and the email, when sent, said the same)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60, blank=True)
    key = models.CharField(max_length=200, blank=True, help_text="Same key, same user: sent once.")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    provider = models.ForeignKey("providers.Provider", null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return self.subject


class Webhook(models.Model):
    """A chat tool's incoming-webhook URL; each post is signed with ``secret`` (HMAC-SHA256)."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=400)
    secret = models.CharField(max_length=200, help_text="Shared with the receiver, which verifies each post.")
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Empty: the client's channel (every notice). Set: this partner's notices that are not client-only.",
    )
    kinds = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated kind prefixes, e.g. 'governance.'; empty: every kind."
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str, provider_id: int | None, client_only: bool) -> bool:
        if not self.active:
            return False
        if self.provider_id is not None and (client_only or provider_id != self.provider_id):
            return False
        prefixes = [k.strip() for k in self.kinds.split(",") if k.strip()]
        return not prefixes or any(kind.startswith(p) for p in prefixes)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.webhook} #{self.pk} ({self.status})"
