"""Coaching pages: the sessions, recording one with an agent, and one session with the numbers before and after."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.forms import Form, form_page

from . import coaching, selectors
from .models import Evaluation


class CoachingForm(Form):
    held_on = forms.DateField(label="Held on", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(max_length=200)
    evaluations = forms.ModelMultipleChoiceField(
        queryset=Evaluation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The evaluations discussed.",
    )  # fmt: skip
    metrics = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, help_text="The numbers discussed."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    commitments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="What the agent commits to, one per line."
    )
    follow_up_on = forms.DateField(label="Follow up on", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agent, user, **kwargs):
        super().__init__(*args, **kwargs)
        recent = selectors.evaluations(user, agent_id=agent.pk, status=Evaluation.Status.COMPLETED).order_by(
            "-interaction_at"
        )
        newest = list(recent.values_list("pk", flat=True)[:30])  # a choice field cannot filter a sliced queryset
        self.fields["evaluations"].queryset = recent.filter(pk__in=newest)
        self.fields["evaluations"].label_from_instance = lambda e: (
            f"{e.interaction_at:%Y-%m-%d} {e.channel} · {e.score if e.score is not None else '—'} % "
            f"by {e.evaluator.username}"
        )
        self.fields["metrics"].choices = sorted(coaching._coachable_metrics().items(), key=lambda kv: kv[1])
        self.fields["held_on"].initial = reporting.today()


@login_required
@require_GET
def sessions(request):
    rows = coaching.sessions(request.user)[:200]
    return render(
        request,
        "quality/coaching.html",
        {"sessions": rows, "can_coach": access.can(request.user, Cap.EVALUATE), "today": reporting.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk: int):
    agent = selectors.evaluable_agent(request.user, pk)
    form = CoachingForm(request.POST or None, agent=agent, user=request.user)

    def save(data):
        return coaching.coaching_record(
            actor=request.user, agent=agent, held_on=data["held_on"], topic=data["topic"],
            evaluations=list(data["evaluations"]), metrics=data["metrics"], notes=data["notes"],
            commitments=data["commitments"], follow_up_on=data["follow_up_on"],
        )  # fmt: skip

    return form_page(
        request, form, save, title=f"Coaching with {agent.display_name}",
        cancel_url=reverse("quality:coaching"),
        success=lambda s: reverse("quality:coaching-detail", args=[s.pk]),
        success_message="Coaching session recorded.",
    )  # fmt: skip


@login_required
@require_GET
def detail(request, pk: int):
    s = coaching.session(request.user, pk)
    return render(
        request,
        "quality/coaching_detail.html",
        {"s": s, "evaluations": s.evaluations.order_by("-interaction_at"), **coaching.before_and_after(s)},
    )
