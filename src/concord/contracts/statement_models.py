"""A closed month: the credit statement that froze its results, and the restatements that corrected it.

The statement keeps the figures as billed (lines, totals, lake versions, terms hash)
and is never edited; a later correction is a Restatement beside it, with the
figures before and after and the reason, so the old figures are never lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Statement(models.Model):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="statements")
    period = models.DateField(help_text="First day of the month closed.")
    closed_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    closed_by_name = models.CharField(max_length=150)
    lines = models.JSONField(help_text="One line per SLA: target, value, volume, status, allocation, credit.")
    totals = models.JSONField(help_text="Fee and at risk (prorated), credit, earned back, net, capped.")
    lake_versions = models.JSONField(default=dict, help_text="Lake table -> version the frozen results read.")
    terms_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-period", "contract_id"]
        constraints = [models.UniqueConstraint(fields=["contract", "period"], name="one_statement_per_contract_month")]

    def __str__(self) -> str:
        return f"Credit statement {self.contract.name} {self.period:%Y-%m}"


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
