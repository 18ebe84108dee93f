"""Sampling plan pages: the plans, drawing one, and one plan's assignments, workload and coverage."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from concord import periods, reporting
from concord.accounts import access
from concord.accounts.models import User
from concord.accounts.roles import ROLE_CAPABILITIES, Cap
from concord.providers.models import Provider
from concord.web.forms import Form, form_page

from . import sampling, sampling_services


def graders(user):
    """Who may be given evaluations: people who evaluate, the user's own provider's (a partner) or anyone's."""
    roles = [role.value for role, caps in ROLE_CAPABILITIES.items() if Cap.EVALUATE in caps]
    qs = User.objects.filter(is_active=True, role__in=roles).order_by("username")
    return qs if user.provider_id is None else qs.filter(Q(provider_id=user.provider_id))


class PlanForm(Form):
    name = forms.CharField(max_length=160)
    provider = forms.ModelChoiceField(queryset=Provider.objects.none())
    week = forms.DateField(help_text="Any day of the week to sample (weeks start on Monday).",
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    per_agent = forms.IntegerField(label="Evaluations per agent", min_value=1, max_value=50, initial=4)
    stratify = forms.BooleanField(
        required=False, initial=True, label="Spread each agent's sample over contact type and channel"
    )
    risk_low_csat = forms.IntegerField(label="Extra weight: CSAT 1-2", min_value=0, max_value=20, initial=0)
    risk_long_handle = forms.IntegerField(
        label="Extra weight: handle time above the week's 90th percentile", min_value=0, max_value=20, initial=0
    )
    risk_repeat = forms.IntegerField(
        label="Extra weight: the customer came back within 7 days", min_value=0, max_value=20, initial=0
    )
    evaluators = forms.ModelMultipleChoiceField(queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(required=False, help_text="Empty: the Sunday after the following week.",
                             widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    seed = forms.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1,
        help_text="Empty: chosen for you. The same seed on the same data draws the same sample.",
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = access.scope(user, Provider.objects.all(), "pk").order_by("name")
        self.fields["evaluators"].queryset = graders(user)
        self.fields["week"].initial = periods.shift(periods.start_of(reporting.today(), "week"), "week", -1)


@login_required
@require_GET
def plans(request):
    rows = sampling_services.plans(request.user).prefetch_related("evaluators")[:200]
    return render(request, "quality/sampling.html", {"plans": rows, "can_plan": access.can(request.user, Cap.EVALUATE)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    access.require(request.user, Cap.EVALUATE)
    raw = request.POST.get("provider", "")
    if raw.isdigit():  # another partner's provider: 404, as everywhere, rather than "not a valid choice"
        access.get_visible_or_404(request.user, Provider.objects.all(), "pk", pk=int(raw))
    form = PlanForm(request.POST or None, user=request.user)

    def save(data):
        return sampling_services.plan_create(
            actor=request.user, name=data["name"], provider=data["provider"], week_start=data["week"],
            per_agent=data["per_agent"], evaluators=list(data["evaluators"]), due_on=data["due_on"],
            stratify=data["stratify"], seed=data["seed"],
            risk=sampling.Risk(data["risk_low_csat"], data["risk_long_handle"], data["risk_repeat"]),
        )  # fmt: skip

    return form_page(
        request, form, save, title="Draw a sampling plan", cancel_url=reverse("quality:sampling"),
        success=lambda p: reverse("quality:sampling-plan", args=[p.pk]),
        success_message="Drawn: {obj.name}.",
    )  # fmt: skip


@login_required
@require_GET
def plan_detail(request, pk: int):
    p = sampling_services.plan(request.user, pk)
    workload, coverage, done = sampling_services.progress(p)
    assignments = [
        {"a": a, "done": (a.interaction_source, a.interaction_id) in done}
        for a in p.assignments.select_related("agent", "evaluator").order_by("agent__display_name", "interaction_at")
    ]
    return render(
        request,
        "quality/sampling_plan.html",
        {
            "plan": p, "workload": workload, "coverage": coverage, "assignments": assignments,
            "week_end": periods.end_of(p.week_start, "week"), "me": request.user.username,
            "can_evaluate": access.can(request.user, Cap.EVALUATE),
        },
    )  # fmt: skip
