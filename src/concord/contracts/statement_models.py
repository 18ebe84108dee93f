"""A closed month: the credit statement that froze its results, and the restatements that corrected it.

The statement keeps the figures as billed (lines, totals, lake versions, terms hash)
and is never edited; a later correction is a Restatement beside it, with the
figures before and after and the reason, so the old figures are never lost.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

#: how long the partner has to accept or dispute a statement before both sides are reminded
SIGNOFF_WITHIN = dt.timedelta(days=10)


class Statement(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", "Awaiting the partner's sign-off"
        ACCEPTED = "accepted", "Accepted by the partner"
        DISPUTED = "disputed", "Disputed by the partner"
        RESOLVED = "resolved", "Dispute decided; awaiting the partner's sign-off"

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="statements")
    period = models.DateField(help_text="First day of the month closed.")
    closed_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    closed_by_name = models.CharField(max_length=150)
    lines = models.JSONField(help_text="One line per SLA: target, value, volume, status, allocation, credit.")
    totals = models.JSONField(help_text="Fee and at risk (prorated), credit, earned back, net, capped.")
    lake_versions = models.JSONField(default=dict, help_text="Lake table -> version the frozen results read.")
    terms_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)

    class Meta:
        ordering = ["-period", "contract_id"]
        constraints = [models.UniqueConstraint(fields=["contract", "period"], name="one_statement_per_contract_month")]

    def __str__(self) -> str:
        return f"Credit statement {self.contract.name} {self.period:%Y-%m}"

    @property
    def signoff_due(self):
        return self.closed_at + SIGNOFF_WITHIN

    def signoff_overdue(self, now=None) -> bool:
        """Awaiting the partner past the sign-off period (a decided dispute restarts nothing: still due)."""
        waiting = self.status in (self.Status.ISSUED, self.Status.RESOLVED)
        return waiting and (now or timezone.now()) > self.signoff_due


class Restatement(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="restatements")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_by_name = models.CharField(max_length=150)
    before = models.JSONField(help_text="Lines and totals replaced.")
    after = models.JSONField(help_text="Lines and totals now in force.")

    class Meta:
        ordering = ["statement", "number"]
        constraints = [models.UniqueConstraint(fields=["statement", "number"], name="restatements_numbered_once")]

    def __str__(self) -> str:
        return f"Restatement {self.number} of {self.statement}"


class Dispute(models.Model):
    """The partner contesting named lines of a statement, with a reason; the client's decision."""

    class Decision(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        REJECTED = "rejected", "Rejected"

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="disputes")
    lines = models.JSONField(help_text="The SLA ids disputed.")
    reason = models.TextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by_name = models.CharField(max_length=150)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True, help_text="Shown to both sides.")
    client_note = models.TextField(blank=True, help_text="The client's own note: never shown to the partner.")
    restatement = models.OneToOneField(Restatement, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["statement", "raised_at", "pk"]

    def __str__(self) -> str:
        return f"Dispute {self.pk} of {self.statement}"


class StatementEvent(models.Model):
    """One step of a statement's life (issued, accepted, disputed, decided, restated): who, when, what."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150)
    side = models.CharField(max_length=8, help_text="client or partner")
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.text}"


class DisputeAttachment(models.Model):
    """Evidence the partner attaches to a dispute, kept in the database so any web or worker host
    serves it (no local path). Only types that carry no macros or scripts, checked by content
    (attachments.py); the type stored is the one sniffed, never the one the browser claimed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["dispute", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes) of dispute {self.dispute_id}"

    @property
    def statement(self) -> Statement:
        """The statement it belongs to: it is seen by whoever sees the statement."""
        return self.dispute.statement
