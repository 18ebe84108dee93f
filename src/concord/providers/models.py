from __future__ import annotations

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from concord.metrics import calendars

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$",
    "Use 1-32 letters, digits, dots, dashes or underscores, starting with a letter or digit.",
)
CHANNELS = [
    ("voice", "Voice"),
    ("chat", "Chat"),
    ("email", "Email"),
    ("messaging", "Messaging"),
    ("social", "Social"),
    ("back_office", "Back office"),
]


class Provider(models.Model):
    """A partner (vendor) or one of the client's internal teams, measured the same way."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", "Partner (vendor)"
        INTERNAL = "internal", "Internal team"

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ONBOARDING = "onboarding", "Onboarding"
        ACTIVE = "active", "Active"
        EXITING = "exiting", "Exiting"
        INACTIVE = "inactive", "Inactive"

    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=120)
    legal_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VENDOR)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone such as Europe/Madrid.")


def validate_business_hours(value: str) -> None:
    try:
        calendars.parse_week(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def validate_holidays(value: str) -> None:
    try:
        calendars.parse_holidays(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class Site(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sites")
    code = models.CharField(max_length=32, validators=[code_validator])
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=120)
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2 code, e.g. PH.")
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    languages = models.CharField(max_length=100, blank=True, help_text="ISO 639-1 codes, comma separated.")
    seats = models.PositiveIntegerField(default=0)
    business_hours = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_business_hours],
        help_text="Opening hours in the site's time zone, e.g. Mon-Fri 09:00-18:00; Sat 10:00-14:00. "
        "Empty: open round the clock. Business-hours first response and resolution count only these.",
    )
    holidays = models.TextField(
        blank=True,
        validators=[validate_holidays],
        help_text="Days the site is closed, YYYY-MM-DD, separated by commas or lines.",
    )

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="site_code_unique_per_provider")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def clean(self) -> None:
        self.country = (self.country or "").upper()
        self.languages = ",".join(code.lower() for code in self.language_list)

    def calendar(self) -> calendars.BusinessCalendar | None:
        """The site's business calendar; None when it keeps no opening hours (open round the clock)."""
        return calendars.calendar_from_text(self.timezone, self.business_hours, self.holidays)


class Team(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="teams")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="teams")
    code = models.CharField(max_length=32, validators=[code_validator])
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="team_code_unique_per_provider")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.site_id and self.provider_id and self.site.provider_id != self.provider_id:
            raise ValidationError({"site": "The site belongs to another provider."})


class Agent(models.Model):
    """One person on the roster."""

    class Role(models.TextChoices):
        AGENT = "agent", "Agent"
        TEAM_LEAD = "team_lead", "Team lead"
        QA = "qa", "QA analyst"
        TRAINER = "trainer", "Trainer"

    class Status(models.TextChoices):
        IN_TRAINING = "in_training", "In training"
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        EXITED = "exited", "Exited"

    class ExitReason(models.TextChoices):
        VOLUNTARY = "voluntary", "Voluntary"
        INVOLUNTARY = "involuntary", "Involuntary"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="agents")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="agents")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="agents")
    employee_id = models.CharField(max_length=64, help_text="The provider's own id for this person.")
    display_name = models.CharField(max_length=120)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AGENT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    hire_date = models.DateField()
    exit_date = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=12, choices=ExitReason.choices, blank=True)

    class Meta:
        ordering = ["provider__name", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "employee_id"], name="agent_employee_id_unique_per_provider")
        ]
        indexes = [models.Index(fields=["provider", "hire_date", "exit_date"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.employee_id})"

    def clean(self) -> None:
        errors = {}
        if self.site_id and self.provider_id and self.site.provider_id != self.provider_id:
            errors["site"] = "The site belongs to another provider."
        if self.team_id and self.provider_id and self.team.provider_id != self.provider_id:
            errors["team"] = "The team belongs to another provider."
        if self.exit_date and self.hire_date and self.exit_date < self.hire_date:
            errors["exit_date"] = "The exit date is before the hire date."
        if self.exit_date and not self.exit_reason:
            errors["exit_reason"] = "Say whether the exit was voluntary or involuntary."
        if self.exit_reason and not self.exit_date:
            errors["exit_date"] = "An exit reason needs an exit date."
        if errors:
            raise ValidationError(errors)


class AgentExternalId(models.Model):
    """How one agent is named in each source system (ACD login, helpdesk user id, ...)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="external_ids")
    #: the agent's provider, kept here so that an id is unique per provider: one partner's ids neither
    #: block another's nor tell it which ids the other uses
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "source", "external_id"], name="agent_external_id_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Program(models.Model):
    """A line of business served by one or more providers."""

    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    providers = models.ManyToManyField(Provider, blank=True, related_name="programs")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactType(models.Model):
    class Complexity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="contact_types")
    code = models.CharField(max_length=32, validators=[code_validator])
    name = models.CharField(max_length=120)
    channel = models.CharField(max_length=12, choices=CHANNELS)
    complexity = models.CharField(max_length=8, choices=Complexity.choices, default=Complexity.MEDIUM)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["program__name", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="contact_type_code_unique_per_program")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"
