"""Forms of the ingest pages: they only validate; services do the work."""

from __future__ import annotations

import json
from zoneinfo import available_timezones

import yaml
from django import forms
from django.conf import settings

from concord.lake.schemas import TABLES
from concord.web.forms import Form

from .engine.profiles import IngestOptions, ProfileError, parse_maps, profile_from_dict
from .models import SavedProfile, profile_name_validator


class UploadForm(Form):
    file = forms.FileField(label="File", help_text="CSV, Parquet, JSON Lines or JSON export, as the profile expects.")
    profile = forms.ChoiceField(label="Source profile", help_text="How the file's columns map onto Concord's facts.")
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=None,
        required=False,
        empty_label="As named in each row",
        help_text="Bind every row to this provider; rows naming another provider are rejected.",
    )
    program = forms.ChoiceField(
        label="Program",
        required=False,
        help_text="Program of rows that name none; Zendesk and Freshdesk exports never name one.",
    )
    contact_type = forms.CharField(
        label="Contact type (code)", max_length=32, required=False, help_text="Contact type of rows that name none."
    )
    timezone = forms.CharField(
        label="Time zone of the file's times",
        max_length=64,
        required=False,
        help_text="IANA name, e.g. America/New_York; used for times written without an offset. "
        "Empty: the provider's site zone, else the reporting zone.",
    )
    value_maps = forms.CharField(
        label="Value maps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40, "spellcheck": "false", "class": "code"}),
        help_text="One COLUMN:SOURCE=VALUE per line, e.g. channel:phone=voice.",
    )
    dry_run = forms.BooleanField(
        label="Dry run (validate only, write nothing)", required=False, help_text="Check the file and see the rejects."
    )

    def __init__(self, *args, profiles: list[tuple[str, str]], providers=None, programs=(), default_zone=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" Up to {settings.INGEST_MAX_UPLOAD_MB:,} MB."
        if default_zone:  # a partner's uploads: their site zone is the default, say which
            self.fields["timezone"].widget.attrs["placeholder"] = f"{default_zone} (your site's zone)"
        self.fields["profile"].choices = profiles
        self.fields["program"].choices = [
            ("", "As named in each row"),
            *((p.code, f"{p.name} ({p.code})") for p in programs),
        ]
        if any(name == "canonical-csv" for name, _ in profiles):
            self.fields["profile"].initial = "canonical-csv"
        if providers is None:  # a partner's upload is always bound to their own provider
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers

    def clean_timezone(self) -> str | None:
        value = self.cleaned_data.get("timezone", "").strip()
        if value and value not in available_timezones():
            raise forms.ValidationError(f"{value!r} is not an IANA time zone; write one such as Europe/Lisbon.")
        return value or None

    def clean_value_maps(self) -> dict:
        lines = [line.strip() for line in self.cleaned_data.get("value_maps", "").splitlines() if line.strip()]
        try:
            return parse_maps(lines)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def options(self) -> IngestOptions:
        data = self.cleaned_data
        return IngestOptions(
            program=data.get("program") or None,
            contact_type=data.get("contact_type") or None,
            timezone=data.get("timezone"),
            maps=data.get("value_maps") or {},
        )


def parse_definition(text: str) -> dict:
    """A profile definition from JSON or YAML text (YAML reads JSON too)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise forms.ValidationError(f"Not valid YAML or JSON{where}: {problem}.") from None
    if not isinstance(data, dict):
        raise forms.ValidationError("The definition must be a mapping (keys such as table, format, columns).")
    return data


class SavedProfileForm(Form):
    name = forms.CharField(
        label="Name", max_length=64, validators=[profile_name_validator], help_text="Lower case, e.g. zendesk-es."
    )
    description = forms.CharField(label="Description", max_length=300, required=False)
    definition = forms.CharField(
        label="Definition (YAML or JSON)",
        widget=forms.Textarea(attrs={"rows": 22, "cols": 80, "spellcheck": "false", "class": "code"}),
        help_text="table, format, timezone, columns: {canonical column: source field or {field, formats, map, ...}}.",
    )

    def __init__(self, *args, instance: SavedProfile | None = None, **kwargs):
        if instance is not None and not kwargs.get("data") and not (args and args[0] is not None):
            definition = {k: v for k, v in instance.definition.items() if k != "name"}
            kwargs["initial"] = {
                "name": instance.name,
                "description": instance.description,
                "definition": yaml.safe_dump(definition, sort_keys=False, allow_unicode=True),
            }
        super().__init__(*args, **kwargs)

    def clean_definition(self) -> dict:
        data = parse_definition(self.cleaned_data["definition"])
        data.pop("name", None)
        try:
            profile_from_dict({"format": "csv", **data, "name": self.data.get("name") or "new"})
        except ProfileError as exc:
            raise forms.ValidationError([f"{p}." if not p.endswith(".") else p for p in exc.problems]) from None
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(f"The profile cannot be built: {exc}.") from None
        return json.loads(json.dumps(data, default=str))


class WizardForm(Form):
    """The mapping wizard: a sample, the table it feeds, and what it does not say; then the mapping to try."""

    file = forms.FileField(
        label="Sample file (CSV)",
        required=False,
        help_text="A few hundred rows are enough; kept until you upload another.",
    )
    table = forms.ChoiceField(label="Facts it holds", choices=[(t, t) for t in TABLES])
    provider = forms.ModelChoiceField(
        label="Provider", queryset=None, required=False, empty_label="As named in each row"
    )
    program = forms.ChoiceField(label="Program", required=False)
    timezone = UploadForm.base_fields["timezone"]
    columns = forms.CharField(
        label="Mapping (YAML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80, "spellcheck": "false", "class": "code"}),
        help_text="canonical column: {field: source column, ...}. Empty: suggested from the built-in profiles.",
    )

    def __init__(self, *args, providers, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["program"].choices = [("", "As named in each row"), *((p.code, p.code) for p in programs)]

    clean_timezone = UploadForm.clean_timezone

    def clean_columns(self) -> dict | None:
        text = self.cleaned_data.get("columns", "").strip()
        if not text:
            return None
        data = parse_definition(text)
        return data.get("columns", data)

    def options(self) -> IngestOptions:
        data = self.cleaned_data
        return IngestOptions(program=data.get("program") or None, timezone=data.get("timezone"))
