"""Dispute pages: the list with rates and outcomes, raising one on an evaluation, deciding one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap

from . import dispute_selectors, dispute_services, selectors
from .inputs import rating_from_text
from .work_models import Dispute


@login_required
@require_GET
def disputes(request):
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in Dispute.Outcome.values else ""
    rows = dispute_selectors.disputes(request.user, outcome=outcome or None)[:200]
    context = {"disputes": rows, "outcome": outcome, "outcomes": Dispute.Outcome.choices}
    if access.can(request.user, Cap.VIEW_QUALITY):
        context["by_evaluator"] = dispute_selectors.rates(request.user, by="evaluator")
        context["by_provider"] = dispute_selectors.rates(request.user, by="provider")
    return render(request, "quality/disputes.html", context)


@login_required
@require_POST
def dispute_raise(request, pk: int):
    evaluation = selectors.evaluation(request.user, pk)
    access.require(request.user, Cap.DISPUTE_EVALUATIONS)
    try:
        dispute_services.dispute_raise(
            actor=request.user,
            evaluation=evaluation,
            criterion_code=request.POST.get("criterion", ""),
            reason=request.POST.get("reason", ""),
            proposed=rating_from_text(request.POST.get("proposed"), "Proposed rating"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Dispute raised. A reviewer decides it; until then the score stays as it is.")
    return redirect("quality:evaluation", pk=evaluation.pk)


@login_required
@require_POST
def dispute_decide(request, pk: int):
    dispute = dispute_selectors.dispute(request.user, pk)
    dispute_services.require_reviewer(request.user, dispute)  # 403 before reading the form
    try:
        decided = dispute_services.dispute_decide(
            actor=request.user,
            dispute=dispute,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            rating=rating_from_text(request.POST.get("rating"), "New rating"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        shown = "no score" if decided.score_after is None else f"{decided.score_after:.1f} %"
        messages.success(request, f"Dispute {decided.get_outcome_display().lower()}. Score now {shown}.")
    return redirect("quality:evaluation", pk=dispute.evaluation_id)
