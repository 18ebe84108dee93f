"""Planning forms: they only validate; the selectors and services compute and write."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
from django import forms

from concord.providers.models import CHANNELS, ContactType, Program
from concord.web.forms import ServiceModelForm

from . import selectors
from .models import Grain, PlanningEvent
from .selectors import WEEKDAY_WEIGHTS, StaffingInput

_SHARE = "A share between 0 and 1, e.g. 0.80 for 80%."


class StaffingForm(forms.Form):
    """The options of ``concord staffing erlang-c`` (and ``erlang-a`` when patience is given)."""

    volume = forms.FloatField(label="Calls offered per interval", min_value=0, initial=100)
    interval_minutes = forms.TypedChoiceField(
        label="Interval length (minutes)",
        choices=[(m, m) for m in (5, 10, 15, 30, 60)],
        coerce=float,
        initial=30,
    )
    aht_seconds = forms.FloatField(label="Average handle time (seconds)", min_value=0, initial=180)
    target_sl = forms.FloatField(label="Service-level target", help_text=_SHARE, initial=0.8)
    target_seconds = forms.FloatField(label="Answered within (seconds)", min_value=0, initial=20)
    max_occupancy = forms.FloatField(
        label="Maximum occupancy", required=False, help_text=f"Optional. {_SHARE}", initial=0.85
    )
    target_asa = forms.FloatField(label="ASA target (seconds)", required=False, help_text="Optional.")
    shrinkage = forms.FloatField(
        label="Shrinkage",
        initial=0.3,
        help_text="Share of paid time off the phones (breaks, training, absence), from 0 up to but not 1.",
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


class ProfileForm(forms.Form):
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


class ForecastForm(forms.Form):
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


class OverrideForm(forms.Form):
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


_PROVIDER_FIELDS = (
    ("include", "Include"),
    ("rate", "Cost per FTE-week"),
    ("capacity", "Capacity (FTE)"),
    ("min_share", "Min share"),
    ("max_share", "Max share"),
    ("quality", "Quality index"),
    ("languages", "Languages"),
    ("headcount", "Agents now"),
    ("attrition", "Annual attrition"),
    ("hours", "Hours covered"),
)


def _parse_demand(text: str) -> dict[str, float]:
    demand: dict[str, float] = {}
    for part in re.split(r"[,;\n]+", text or ""):
        if not part.strip():
            continue
        lang, sep, value = part.partition("=")
        lang = lang.strip().lower()
        if not sep or not re.fullmatch(r"[a-z]{2}", lang):
            raise forms.ValidationError(f"{part.strip()!r}: write each language as code=FTE, e.g. en=120.")
        try:
            fte = float(value)
        except ValueError:
            raise forms.ValidationError(f"{part.strip()!r}: {value.strip()!r} is not a number.") from None
        if not np.isfinite(fte) or fte < 0:
            raise forms.ValidationError(f"{part.strip()!r}: FTE must be 0 or more.")
        demand[lang] = demand.get(lang, 0.0) + fte
    if not demand:
        raise forms.ValidationError("Give the FTE needed per language, e.g. en=120, es=40.")
    return demand


class AllocationForm(forms.Form):
    """Workload, providers' terms and the what-ifs; one row of inputs per provider."""

    demand = forms.CharField(label="FTE needed per language", initial="en=100", help_text="e.g. en=120, es=40")
    demand_hours = forms.CharField(
        label="Hours the work needs covering",
        initial="24/7",
        required=False,
        help_text="24/7 or HH-HH on the reporting zone's clock, e.g. 08-20; the FTE is needed evenly over them.",
    )
    quality_floor = forms.FloatField(
        label="Quality floor", required=False, help_text="Providers below this quality index get no work. Optional."
    )
    volume_up = forms.FloatField(label="Volume what-if (% more)", initial=30, min_value=-90, max_value=500)
    lost_provider = forms.ChoiceField(label="Provider that loses capacity", required=False)
    lost_share = forms.FloatField(label="Capacity it loses (%)", initial=50, min_value=0, max_value=100)
    weeks = forms.IntegerField(label="Hiring plan weeks", initial=26, min_value=1, max_value=104)
    training_weeks = forms.IntegerField(label="Training weeks", initial=4, min_value=0, max_value=26)
    ramp = forms.CharField(label="Proficiency ramp after training", initial="0.5, 0.75, 0.9", required=False)
    training_cost = forms.FloatField(label="Training cost per hire", initial=2000, min_value=0)

    def __init__(self, *args, defaults: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        self.fields["lost_provider"].choices = [("", "None")] + [
            (d["provider"].code, d["provider"].name) for d in defaults
        ]
        vendors = [d for d in defaults if d["provider"].kind != "internal"]
        self.fields["lost_provider"].initial = vendors[0]["provider"].code if vendors else ""
        self.rows = []
        for d in defaults:
            p = d["provider"]
            attrition = d["annual_attrition"]
            initial = {
                "include": True,
                "rate": 1400.0 if p.kind == "internal" else 950.0,
                "capacity": d["capacity"],
                "min_share": 0.0,
                "max_share": 1.0,
                "quality": d["quality"] if d.get("quality") is not None else 100.0,
                "languages": d["languages"],
                "headcount": d["headcount"],
                "attrition": round(attrition, 3) if attrition is not None else 0.35,
                "hours": "24/7",
            }
            names = []
            for key, label in _PROVIDER_FIELDS:
                name = f"p{p.pk}_{key}"
                attrs = {"aria-label": f"{label}: {p.name}"}
                if key == "include":
                    field = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs=attrs))
                elif key == "languages":
                    field = forms.CharField(widget=forms.TextInput(attrs={**attrs, "size": 8}))
                elif key == "hours":
                    field = forms.CharField(required=False, widget=forms.TextInput(attrs={**attrs, "size": 6}))
                elif key == "headcount":
                    field = forms.IntegerField(min_value=0, widget=forms.NumberInput(attrs={**attrs, "step": 1}))
                elif key in ("min_share", "max_share", "attrition"):
                    field = forms.FloatField(
                        min_value=0, max_value=1 if key != "attrition" else 0.99,
                        widget=forms.NumberInput(attrs={**attrs, "step": "0.01"}),
                    )  # fmt: skip
                else:
                    field = forms.FloatField(min_value=0, widget=forms.NumberInput(attrs={**attrs, "step": "any"}))
                field.label = f"{label} ({p.name})"
                field.initial = initial[key]
                self.fields[name] = field
                names.append(name)
            self.rows.append(
                {"provider": p, "names": names, "quality_note": d.get("quality_note", ""), "timezone": d["timezone"]}
            )

    def provider_rows(self):
        return [
            {
                "provider": r["provider"],
                "fields": [self[n] for n in r["names"]],
                "quality_note": r["quality_note"],
                "timezone": r["timezone"],
            }
            for r in self.rows
        ]

    def clean_demand_hours(self):
        try:
            return selectors.parse_hours(self.cleaned_data.get("demand_hours"))
        except ValueError as exc:
            raise forms.ValidationError(str(exc).capitalize() + ".") from None

    def clean_demand(self):
        return _parse_demand(self.cleaned_data["demand"])

    def clean_ramp(self):
        text = self.cleaned_data.get("ramp") or ""
        try:
            ramp = tuple(float(x) for x in re.split(r"[,\s]+", text.strip()) if x)
        except ValueError:
            raise forms.ValidationError("The ramp is a list of proficiencies, e.g. 0.5, 0.75, 0.9.") from None
        if any(not 0 < r <= 1 for r in ramp):
            raise forms.ValidationError("Each proficiency is above 0 and at most 1.")
        return ramp

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        included = [r for r in self.rows if data.get(r["names"][0])]
        if not included:
            raise forms.ValidationError("Include at least one provider.")
        for r in self.rows:
            name = f"p{r['provider'].pk}_hours"
            try:
                data[name] = selectors.parse_hours(data.get(name))
            except ValueError as exc:
                self.add_error(name, f"{r['provider'].name}: {exc}.")
        for r in included:
            p = r["provider"]
            if data[f"p{p.pk}_min_share"] > data[f"p{p.pk}_max_share"]:
                self.add_error(f"p{p.pk}_min_share", f"{p.name}: the minimum share is above the maximum.")
        return data

    def terms(self) -> list[selectors.ProviderTerms]:
        """Each included provider's terms; its hours, entered on its site's clock, moved to the reporting zone's."""
        from django.conf import settings
        from django.utils import timezone as tz

        d = self.cleaned_data
        zone = str(settings.REPORTING_TIMEZONE)
        today = tz.localdate()
        out = []
        for r in self.rows:
            p = r["provider"]
            if not d.get(f"p{p.pk}_include"):
                continue
            langs = frozenset(c.strip().lower() for c in d[f"p{p.pk}_languages"].split(",") if c.strip())
            out.append(
                selectors.ProviderTerms(
                    provider_id=p.pk,
                    name=p.code,
                    rate=d[f"p{p.pk}_rate"],
                    capacity=d[f"p{p.pk}_capacity"],
                    languages=langs,
                    quality_index=d[f"p{p.pk}_quality"],
                    min_share=d[f"p{p.pk}_min_share"],
                    max_share=d[f"p{p.pk}_max_share"],
                    headcount=d[f"p{p.pk}_headcount"],
                    annual_attrition=d[f"p{p.pk}_attrition"],
                    hours=selectors.shift_hours(d.get(f"p{p.pk}_hours"), r["timezone"], zone, today),
                )
            )
        return out

    def outcome(self) -> dict:
        """The scenarios solved side by side and, when the base is feasible, each provider's hiring plan."""
        d = self.cleaned_data
        terms = self.terms()
        floor = d["quality_floor"]
        comparison = selectors.compare_allocations(
            d["demand"], terms, self.scenarios(), quality_floor=floor, demand_hours=d.get("demand_hours")
        )
        base = comparison["results"][0]
        plans = None
        if base.feasible:
            plans = selectors.hiring_plans(
                base, terms, weeks=d["weeks"], training_weeks=d["training_weeks"], ramp=d["ramp"],
                training_cost=d["training_cost"],
            )  # fmt: skip
        return {"terms": terms, "comparison": comparison, "plans": plans}

    @classmethod
    def from_json(cls, payload: dict, *, defaults: list[dict]) -> AllocationForm:
        """The API's JSON as this form's data: the page's defaults, then what the payload gives.

        ``{"demand": {"en": 120} or "en=120", "quality_floor", "volume_up", "lost_provider",
        "lost_share", "weeks", "training_weeks", "ramp": [0.5, 0.75] or "0.5, 0.75", "training_cost",
        "providers": [{"provider": CODE, "rate", "capacity", "min_share", "max_share", "quality",
        "languages": ["en"] or "en,es", "headcount", "attrition", "hours": "08-20"}], "demand_hours": "24/7"}``.
        Quality defaults to the provider's scorecard index for the last full month. When ``providers`` is
        given, only the providers listed are included."""
        data = _form_initial(cls(defaults=defaults))
        for key in ("quality_floor", "volume_up", "lost_provider", "lost_share", "weeks", "training_weeks",
                    "training_cost", "demand_hours"):  # fmt: skip
            if key in payload:
                data[key] = "" if payload[key] is None else payload[key]
        if "demand" in payload:
            demand = payload["demand"]
            data["demand"] = ", ".join(f"{k}={v}" for k, v in demand.items()) if isinstance(demand, dict) else demand
        if "ramp" in payload:
            ramp = payload["ramp"]
            data["ramp"] = ", ".join(str(r) for r in ramp) if isinstance(ramp, list | tuple) else ramp
        by_code = {d["provider"].code: d["provider"] for d in defaults}
        given = payload.get("providers")
        unknown = []
        if given is not None:
            for d in defaults:
                data[f"p{d['provider'].pk}_include"] = False
            for row in given:
                p = by_code.get(str(row.get("provider")))
                if p is None:
                    unknown.append(str(row.get("provider")))
                    continue
                data[f"p{p.pk}_include"] = True
                for key, _label in _PROVIDER_FIELDS[1:]:
                    if key in row:
                        value = row[key]
                        data[f"p{p.pk}_{key}"] = ",".join(value) if isinstance(value, list | tuple) else value
        form = cls(data, defaults=defaults)
        form.unknown_providers = unknown
        return form

    def api_errors(self) -> dict:
        """Errors keyed by the JSON names: providers.CODE.field for a provider's input."""
        names = {f"p{r['provider'].pk}_{key}": f"providers.{r['provider'].code}.{key}"
                 for r in self.rows for key, _ in _PROVIDER_FIELDS}  # fmt: skip
        out = {names.get(k, k): list(v) for k, v in self.errors.items()}
        if getattr(self, "unknown_providers", None):
            out["providers"] = [f"No such provider (or not yours to plan): {', '.join(self.unknown_providers)}."]
        return out

    def scenarios(self) -> list[selectors.ScenarioSpec]:
        d = self.cleaned_data
        out = [selectors.ScenarioSpec("Base")]
        if d["volume_up"]:
            out.append(selectors.ScenarioSpec(f"Volume {d['volume_up']:+g}%", 1 + d["volume_up"] / 100))
        lost = d.get("lost_provider")
        if lost and d["lost_share"]:
            out.append(
                selectors.ScenarioSpec(
                    f"{lost} loses {d['lost_share']:g}% capacity", 1.0, {lost: 1 - d["lost_share"] / 100}
                )
            )
        return out


class ForecastStaffingForm(StaffingForm):
    """Handle time and targets to staff a forecast: volume and interval come from the forecast."""

    volume = None
    interval_minutes = None
    agents = None

    def staffing_input(self) -> StaffingInput:
        d = self.cleaned_data
        names = [n for n in StaffingInput.__dataclass_fields__ if n not in ("volume", "interval_minutes", "agents")]
        return StaffingInput(volume=0.0, interval_minutes=30.0, **{n: d.get(n) for n in names})


def _form_initial(form) -> dict:
    """A form's initial values as submitted data (times as HH:MM)."""
    out = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is not None:
            out[form.add_prefix(name)] = value.strftime("%H:%M") if hasattr(value, "strftime") else value
    return out
