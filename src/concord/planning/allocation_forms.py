"""The allocation page's form: providers, their capacity, shares, costs, hours and quality, and the scenarios."""

from __future__ import annotations

import re

import numpy as np
from django import forms

from concord.web.forms import Form

from . import selectors

_PROVIDER_FIELDS = (
    ("include", "Include"),
    ("rate", "Cost per FTE-week"),
    ("capacity", "Capacity (FTE)"),
    ("min_share", "Min share (%)"),
    ("max_share", "Max share (%)"),
    ("quality", "Quality index"),
    ("languages", "Languages"),
    ("headcount", "Agents now"),
    ("attrition", "Annual attrition (%)"),
    ("hours", "Hours covered"),
)
#: Typed and shown in percent (80 means 80%); the engine gets shares.
_PERCENT_FIELDS = ("min_share", "max_share", "attrition")
#: The default scenario keeps every current partner warm with this minimum share (%), so that
#: a tie or a small saving never drops a partner to nothing without the planner choosing it.
WARM_SHARE = 5.0


def parse_demand(text: str) -> dict[str, float]:
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


class AllocationForm(Form):
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
    ramp_source = forms.ChoiceField(
        label="Ramp used",
        choices=[
            ("measured", "Each provider's measured ramp where there is enough data, else the typed one"),
            ("typed", "The typed ramp for every provider"),
        ],
        initial="measured",
        required=False,  # left out (an older link, the API): measured
        help_text="Measured: AHT by week of tenure of the provider's hiring cohorts against the internal median.",
    )
    training_cost = forms.FloatField(label="Training cost per hire", initial=2000, min_value=0)

    def __init__(self, *args, defaults: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        self.fields["lost_provider"].choices = [("", "No provider loses capacity")] + [
            (d["provider"].code, d["provider"].name) for d in defaults
        ]
        vendors = [d for d in defaults if d["provider"].kind != "internal"]
        self.fields["lost_provider"].initial = vendors[0]["provider"].code if vendors else ""
        self.rows = []
        demand_languages = set(parse_demand(self.fields["demand"].initial))
        for d in defaults:
            p = d["provider"]
            attrition = d["annual_attrition"]
            partner = p.kind != "internal" and d["capacity"] > 0
            warm = partner and bool(demand_languages & set(d["languages"].split(",")))
            initial = {
                "include": True,
                "rate": 1400.0 if p.kind == "internal" else 950.0,
                "capacity": d["capacity"],
                "min_share": WARM_SHARE if warm else 0.0,
                "max_share": 100.0,
                "quality": d["quality"] if d.get("quality") is not None else 100.0,
                "languages": d["languages"],
                "headcount": d["headcount"],
                "attrition": round(attrition * 100, 1) if attrition is not None else 35.0,
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
                elif key in _PERCENT_FIELDS:  # a rate above 100% a year is possible; a share is not
                    field = forms.FloatField(
                        min_value=0, max_value=100 if key != "attrition" else 1000,
                        widget=forms.NumberInput(attrs={**attrs, "step": "any"}),
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
        return parse_demand(self.cleaned_data["demand"])

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
        from concord import reporting

        d = self.cleaned_data
        zone = str(reporting.zone())
        today = reporting.today()
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
                    min_share=d[f"p{p.pk}_min_share"] / 100,
                    max_share=d[f"p{p.pk}_max_share"] / 100,
                    headcount=d[f"p{p.pk}_headcount"],
                    annual_attrition=d[f"p{p.pk}_attrition"] / 100,
                    hours=selectors.shift_hours(d.get(f"p{p.pk}_hours"), r["timezone"], zone, today),
                )
            )
        return out

    def outcome(self, user=None) -> dict:
        """The scenarios solved side by side and, when the base is feasible, each provider's hiring plan
        (with ``user``, on each provider's measured ramp unless the typed one is chosen for all)."""
        d = self.cleaned_data
        terms = self.terms()
        floor = d["quality_floor"]
        comparison = selectors.compare_allocations(
            d["demand"], terms, self.scenarios(), quality_floor=floor, demand_hours=d.get("demand_hours")
        )
        base = comparison["results"][0]
        plans = None
        if base.feasible:
            measured = None
            if user is not None and d.get("ramp_source") != "typed":
                from concord.knowledge.ramp.selectors import measured_ramps

                measured = measured_ramps(user, [t.name for t in terms])
            plans = selectors.hiring_plans(
                base, terms, weeks=d["weeks"], training_weeks=d["training_weeks"], ramp=d["ramp"],
                training_cost=d["training_cost"], measured=measured,
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
                    "training_cost", "demand_hours", "ramp_source"):  # fmt: skip
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


def _form_initial(form) -> dict:
    """A form's initial values as submitted data (times as HH:MM)."""
    out = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is not None:
            out[form.add_prefix(name)] = value.strftime("%H:%M") if hasattr(value, "strftime") else value
    return out
