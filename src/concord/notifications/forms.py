from __future__ import annotations

from django import forms

from concord.providers.models import Provider
from concord.web.forms import Form


class WebhookForm(Form):
    name = forms.CharField(max_length=100, help_text="What the channel is, e.g. 'Ops chat: escalations'.")
    url = forms.URLField(
        max_length=400,
        assume_scheme="https",
        label="URL",
        help_text="The chat tool's incoming-webhook address (https).",
    )
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        required=False,
        empty_label="The client's channel: every notice",
        help_text="Set: only this partner's notices that are not client-only.",
    )
    kinds = forms.CharField(
        max_length=300,
        required=False,
        help_text="Comma-separated kinds it takes, e.g. 'governance.escalation'; empty: every kind.",
    )
    active = forms.BooleanField(required=False, initial=True, help_text="Unticked: disabled, nothing is posted.")
