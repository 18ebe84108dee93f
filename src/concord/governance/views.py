"""Governance pages: the rhythm's overview, cadences, meetings with their pack, actions, RACI, escalations."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.web.charts import CHART_CSP
from concord.web.forms import form_page

from . import escalations as esc
from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    CadenceForm,
    DecisionForm,
    EscalationForm,
    EscalationUpdateForm,
    NoteForm,
)
from .packs import render as pack_render
from .packs.build import meeting_pack


def _render(request, template: str, context: dict):
    """Times on governance pages read on the reporting zone's clock, as the meetings are planned."""
    with timezone.override(settings.REPORTING_TIMEZONE):
        return render(request, template, {**context, "reporting_zone": settings.REPORTING_TIMEZONE})


def _can_run(user) -> bool:
    return access.can(user, Cap.RUN_GOVERNANCE) and user.provider_id is None


def _require_run(user, provider_id) -> None:
    access.require_for_provider(user, Cap.RUN_GOVERNANCE, provider_id)
    if user.provider_id is not None:
        raise PermissionDenied("The client runs the governance rhythm.")


def _posted(request, form, save, back: str, done: str):
    """A small POST form on a detail page: run the service, say what happened, go back."""
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect(back)
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@login_required
@require_GET
def index(request):
    user = request.user
    today = reporting.today()
    upcoming = selectors.meetings(user).filter(status="scheduled").order_by("starts_at")[:15]
    recent = selectors.meetings(user).filter(status="closed").order_by("-starts_at")[:10]
    return _render(
        request,
        "governance/index.html",
        {
            "cadences": selectors.cadences(user),
            "upcoming": upcoming,
            "recent": recent,
            "actions": selectors.open_actions(user).order_by("due")[:50],
            "today": today,
            "escalations": selectors.escalations(user).exclude(status="resolved")[:50],
            "can_run": _can_run(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadence_create(request):
    access.require(request.user, Cap.VIEW_GOVERNANCE)
    _require_run(request.user, None)

    def save(data):
        agenda = data.pop("agenda")
        attendees = list(data.pop("attendees"))
        return services.cadence_create(actor=request.user, attendees=attendees, agenda=agenda, **data)

    return form_page(
        request,
        CadenceForm(request.POST or None),
        save,
        title="New cadence",
        cancel_url=reverse("governance:index"),
        success=lambda c: reverse("governance:cadence", args=[c.pk]),
        success_message="Created {obj}.",
    )


@login_required
@require_GET
def cadence_detail(request, pk: int):
    c = selectors.cadence(request.user, pk)
    return _render(
        request,
        "governance/cadence.html",
        {
            "cadence": c,
            "meetings": selectors.meetings(request.user).filter(cadence=c).order_by("-starts_at")[:40],
            "agenda": [
                a for a in c.agenda_template.all() if selectors.sees_client_only(request.user) or not a.client_only
            ],
            "can_run": _can_run(request.user),
        },
    )


@login_required
@require_POST
def cadence_schedule(request, pk: int):
    c = selectors.cadence(request.user, pk)
    made = services.schedule_meetings(actor=request.user, cadence=c)
    messages.success(request, f"{len(made)} meeting(s) scheduled." if made else "Every coming meeting was scheduled.")
    return redirect("governance:cadence", pk=c.pk)


@login_required
@require_GET
def meeting_detail(request, pk: int):
    m = selectors.meeting(request.user, pk)
    user = request.user
    can_answer = access.can(user, Cap.ANSWER_GOVERNANCE)
    return _render(
        request,
        "governance/meeting.html",
        {
            "meeting": m,
            "agenda": selectors.agenda(user, m),
            "notes": selectors.notes(user, m),
            "decisions": m.decisions.all(),
            "actions": m.actions.select_related("owner"),
            "can_run": _can_run(user),
            "can_answer": can_answer,
            "client": user.provider_id is None,
            "note_form": NoteForm(),
            "agenda_form": AgendaItemForm(),
            "decision_form": DecisionForm(provider=m.provider),
        },
    )


def _back(m) -> str:
    return reverse("governance:meeting", args=[m.pk])


@login_required
@require_POST
def meeting_note(request, pk: int):
    m = selectors.meeting(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, m.provider_id)
    return _posted(
        request,
        NoteForm(request.POST),
        lambda d: services.note_add(actor=request.user, meeting=m, **d),
        _back(m),
        "Note added.",
    )


@login_required
@require_POST
def meeting_agenda(request, pk: int):
    m = selectors.meeting(request.user, pk)
    _require_run(request.user, m.provider_id)
    return _posted(
        request,
        AgendaItemForm(request.POST),
        lambda d: services.agenda_item_add(actor=request.user, meeting=m, **d),
        _back(m),
        "Agenda item added.",
    )


@login_required
@require_POST
def meeting_decision(request, pk: int):
    m = selectors.meeting(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, m.provider_id)
    return _posted(
        request,
        DecisionForm(request.POST, provider=m.provider),
        lambda d: services.decision_record(actor=request.user, provider=m.provider, meeting=m, **d),
        _back(m),
        "Decision recorded.",
    )


@login_required
@require_POST
def meeting_close(request, pk: int):
    m = selectors.meeting(request.user, pk)
    _require_run(request.user, m.provider_id)
    services.close_meeting(actor=request.user, meeting=m)
    messages.success(request, "Meeting closed; its pack is frozen.")
    return redirect(_back(m))


@login_required
@require_GET
@csp_update(CHART_CSP)
def meeting_pack_page(request, pk: int):
    m = selectors.meeting(request.user, pk)
    return _pack_page(request, meeting_pack(m, user=request.user))


def _pack_page(request, pack):
    pv = pack_render.view(request.user, pack)
    images = pack_render.svg_images(pack) if pack.frozen else None
    return _render(request, "governance/pack.html", {"pv": pv, "images": images})


@login_required
@require_GET
@csp_update(CHART_CSP)
def pack_page(request, pk: int):
    return _pack_page(request, selectors.pack(request.user, pk))


@login_required
@require_GET
def pack_pdf(request, pk: int):
    pack = selectors.pack(request.user, pk)
    data, _pages = pack_render.pdf(pack_render.view(request.user, pack), printed_by=request.user.username)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pack-{pack.provider.code}-{pack.period_start}.pdf"'
    return response


# --- actions -------------------------------------------------------------------------------------


@login_required
@require_GET
def action_list(request):
    qs = selectors.actions(request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.filter(status__in=["open", "in_progress"])
    return _render(
        request, "governance/actions.html", {"actions": qs[:300], "status": status, "today": reporting.today()}
    )


@login_required
@require_GET
def action_detail(request, pk: int):
    a = selectors.action(request.user, pk)
    return _render(
        request,
        "governance/action.html",
        {
            "action": a,
            "form": ActionStatusForm(initial={"status": a.status}),
            "today": reporting.today(),
            "can_answer": access.can(request.user, Cap.ANSWER_GOVERNANCE),
        },
    )


@login_required
@require_POST
def action_status(request, pk: int):
    a = selectors.action(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, a.provider_id)
    return _posted(
        request,
        ActionStatusForm(request.POST),
        lambda d: services.action_update(actor=request.user, action=a, status=d["status"]),
        reverse("governance:action", args=[a.pk]),
        "Action updated.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    """A new action about provider ``pk``; ``?cause_kind=&cause_id=&cause_url=&title=`` prefill it from its cause."""
    access.require(request.user, Cap.VIEW_GOVERNANCE)
    prov = selectors.provider(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, prov.pk)
    initial = {k: request.GET.get(k, "") for k in ("title", "cause_kind", "cause_id", "cause_url")}
    return form_page(
        request,
        ActionForm(request.POST or None, provider=prov, initial=initial),
        lambda d: services.create_action(user=request.user, provider=prov, **d),
        title=f"New action for {prov.name}",
        cancel_url=reverse("governance:actions"),
        success=lambda a: reverse("governance:action", args=[a.pk]),
        success_message="Created the action {obj}.",
    )


# --- RACI ------------------------------------------------------------------------------------------


@login_required
@require_GET
def raci(request):
    rows = selectors.raci(request.user).order_by("program__code", "position")
    return _render(request, "governance/raci.html", {"rows": rows})


# --- escalations -----------------------------------------------------------------------------------


@login_required
@require_GET
def escalation_list(request):
    return _render(
        request,
        "governance/escalations.html",
        {
            "escalations": selectors.escalations(request.user)[:300],
            "ladders": selectors.ladders(request.user),
            "can_answer": access.can(request.user, Cap.ANSWER_GOVERNANCE),
        },
    )


@login_required
@require_GET
def escalation_detail(request, pk: int):
    e = selectors.escalation(request.user, pk)
    return _render(
        request,
        "governance/escalation.html",
        {
            "e": e,
            "events": e.events.all(),
            "timers": esc.remaining(e),
            "form": EscalationUpdateForm(),
            "can_answer": access.can(request.user, Cap.ANSWER_GOVERNANCE),
            "ladder": e.severity.ladder,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_create(request, pk: int):
    access.require(request.user, Cap.VIEW_GOVERNANCE)
    prov = selectors.provider(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, prov.pk)
    return form_page(
        request,
        EscalationForm(request.POST or None, provider=prov),
        lambda d: esc.open_escalation(actor=request.user, provider=prov, **d),
        title=f"Escalate to {prov.name}",
        cancel_url=reverse("governance:escalations"),
        success=lambda e: reverse("governance:escalation", args=[e.pk]),
        success_message="Escalation {obj} opened.",
    )


@login_required
@require_POST
def escalation_ack(request, pk: int):
    e = selectors.escalation(request.user, pk)
    try:
        esc.acknowledge(actor=request.user, escalation=e, text=request.POST.get("text", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:escalation", pk=e.pk)


@login_required
@require_POST
def escalation_update(request, pk: int):
    e = selectors.escalation(request.user, pk)
    access.require_for_provider(request.user, Cap.ANSWER_GOVERNANCE, e.provider_id)
    return _posted(
        request,
        EscalationUpdateForm(request.POST),
        lambda d: esc.add_update(actor=request.user, escalation=e, **d),
        reverse("governance:escalation", args=[e.pk]),
        "Update recorded.",
    )
