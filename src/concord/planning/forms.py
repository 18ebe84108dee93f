"""Planning forms: they only validate; the selectors and services compute and write."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
from django import forms

from concord.providers.models import CHANNELS, ContactType, Program
from concord.web.forms import Form, ServiceModelForm

from . import selectors
from .models import Grain, PlanningEvent
from .selectors import WEEKDAY_WEIGHTS, StaffingInput

_PERCENT = "In percent: 80 means 80%."
_DEFAULT = StaffingInput(volume=0, interval_minutes=30, aht_seconds=0)  # the defaults CLI and API share


class StaffingForm(Form):
    """The options of ``concord staffing erlang-c`` (and ``erlang-a`` when patience is given).

    Ranges are checked once, in the person's terms, by ``selectors.validate_staffing``."""

    volume = forms.FloatField(label="Calls offered per interval (calls)", min_value=0, initial=100)
    interval_minutes = forms.TypedChoiceField(
        label="Interval length (minutes)",
        choices=[(m, m) for m in (5, 10, 15, 30, 60)],
        coerce=float,
        initial=30,
    )
    aht_seconds = forms.FloatField(label="Average handle time (seconds)", min_value=0, initial=180)
    target_sl = forms.FloatField(label="Service-level target (%)", help_text=_PERCENT, initial=_DEFAULT.target_sl)
    target_seconds = forms.FloatField(label="Answered within (seconds)", initial=_DEFAULT.target_seconds)
    max_occupancy = forms.FloatField(
        label="Maximum occupancy (%)",
        required=False,
        help_text=f"Optional; empty: no cap. {_PERCENT}",
        initial=_DEFAULT.max_occupancy,
    )
    target_asa = forms.FloatField(label="ASA target (seconds)", required=False, help_text="Optional.")
    shrinkage = forms.FloatField(
        label="Shrinkage (%)",
        initial=_DEFAULT.shrinkage,
        help_text="Paid time off the phones (breaks, training, absence), from 0 up to but not 100%. " + _PERCENT,
    )
    patience_seconds = forms.FloatField(
        label="Mean caller patience (seconds)",
        required=False,
        help_text=(
            "Optional. Given: Erlang A, with callers who abandon. Empty: Erlang C. Under Erlang A the service "
            "level is calls answered within the answer time / all calls offered: every abandoned call counts "
            "against it, unless a short-abandon threshold is given."
        ),
    )
    short_abandon_seconds = forms.FloatField(
        label="Short abandons (seconds)",
        required=False,
        min_value=0,
        help_text=(
            "Optional, Erlang A only. Calls abandoned within this many seconds are left out: service level = "
            "answered within the answer time / (offered - abandoned within this)."
        ),
    )
    agents = forms.IntegerField(
        label="Evaluate this agent count", required=False, min_value=0, help_text="Optional: figures for a given count."
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            selectors.validate_staffing(self.staffing_input())
        except ValueError as exc:
            field, message = selectors.engine_error_field(exc)
            self.add_error(field if field in self.fields else None, message)
        return data

    def staffing_input(self) -> StaffingInput:
        """The validated input; call after is_valid()."""
        return StaffingInput(**{name: self.cleaned_data.get(name) for name in StaffingInput.__dataclass_fields__})


class ProfileForm(Form):
    """A week of volume for the intraday heatmap: a preset shape, or pasted numbers."""

    PRESET = "preset"
    PASTED = "pasted"
    source = forms.ChoiceField(
        label="Day profile",
        choices=[
            (PRESET, "Typical service desk, 08:00-20:00 (busiest interval = the calls per interval above)"),
            (PASTED, "Pasted below"),
        ],
        initial=PRESET,
        required=False,  # a query without it (an API-style link) gets the preset
    )
    profile = forms.CharField(
        label="Calls per interval",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "08:00, 40\n08:30, 55\n09:00, 80"}),
        help_text=(
            "One line per interval: an optional start time, then one number (scaled Monday to Sunday by "
            f"{', '.join(f'{w:g}' for w in WEEKDAY_WEIGHTS)}) or seven numbers, Monday to Sunday."
        ),
    )
    day_start = forms.TimeField(
        label="First line starts at", initial=dt.time(8, 0), required=False, help_text="For lines without a time."
    )

    def __init__(self, *args, interval_minutes: float | None = None, peak_volume: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.interval_minutes = interval_minutes
        self.peak_volume = peak_volume

    def clean(self):
        """Adds ``labels`` and ``volume`` (intervals x 7) once the interval length is known."""
        data = super().clean()
        source = data["source"] = data.get("source") or self.PRESET
        if source == self.PASTED and not (data.get("profile") or "").strip():
            self.add_error("profile", "Paste the calls per interval, or choose the typical profile.")
        elif self.interval_minutes and source == self.PRESET:
            data["labels"], data["volume"] = selectors.preset_profile(self.interval_minutes, self.peak_volume)
        elif self.interval_minutes and source == self.PASTED:
            try:
                data["labels"], data["volume"] = parse_profile(
                    data["profile"], self.interval_minutes, data.get("day_start")
                )
            except forms.ValidationError as exc:
                self.add_error("profile", exc)
        return data


_SPLIT = re.compile(r"[,;\s]+")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_profile(text: str, interval_minutes: float, day_start: dt.time | None) -> tuple[list[str], np.ndarray]:
    """Lines of ``[HH:MM] v`` or ``[HH:MM] v1 ... v7``; ValidationError names the line."""
    per_day = round(24 * 60 / interval_minutes)
    start = (day_start or dt.time(8, 0)).hour * 60 + (day_start or dt.time(8, 0)).minute
    labels, rows = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = [t for t in _SPLIT.split(line.strip()) if t]
        if not tokens or tokens[0].startswith("#"):
            continue
        label = None
        time = _TIME.match(tokens[0])
        if time:
            hours, minutes = int(time.group(1)), int(time.group(2))
            if hours > 23 or minutes > 59:
                raise forms.ValidationError(f"Line {number}: {tokens[0]} is not a time of day.")
            label = f"{hours:02d}:{minutes:02d}"
            tokens = tokens[1:]
        try:
            values = [float(t) for t in tokens]
        except ValueError:
            raise forms.ValidationError(f"Line {number}: {' '.join(tokens)!r} is not a list of numbers.") from None
        if len(values) not in (1, 7):
            raise forms.ValidationError(f"Line {number}: expected 1 or 7 numbers, found {len(values)}.")
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise forms.ValidationError(f"Line {number}: call volumes must be numbers of 0 or more.")
        if rows and len(values) != len(rows[0]):
            raise forms.ValidationError(f"Line {number}: every line needs as many numbers as the first one.")
        if label is None:
            label = selectors.interval_labels(interval_minutes, 1, start + len(rows) * interval_minutes)[0]
        labels.append(label)
        rows.append(values)
    if not rows:
        raise forms.ValidationError("No numbers found.")
    if len(rows) > per_day:
        raise forms.ValidationError(
            f"{len(rows)} lines: a day has only {per_day} intervals of {interval_minutes:g} minutes."
        )
    if len(set(labels)) != len(labels):
        raise forms.ValidationError("Two lines start at the same time.")
    matrix = np.array(rows, dtype=float)
    if matrix.shape[1] == 1:
        matrix = np.outer(matrix[:, 0], WEEKDAY_WEIGHTS)
    return labels, matrix


class ForecastForm(Form):
    """What ``concord forecast`` takes: a program (optionally one contact type / channel), a grain, a horizon."""

    program = forms.ModelChoiceField(queryset=Program.objects.none())
    contact_type = forms.ModelChoiceField(
        queryset=ContactType.objects.none(), required=False, help_text="Optional: one contact type of the program."
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *CHANNELS], required=False)
    grain = forms.ChoiceField(choices=Grain.choices, initial=Grain.MIN30)
    horizon_days = forms.IntegerField(
        label="Horizon (days)",
        min_value=1,
        max_value=366,
        initial=14,
        help_text="Calendar days after the last day of history (closed days count; they have no intervals).",
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["contact_type"].queryset = ContactType.objects.filter(program__in=programs).select_related(
            "program"
        )

    def clean(self):
        data = super().clean()
        ct, program = data.get("contact_type"), data.get("program")
        if ct is not None and program is not None and ct.program_id != program.pk:
            self.add_error("contact_type", "That contact type belongs to another program.")
        return data


_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanningEventForm(ServiceModelForm, forms.ModelForm):
    class Meta:
        model = PlanningEvent
        fields = ("program", "name", "start", "end", "kind", "value")
        widgets = {"start": _LOCAL, "end": _LOCAL}
        help_texts = {"start": "Local time of the reporting zone.", "end": "Exclusive."}

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        if data.get("kind") == PlanningEvent.Kind.MULTIPLICATIVE and (data.get("value") or 0) < 0:
            self.add_error("value", "A factor cannot be negative.")
        return data


class OverrideForm(Form):
    period_start = forms.TypedChoiceField(label="Interval", coerce=str)
    value = forms.FloatField(label="Contacts", min_value=0)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the forecast is wrong here.")

    def __init__(self, *args, points, **kwargs):
        """``points``: [(aware datetime, label)] of the forecast's intervals."""
        super().__init__(*args, **kwargs)
        self._by_key = {when.isoformat(): when for when, _ in points}
        self.fields["period_start"].choices = [(when.isoformat(), label) for when, label in points]

    def clean_period_start(self):
        return self._by_key[self.cleaned_data["period_start"]]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why.")
        return reason


class ForecastStaffingForm(StaffingForm):
    """Handle time and targets to staff a forecast: volume and interval come from the forecast."""

    volume = None
    interval_minutes = None
    agents = None

    def staffing_input(self) -> StaffingInput:
        d = self.cleaned_data
        names = [n for n in StaffingInput.__dataclass_fields__ if n not in ("volume", "interval_minutes", "agents")]
        return StaffingInput(volume=0.0, interval_minutes=30.0, **{n: d.get(n) for n in names})


class AssignVolumeForm(Form):
    """The client gives one provider serving the program a share of a forecast version's volume."""

    provider = forms.ModelChoiceField(queryset=None, label="Provider")
    share = forms.FloatField(
        label="Share of the forecast's volume (%)", min_value=0, max_value=100, help_text="In percent: 40 means 40%."
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class CommitmentForm(Form):
    """A provider's lead answers its assigned volume with the FTE it commits to staff."""

    fte = forms.FloatField(label="FTE you commit to staff (FTE)", min_value=0, help_text="Full-time equivalents.")
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: hiring under way, a site opening, a limit the client should know.",
    )  # fmt: skip
