"""Calibration pages: the sessions, scoring one item at a time (blind), and the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap

from . import calibration_selectors as selectors
from . import calibration_services as services
from .agreement import ICC_DESCRIPTIONS
from .inputs import ratings_from_post
from .lake_reads import interaction as lake_interaction
from .models import CalibrationSession
from .selectors import lake
from .views import answer_rows


@login_required
@require_GET
def calibrations(request):
    sessions = selectors.sessions(request.user).prefetch_related("participants", "submissions")
    return render(
        request,
        "quality/calibrations.html",
        {"sessions": sessions, "can_set_up": access.can(request.user, Cap.EVALUATE)},
    )


def _item_number(request, count: int) -> int:
    raw = request.GET.get("item", "1")
    return min(max(int(raw), 1), count) if raw.isdigit() and count else 1


def _page(request, session: CalibrationSession, posted=None, item_number: int | None = None):
    items = list(session.items.select_related("agent").order_by("position"))
    number = item_number or _item_number(request, len(items))
    item = items[number - 1] if items else None
    participant = session.participants.filter(pk=request.user.pk).exists()
    submitted = selectors.has_submitted(request.user, session)
    may_score = (
        participant
        and not submitted
        and session.status == CalibrationSession.Status.OPEN
        and access.can(request.user, Cap.EVALUATE)
    )
    context = {
        "session": session,
        "items": items,
        "item": item,
        "number": number,
        "participants": [
            {
                "user": u,
                "submitted": session.submissions.filter(grader=u).exists(),
                "key": u.pk == session.key_grader_id,
            }
            for u in session.participants.order_by("username")
        ],
        "participant": participant,
        "submitted": submitted,
        "may_score": may_score,
        "may_close": session.status == CalibrationSession.Status.OPEN
        and access.can(request.user, Cap.EVALUATE)
        and (request.user.provider_id is None or request.user.pk == session.created_by_id),
        "sees_everyone": selectors.sees_everyone(request.user, session),
        "icc_descriptions": ICC_DESCRIPTIONS,
    }
    if item is not None:
        found = lake_interaction(lake(), item.interaction_source, item.interaction_id)
        own = {s.criterion_id: s for s in item.scores.filter(grader=request.user)}
        context.update(
            interaction=found,
            transcript_lines=(found.transcript or "").splitlines() if found else [],
            rows=answer_rows(session.form_version.criteria_in_order(), own, posted),
        )
    if context["sees_everyone"]:
        context["result"] = selectors.results(request.user, session, resamples=1000)
    return render(request, "quality/calibration.html", context, status=400 if posted is not None else 200)


@login_required
@require_GET
def calibration(request, pk: int):
    return _page(request, selectors.session(request.user, pk))


@login_required
@require_POST
def calibration_score(request, pk: int):
    session = selectors.session(request.user, pk)
    items = list(session.items.order_by("position"))
    raw = request.POST.get("item", "")
    number = int(raw) if raw.isdigit() and 1 <= int(raw) <= len(items) else 1
    services.require_grader(request.user, session)  # 403 for anyone not grading here, before parsing
    try:
        services.calibration_score(
            actor=request.user,
            session=session,
            item=items[number - 1],
            ratings=ratings_from_post(session.form_version, request.POST),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, session, posted=request.POST, item_number=number)
    messages.success(request, f"Item {number} saved; others cannot see it.")
    following = number + 1 if number < len(items) else number
    return redirect(f"{reverse('quality:calibration', args=[session.pk])}?item={following}")


@login_required
@require_POST
def calibration_submit(request, pk: int):
    session = selectors.session(request.user, pk)
    try:
        services.calibration_submit(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Submitted. Everyone's scores that are in are shown below.")
    return redirect("quality:calibration", pk=session.pk)


@login_required
@require_POST
def calibration_close(request, pk: int):
    session = selectors.session(request.user, pk)
    services.session_close(actor=request.user, session=session)
    messages.success(request, "Closed: every grader now sees every score.")
    return redirect("quality:calibration", pk=session.pk)
