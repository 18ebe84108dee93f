"""Ingest runs (one per file, API batch or CLI call) and saved source profiles.

The lake holds the facts; these rows hold what happened to each load: who,
when, which file and profile, counts, lake versions and progress for the UI.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from concord.jobs.models import Job

profile_name_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,63}$",
    "Use 1-64 lower-case letters, digits, dashes or underscores, starting with a letter or digit.",
)


class IngestRun(Job):
    class Via(models.TextChoices):
        UPLOAD = "upload", "Web upload"
        API = "api", "API batch"
        CLI = "cli", "Command line"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_runs"
    )
    started_by_name = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
    via = models.CharField(max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    file_name = models.CharField(max_length=255, help_text="The name the file had when it was sent.")
    file_path = models.CharField(max_length=1000, blank=True, help_text="Where the received file is kept.")
    file_sha256 = models.CharField(max_length=64, blank=True)
    profile_name = models.CharField(max_length=64)
    #: the profile as it was used, so a run can be re-run or explained later
    profile_definition = models.JSONField(null=True, blank=True)
    table = models.CharField(max_length=32, blank=True)
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ingest_runs",
        help_text="Every row is bound to this provider; rows naming another one are rejected.",
    )
    dry_run = models.BooleanField(default=False)

    read = models.PositiveBigIntegerField(default=0)
    accepted = models.PositiveBigIntegerField(default=0)
    rejected = models.PositiveBigIntegerField(default=0)
    #: rows that are not facts (deleted or sample tickets, superseded versions): read, neither accepted nor rejected
    skipped = models.PositiveBigIntegerField(default=0)
    #: why rows were skipped: {reason: count}
    skip_reasons = models.JSONField(default=dict, blank=True)
    inserted = models.PositiveBigIntegerField(default=0)
    updated = models.PositiveBigIntegerField(default=0)
    unchanged = models.PositiveBigIntegerField(default=0)
    version_before = models.BigIntegerField(null=True, blank=True)
    version_after = models.BigIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    new_agents = models.JSONField(default=list, blank=True)
    #: the first rejected rows: [{"row", "column", "reason"}]; the quarantine file has them all
    rejections = models.JSONField(default=list, blank=True)
    quarantine_path = models.CharField(max_length=1000, blank=True)

    progress_rows = models.PositiveBigIntegerField(default=0)
    progress_bytes = models.PositiveBigIntegerField(default=0)
    progress_total_bytes = models.PositiveBigIntegerField(default=0)
    #: rows the file probably holds (size / average line length of its start); 0 when unknown
    progress_total_rows = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["provider", "-created_at"]), models.Index(fields=["file_sha256"])]

    def __str__(self) -> str:
        return f"Ingest run {self.pk} ({self.file_name})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        # readers run ahead of the rows they have validated, so rows say more than bytes
        if self.progress_total_rows:
            return min(99, round(100 * self.progress_rows / self.progress_total_rows))
        if not self.progress_total_bytes:
            return 0
        return min(99, round(100 * self.progress_bytes / self.progress_total_bytes))

    @property
    def nothing_accepted(self) -> bool:
        """Every row read was rejected: the run failed, however orderly its end."""
        return self.status == self.Status.FAILED and self.read > 0 and self.accepted == 0 and self.rejected == self.read

    @property
    def status_label(self) -> str:
        if self.nothing_accepted:
            return f"Failed: 0 of {self.read:,} row{'s' if self.read != 1 else ''} accepted"
        return self.get_status_display()

    @property
    def has_quarantine(self) -> bool:
        return bool(self.quarantine_path) and self.rejected > 0


class SavedProfile(models.Model):
    """A source profile a person defined in the UI (no code): the same data a YAML profile holds."""

    name = models.CharField(max_length=64, unique=True, validators=[profile_name_validator])
    table = models.CharField(max_length=32, editable=False)
    description = models.CharField(max_length=300, blank=True)
    definition = models.JSONField(help_text="The profile: table, format, columns, time zone, value maps.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .engine.profiles import ProfileError, profile_from_dict

        if not isinstance(self.definition, dict):
            raise ValidationError({"definition": "The profile must be a mapping of keys to values."})
        data = {"format": "csv", **self.definition, "name": self.name}
        try:
            profile = profile_from_dict(data)
        except ProfileError as exc:
            raise ValidationError({"definition": exc.problems}) from None
        self.table = profile.table
        self.definition = data
