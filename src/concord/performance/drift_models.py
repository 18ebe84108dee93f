"""Drift alerts and the daily scans that raise them (``drift_services``; detector in ``concord.metrics.drift``)."""

from __future__ import annotations

from django.db import models

from concord.jobs.models import Job
from concord.providers.models import Provider


class DriftScan(Job):
    """One run of the daily scan: every provider x scorecard metric, days up to ``through`` (a job row)."""

    through = models.DateField(help_text="The last day scanned (local, the reporting zone).")
    series_checked = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True, help_text="Series that could not be checked, and why.")
    lake_versions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"drift scan through {self.through} ({self.status})"


class DriftAlert(models.Model):
    """A scorecard metric of one provider drifted: the detector alarmed on ``day``.

    ``evidence`` keeps what the chart and the page show (the daily values, the baseline, the CUSUM
    path, the method and its parameters, the lake version read), so an alert reads the same later.
    """

    class Direction(models.TextChoices):
        UP = "up", "Rising"
        DOWN = "down", "Falling"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="drift_alerts")
    line = models.ForeignKey("performance.ScorecardMetric", on_delete=models.CASCADE, related_name="drift_alerts")
    metric_key = models.CharField(max_length=64)
    day = models.DateField(help_text="The day the alarm was raised (local, the reporting zone).")
    since = models.DateField(help_text="The detector's estimate of when the drift began.")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    evidence = models.JSONField(default=dict)
    scan = models.ForeignKey(DriftScan, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "provider__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "line", "day", "direction"], name="drift_alert_once_per_day_and_direction"
            )
        ]

    def __str__(self) -> str:
        direction = self.get_direction_display().lower()
        return f"{self.line.label} {direction} at {self.provider.name}, alarm {self.day:%-d %b %Y}"

    @property
    def label(self) -> str:
        return self.line.label

    @property
    def worse(self) -> bool:
        """Whether the drift is the bad way for this metric (a band watches both ways: both are bad)."""
        kind = self.line.kind
        return kind == "band" or (kind == "higher") == (self.direction == self.Direction.DOWN)
