"""Training pages: the roster's certification states, readiness per contact type, one agent's training
(where a partner's trainer records hours and nesting), the plan editor, and an agent's own assessments."""

from __future__ import annotations

import datetime as dt

import yaml
from csp.decorators import csp_update
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent
from concord.web.charts import CHART_CSP
from concord.web.forms import Form

from . import charts, marking, progress, selectors, services, spec
from .plan_example import EXAMPLE

BADGES = {marking.CERTIFIED: "good", marking.EXPIRING: "warn", marking.EXPIRED: "bad", marking.NOT_CERTIFIED: ""}


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return reporting.today()


def _chosen_program(request):
    programs = selectors.programs(request.user).order_by("name")
    code = request.GET.get("program")
    chosen = programs.filter(code=code).first() if code else None
    return programs, chosen or next((p for p in programs if services.plan_of(p)), programs.first())


@login_required
@require_GET
@csp_update(CHART_CSP)
def index(request):
    """Each agent's certification state for one program on a day: per provider, then the agents (filtered)."""
    access.require(request.user, Cap.VIEW_ADOPTION)
    programs, program = _chosen_program(request)
    as_of = _day(request)
    provider_code = request.GET.get("provider") or ""
    state = request.GET.get("state") if request.GET.get("state") in marking.STATE_LABELS else ""
    overview = (
        selectors.certification_overview(
            request.user, program=program, as_of=as_of, provider=provider_code, state=state
        )
        if program
        else selectors.CertificationOverview(dict.fromkeys(marking.STATE_LABELS.values(), 0), [], [])
    )
    measured = bool(overview.per_provider)  # some agent holds or lacks a certification of the program
    trend = selectors.certified_trend(request.user, program=program, as_of=as_of) if measured else []
    return render(request, "knowledge/training/index.html", {
        "programs": programs, "program": program, "as_of": as_of, "rows": overview.rows, "badges": BADGES,
        "counts": overview.counts, "per_provider": overview.per_provider, "states": marking.STATE_LABELS,
        "with_roster_filters": True, "provider_code": provider_code, "state": state,
        "provider_choices": [(e["code"], e["name"]) for e in overview.per_provider],
        "state_choices": list(marking.STATE_LABELS.items()),
        "contact_types": program.contact_types.all() if program else [],
        "can_edit": access.can(request.user, Cap.EDIT_KNOWLEDGE),
        "trend_spec": charts.certified_chart(trend) if trend else None,
    })  # fmt: skip


@login_required
@require_GET
def readiness(request):
    """Who is ready for one contact type on a day, and what each of the others still misses."""
    access.require(request.user, Cap.VIEW_ADOPTION)
    programs, program = _chosen_program(request)
    as_of = _day(request)
    contact_types = list(program.contact_types.all()) if program else []
    code = request.GET.get("contact_type") or (contact_types[0].code if contact_types else "")
    rows = selectors.readiness(request.user, program=program, contact_type=code, as_of=as_of) if program else []
    return render(request, "knowledge/training/readiness.html", {
        "programs": programs, "program": program, "as_of": as_of, "rows": rows, "contact_types": contact_types,
        "contact_type": code, "ready": sum(1 for r in rows if r.ready),
    })  # fmt: skip


