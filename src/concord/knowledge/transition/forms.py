"""The plan editor and the small forms of the plan page; each builds the services' own input."""

from __future__ import annotations

from django import forms

from concord.web.forms import Form

from ..models_transition import Milestone, TransitionPlan
from .services import PlanInput

_DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(Form):
    title = forms.CharField(max_length=200)
    program = forms.CharField(max_length=32, help_text="Program code, e.g. RETAIL.")
    contact_types = forms.CharField(
        required=False, max_length=300, help_text="Contact type codes, comma-separated; empty: the whole program."
    )
    provider = forms.CharField(max_length=32, label="Moves to (partner code)")
    from_provider = forms.CharField(required=False, max_length=32, label="Moves from (partner code, optional)")
    start = forms.DateField(widget=_DATE, label="Start (first day of preparation)")
    months = forms.IntegerField(
        min_value=1,
        max_value=36,
        label="Length (months)",
        help_text="3-6 months for a simple process, 12-18 for an enterprise-wide one.",
    )
    preparation_percent = forms.DecimalField(
        min_value=1, max_value=98, decimal_places=2, initial=30, label="Preparation (% of the length)"
    )
    transition_percent = forms.DecimalField(
        min_value=1, max_value=98, decimal_places=2, initial=20, label="Transition (% of the length)"
    )
    stabilisation_percent = forms.DecimalField(
        min_value=1, max_value=98, decimal_places=2, initial=50, label="Stabilisation (% of the length)"
    )
    scorecard = forms.IntegerField(
        required=False,
        label="Scorecard (id)",
        help_text="Its weekly numbers say when the parallel run started and stabilisation ended.",
    )
    partner_owner = forms.CharField(required=False, max_length=150, label="Partner's owner (username)")
    status = forms.ChoiceField(choices=TransitionPlan.Status.choices, initial=TransitionPlan.Status.ACTIVE)
    ack_target_percent = forms.FloatField(
        min_value=1, max_value=100, initial=90, label="Articles acknowledged: target share (%)"
    )
    cohort_size = forms.IntegerField(
        min_value=1, max_value=10_000, initial=10, label="First cohort: agents certified (count)"
    )
    parallel_contacts = forms.IntegerField(
        min_value=1, max_value=1_000_000, initial=50, label="Parallel run: contacts handled in a week (count)"
    )
    exit_line = forms.IntegerField(required=False, label="Stabilisation exit: scorecard line (id)")
    exit_weeks = forms.IntegerField(
        min_value=1, max_value=52, initial=4, label="Stabilisation exit: consecutive weeks on target"
    )

    @classmethod
    def initial_for(cls, plan: TransitionPlan) -> dict:
        params = {m.kind: m.params for m in plan.milestones.all()}
        exit_ = params.get(Milestone.Kind.STABILISATION_EXIT, {})
        return {
            "title": plan.title,
            "program": plan.program.code,
            "provider": plan.provider.code,
            "contact_types": ", ".join(plan.contact_types.values_list("code", flat=True)),
            "from_provider": plan.from_provider.code if plan.from_provider_id else "",
            "start": plan.start,
            "months": plan.months,
            "preparation_percent": plan.preparation_percent,
            "transition_percent": plan.transition_percent,
            "stabilisation_percent": plan.stabilisation_percent,
            "scorecard": plan.scorecard_id,
            "status": plan.status,
            "partner_owner": plan.partner_owner.username if plan.partner_owner_id else "",
            "ack_target_percent": params.get(Milestone.Kind.ARTICLES_ACKNOWLEDGED, {}).get("target_percent", 90),
            "cohort_size": params.get(Milestone.Kind.COHORT_CERTIFIED, {}).get("count", 10),
            "parallel_contacts": params.get(Milestone.Kind.PARALLEL_RUN, {}).get("contacts", 50),
            "exit_line": exit_.get("line"),
            "exit_weeks": exit_.get("weeks", 4),
        }

    def to_input(self) -> PlanInput:
        d = self.cleaned_data
        exit_ = {"weeks": d["exit_weeks"]} | ({"line": d["exit_line"]} if d.get("exit_line") else {})
        return PlanInput(
            title=d["title"],
            program=d["program"].strip(),
            provider=d["provider"].strip(),
            from_provider=(d.get("from_provider") or "").strip(),
            start=d["start"],
            months=d["months"],
            contact_types=tuple(c.strip() for c in (d.get("contact_types") or "").split(",") if c.strip()),
            split_percent=(d["preparation_percent"], d["transition_percent"], d["stabilisation_percent"]),
            scorecard=d.get("scorecard"),
            partner_owner=(d.get("partner_owner") or "").strip(),
            status=d["status"],
            targets={
                Milestone.Kind.ARTICLES_ACKNOWLEDGED: {"target_percent": d["ack_target_percent"]},
                Milestone.Kind.COHORT_CERTIFIED: {"count": d["cohort_size"]},
                Milestone.Kind.PARALLEL_RUN: {"contacts": d["parallel_contacts"]},
                Milestone.Kind.STABILISATION_EXIT: exit_,
            },
        )


class DecisionForm(Form):
    decided_on = forms.DateField(widget=_DATE, label="Decided on")
    note = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), label="What was decided, by whom")


class DueForm(Form):
    due = forms.DateField(widget=_DATE, label="Due on")


class CommentForm(Form):
    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Comment")
