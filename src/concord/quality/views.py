"""QA pages: evaluations list, the shared form, choosing an interaction, the evaluation screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent

from . import dispute_selectors, selectors, services
from .dispute_services import may_review
from .inputs import ratings_from_post
from .models import Evaluation


@login_required
@require_GET
def index(request):
    qs = selectors.evaluations(request.user, status=request.GET.get("status") or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    can_evaluate = access.can(request.user, Cap.EVALUATE)
    agents = (
        access.scope(request.user, Agent.objects.filter(role=Agent.Role.AGENT, exit_date__isnull=True))
        .select_related("provider")
        .order_by("provider__name", "display_name")
        if can_evaluate
        else Agent.objects.none()
    )
    return render(
        request,
        "quality/index.html",
        {
            "page": page,
            "forms": selectors.forms(request.user),
            "can_evaluate": can_evaluate,
            "agents": agents,
            "own_only": not access.can(request.user, Cap.VIEW_QUALITY),
            "can_edit_form": access.can(request.user, Cap.EDIT_QA_FORMS) and request.user.provider_id is None,
            "status": request.GET.get("status", ""),
        },
    )


@login_required
@require_GET
def pick(request):
    """The index's "evaluate an agent" chooser, without JavaScript: on to that agent's interactions."""
    access.require(request.user, Cap.EVALUATE)
    agent_id = request.GET.get("agent", "")
    if not agent_id.isdigit():
        messages.error(request, "Choose an agent to evaluate.")
        return redirect("quality:index")
    agent = selectors.evaluable_agent(request.user, int(agent_id))
    return redirect("quality:evaluate", pk=agent.pk)


@login_required
@require_GET
def form_detail(request, pk: int):
    form = selectors.form(request.user, pk)
    version = form.current
    number = request.GET.get("version")
    if number and number.isdigit():
        version = form.versions.filter(number=int(number)).first() or version
    criteria = version.criteria_in_order()
    total = sum(c.weight for c in criteria)
    rows = [{"criterion": c, "share": 100 * c.weight / total} for c in criteria]
    return render(
        request,
        "quality/form_detail.html",
        {
            "form": form,
            "version": version,
            "rows": rows,
            "versions": form.versions.all(),
            "can_edit": access.can(request.user, Cap.EDIT_QA_FORMS) and request.user.provider_id is None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, pk: int):
    """Pick one of the agent's interactions from the lake (GET) and start its evaluation (POST)."""
    agent = selectors.evaluable_agent(request.user, pk)
    form = selectors.forms(request.user).first()
    if request.method == "POST":
        if form is None:
            messages.error(request, "There is no QA form yet; a client form editor creates it first.")
            return redirect("quality:index")
        interaction = selectors.interaction_to_evaluate(
            request.user, agent, request.POST.get("source", ""), request.POST.get("external_id", "")
        )
        try:
            evaluation = services.evaluation_start(
                actor=request.user, interaction=interaction, form_version=form.current
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("quality:evaluate", pk=agent.pk)
        return redirect("quality:evaluation", pk=evaluation.pk)
    interactions = selectors.interactions_to_evaluate(request.user, agent)
    return render(request, "quality/evaluate.html", {"agent": agent, "interactions": interactions, "form": form})


def answer_rows(criteria, answers: dict, posted=None) -> list[dict]:
    """Each criterion with its answer (keyed by criterion id), or what was just posted when refused."""
    steps = {"yes_no": [("1", "Yes"), ("0", "No")], "one_to_five": [(str(i), str(i)) for i in range(1, 6)]}
    rows = []
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        if posted is not None:
            raw = posted.get(f"rate-{criterion.code}", "")
            na = raw == "na" or posted.get(f"na-{criterion.code}") == "on"
            comment = posted.get(f"comment-{criterion.code}", "")
        else:
            na = bool(answer and answer.not_applicable)
            raw = "" if answer is None or answer.value is None else f"{answer.value.normalize():f}"
            comment = answer.comment if answer else ""
        rows.append(
            {"criterion": criterion, "value": raw, "na": na, "comment": comment, "steps": steps.get(criterion.scale)}
        )
    return rows


def _evaluation_page(request, evaluation: Evaluation, posted=None):
    interaction = selectors.interaction_of(request.user, evaluation)
    disputes = dispute_selectors.of_evaluation(request.user, evaluation)
    open_dispute = any(d.is_open for d in disputes)
    editable = (
        evaluation.evaluator_id == request.user.pk and access.can(request.user, Cap.EVALUATE) and not open_dispute
    )
    return render(
        request,
        "quality/evaluation.html",
        {
            "evaluation": evaluation,
            "interaction": interaction,
            "transcript_lines": (interaction.transcript or "").splitlines() if interaction else [],
            "rows": answer_rows(
                evaluation.form_version.criteria_in_order(),
                {a.criterion_id: a for a in evaluation.answers.all()},
                posted,
            ),
            "editable": editable,
            "can_coach": access.can(request.user, Cap.EVALUATE),
            "disputes": [{"dispute": d, "may_decide": d.is_open and may_review(request.user, d)} for d in disputes],
            "may_dispute": evaluation.status == Evaluation.Status.COMPLETED
            and access.can(request.user, Cap.DISPUTE_EVALUATIONS),
            "comment": posted.get("comment", "") if posted is not None else evaluation.comment,
        },
        status=400 if posted is not None else 200,
    )


@login_required
@require_GET
def evaluation(request, pk: int):
    """The evaluation screen: transcript beside the form; editable by its grader, read-only to others."""
    return _evaluation_page(request, selectors.evaluation(request.user, pk))


@login_required
@require_POST
def evaluation_save(request, pk: int):
    evaluation = selectors.evaluation(request.user, pk)
    services.require_evaluator(request.user, evaluation)  # 403 for anyone but its grader, before parsing
    try:
        services.evaluation_save(
            actor=request.user,
            evaluation=evaluation,
            ratings=ratings_from_post(evaluation.form_version, request.POST),
            comment=request.POST.get("comment", ""),
            complete="complete" in request.POST,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _evaluation_page(request, evaluation, posted=request.POST)
    evaluation.refresh_from_db()
    if evaluation.status == Evaluation.Status.COMPLETED:
        shown = "no score (every criterion N/A)" if evaluation.score is None else f"{evaluation.score:.1f} %"
        messages.success(request, f"Saved. Score: {shown}.")
    else:
        messages.success(request, "Draft saved.")
    return redirect(reverse("quality:evaluation", args=[evaluation.pk]))