class PlanForm(Form):
    spec = forms.CharField(widget=forms.Textarea(attrs={"rows": 30}), help_text="YAML; see the example below.")
    note = forms.CharField(required=False, max_length=300, help_text="What changed and why.")

    def clean_spec(self):
        try:
            return yaml.safe_load(self.cleaned_data["spec"])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise forms.ValidationError(f"The plan is not valid YAML{where}.") from None


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    program = selectors.programs(request.user).filter(pk=pk).first()
    if program is None:  # another partner's program: 404 before 403
        from django.http import Http404

        raise Http404("No such program.")
    access.require(request.user, Cap.EDIT_KNOWLEDGE)
    current = services.plan_of(program)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan, created = services.save_plan(
                    user=request.user, program=program, document=form.cleaned_data["spec"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error("spec", exc.message_dict.get("spec", exc.messages))
            else:
                messages.success(request, f"Saved version {plan.number}." if created else "Nothing changed.")
                return redirect(f"{_url('knowledge:training')}?program={program.code}")
    else:
        text = yaml.safe_dump(current.spec, sort_keys=False, allow_unicode=True) if current else EXAMPLE
        form = PlanForm(initial={"spec": text})
    return render(request, "knowledge/training/plan_edit.html",
                  {"form": form, "program": program, "current": current, "example": EXAMPLE})  # fmt: skip


def _url(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


class ShadowingForm(Form):
    module = forms.ChoiceField(label="Shadowing module")
    on = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="Hours", min_value=0.25, max_value=24, decimal_places=2)
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = choices


class NestingForm(Form):
    program = forms.ChoiceField()
    started_on = forms.DateField(label="Nesting started on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = choices


def _visible_agent(request, pk: int) -> Agent:
    access.require(request.user, Cap.VIEW_ADOPTION)
    return access.get_visible_or_404(request.user, Agent.objects.select_related("provider"), pk=pk)


def _shadowing_choices(programs) -> list[tuple[str, str]]:
    out = []
    for program in programs:
        plan = services.plan_of(program)
        for curriculum in plan.spec["curricula"] if plan else []:
            for m in curriculum["modules"]:
                if m["kind"] == "shadowing":
                    out.append(
                        (f"{program.code}:{m['key']}", f"{program.name}: {m['title'] or m['key']} ({m['hours']} h)")
                    )
    return out


@login_required
@require_GET
def agent_page(request, pk: int):
    return _render_agent(request, _visible_agent(request, pk))


def _render_agent(request, agent: Agent, *, shadowing_form=None, nesting_form=None, status: int = 200):
    as_of = reporting.today()
    programs = list(agent.provider.programs.order_by("name"))
    sections = []
    for program in programs:
        plan = services.plan_of(program)
        if plan is None:
            continue
        curricula = []
        for curriculum in plan.spec["curricula"]:
            done = progress.done(program, curriculum["modules"], [agent.pk], as_of)
            hours = {m["key"]: progress.shadowing_hours(program, m["key"], [agent.pk], as_of)[agent.pk]
                     for m in curriculum["modules"] if m["kind"] == "shadowing"}  # fmt: skip
            curricula.append({"curriculum": curriculum, "modules": [
                {"module": m, "label": selectors.module_label(m), "done": agent.pk in done[m["key"]],
                 "hours": hours.get(m["key"])} for m in curriculum["modules"]]})  # fmt: skip
        certs = [r for r in selectors.certification_states(request.user, program=program, as_of=as_of)
                 if r.agent.pk == agent.pk]  # fmt: skip
        sections.append({"program": program, "curricula": curricula, "certs": certs})
    can_record = access.can(request.user, Cap.RECORD_TRAINING) and request.user.provider_id == agent.provider_id
    return render(request, "knowledge/training/agent.html", {
        "agent": agent, "sections": sections, "badges": BADGES, "can_record": can_record,
        "shadowing_form": shadowing_form or ShadowingForm(choices=_shadowing_choices(programs)),
        "nesting_form": nesting_form or NestingForm(choices=[(p.code, p.name) for p in programs]),
    }, status=status)  # fmt: skip


@login_required
@require_POST
def shadowing(request, pk: int):
    agent = _visible_agent(request, pk)
    access.require_for_provider(request.user, Cap.RECORD_TRAINING, agent.provider_id)
    programs = list(agent.provider.programs.all())
    form = ShadowingForm(request.POST, choices=_shadowing_choices(programs))
    if form.is_valid():
        code, module = form.cleaned_data["module"].split(":", 1)
        program = next(p for p in programs if p.code == code)
        try:
            services.record_shadowing(user=request.user, agent=agent, program=program, module=module,
                                      on=form.cleaned_data["on"], hours=form.cleaned_data["hours"],
                                      note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Hours recorded.")
            return redirect("knowledge:training-agent", pk=agent.pk)
    return _render_agent(request, agent, shadowing_form=form, status=400)


@login_required
@require_POST
def nesting(request, pk: int):
    agent = _visible_agent(request, pk)
    access.require_for_provider(request.user, Cap.RECORD_TRAINING, agent.provider_id)
    programs = list(agent.provider.programs.all())
    form = NestingForm(request.POST, choices=[(p.code, p.name) for p in programs])
    if form.is_valid():
        program = next(p for p in programs if p.code == form.cleaned_data["program"])
        try:
            services.record_nesting_start(user=request.user, agent=agent, program=program,
                                          started_on=form.cleaned_data["started_on"])  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Nesting start recorded.")
            return redirect("knowledge:training-agent", pk=agent.pk)
    return _render_agent(request, agent, nesting_form=form, status=400)


@login_required
@require_GET
def assessments(request):
    """The logged-in agent's assessments and attempts."""
    rows = selectors.available_assessments(request.user)
    return render(request, "knowledge/training/assessments.html", {"rows": rows})


@login_required
@require_POST
def assessment_start(request, pk: int, assessment: str):
    access.own_agent(request.user)  # only an agent takes an assessment: 403 for other roles
    program = selectors.programs(request.user).filter(pk=pk).first()
    if program is None:
        from django.http import Http404

        raise Http404("No such program.")
    try:
        attempt = services.start_attempt(user=request.user, program=program, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("knowledge:assessments")
    return redirect("knowledge:attempt", pk=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_page(request, pk: int):
    attempt = selectors.attempt(request.user, pk)
    errors = {}
    if request.method == "POST" and attempt.submitted_at is None:
        answers = {q["key"]: request.POST.getlist(q["key"]) for q in attempt.questions}
        try:
            attempt = services.submit_attempt(user=request.user, attempt=attempt, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("knowledge:attempt", pk=attempt.pk)
    plan = services.plan_of(attempt.program)
    found = spec.assessment(plan.spec, attempt.assessment) if plan else None
    questions = [
        {**q, "number": n, "error": " ".join(errors.get(q["key"], [])),
         "chosen": [int(c) for c in attempt.answers.get(q["key"], [])],
         "right": sorted(attempt.answers.get(q["key"], [])) == q["correct"] if attempt.submitted_at else None}
        for n, q in enumerate(attempt.questions, 1)
    ]  # fmt: skip
    return render(request, "knowledge/training/attempt.html", {
        "attempt": attempt, "questions": questions, "title": found["title"] if found else attempt.assessment,
        "right": sum(1 for q in questions if q["right"]),
    }, status=400 if errors else 200)  # fmt: skip
