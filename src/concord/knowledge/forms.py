"""The article editor: the form derives from ``services.ArticleInput`` (one input schema)."""

from __future__ import annotations

import yaml
from django import forms

from concord.web.forms import Form

from .services import ArticleInput


class ArticleForm(Form):
    program = forms.ModelChoiceField(queryset=None, to_field_name="code", help_text="The program the article is for.")
    slug = forms.SlugField(max_length=120, help_text="Lower-case words joined by hyphens; part of the link.")
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), help_text="Markdown: # headings, lists, tables.")
    contact_type = forms.CharField(required=False, max_length=32, help_text="Contact type code, or empty for all.")
    note = forms.CharField(required=False, max_length=300, help_text="What changed and why (shown in the history).")
    requires_ack = forms.BooleanField(required=False, label="Agents must acknowledge this version")
    ack_due_days = forms.IntegerField(min_value=1, max_value=90, initial=7, label="Acknowledgement due (days)")
    audience = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="YAML, e.g. {providers: [ATLAS], languages: [es]}; empty means everyone serving the program.",
    )
    review_by = forms.DateField(
        required=False, label="Review by (date)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, programs, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        if article is not None:  # a new version stays in its program, under its slug
            del self.fields["program"]
            self.fields["slug"].disabled = True
            self.initial["slug"] = article.slug
        else:
            self.fields["program"].queryset = programs

    def clean_audience(self):
        raw = self.cleaned_data.get("audience") or ""
        try:
            return yaml.safe_load(raw) if raw.strip() else {}
        except yaml.YAMLError:
            raise forms.ValidationError("Audience is not valid YAML: write it like {providers: [ATLAS]}.") from None

    def to_input(self) -> ArticleInput:
        return ArticleInput(**{k: v for k, v in self.cleaned_data.items() if k != "program"})
