"""Escalation ladders (per provider) and escalation records with their timers and history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from concord.periods import zone

from .timers import BusinessCalendar

USER = settings.AUTH_USER_MODEL


class EscalationLadder(models.Model):
    """A provider's ladder: its business calendar (for targets in business time), severities and levels."""

    provider = models.OneToOneField("providers.Provider", on_delete=models.PROTECT, related_name="ladder")
    timezone = models.CharField(max_length=64, default="Europe/Madrid", help_text="Business hours are read here.")
    business_start = models.TimeField(default=dt.time(9, 0))
    business_end = models.TimeField(default=dt.time(18, 0))
    business_days = models.CharField(max_length=20, default="0,1,2,3,4", help_text="0 = Monday … 6 = Sunday.")

    def __str__(self) -> str:
        return f"Escalation ladder of {self.provider}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            zone(self.timezone)
            self.calendar()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def calendar(self) -> BusinessCalendar:
        days = frozenset(int(d) for d in self.business_days.split(",") if d.strip())
        return BusinessCalendar(self.timezone, self.business_start, self.business_end, days)


class Severity(models.Model):
    class Basis(models.TextChoices):
        BUSINESS = "business", "Business time"
        CALENDAR = "calendar", "Calendar time"

    ladder = models.ForeignKey(EscalationLadder, on_delete=models.CASCADE, related_name="severities")
    code = models.CharField(max_length=8, help_text="e.g. P1")
    name = models.CharField(max_length=80)
    response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    basis = models.CharField(max_length=8, choices=Basis.choices, default=Basis.BUSINESS)

    class Meta:
        ordering = ["ladder", "code"]
        constraints = [models.UniqueConstraint(fields=["ladder", "code"], name="one_severity_per_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EscalationLevel(models.Model):
    """A rung: who is called at this level (1 = first line)."""

    ladder = models.ForeignKey(EscalationLadder, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(blank=True)
    contact_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["ladder", "number"]
        constraints = [models.UniqueConstraint(fields=["ladder", "number"], name="one_level_per_number")]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name} ({self.contact_name})"


class Escalation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="escalations")
    severity = models.ForeignKey(Severity, on_delete=models.PROTECT, related_name="escalations")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    opened_by_name = models.CharField(max_length=150)
    response_due_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    response_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.severity.code} {self.title}"

    @property
    def breached(self) -> bool:
        return self.response_breached or self.resolution_breached


class EscalationEvent(models.Model):
    """The escalation's history, append-only: opened, acknowledged, updates, breaches, step-ups, resolved."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    actor_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["escalation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
