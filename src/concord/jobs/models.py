"""What every background job row shares (``Job``), and the workers' own sign of life (``Worker``).

Ingest runs, forecasts (and later packs and recomputations) are rows a page
creates queued and a worker fills in. Their status, times, heartbeat, attempts
and the worker that holds them are the same fields with the same meaning
everywhere; ``concord.jobs.lifecycle`` is the only code that moves them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: last sign of life of the process running it; a running job silent for long was killed with it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: the worker holding it ("" when run in the foreground: the CLI, an API request)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times it was started.")

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Worker(models.Model):
    """One running task worker (``manage.py concord_worker``); it beats while it lives."""

    name = models.CharField(max_length=100, unique=True, help_text="host:pid")
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.name
