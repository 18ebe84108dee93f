"""Transition plan pages: the list, the editor, a plan with its timeline, comments, decisions and due dates."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.web.charts import CHART_CSP, svg_response

from ..models_transition import Milestone
from ..views import _attach  # the article editor's: a service's field errors onto the form
from . import charts, selectors, services
from .forms import CommentForm, DecisionForm, DueForm, PlanForm


@login_required
@require_GET
def plan_list(request):
    rows = [selectors.status(request.user, p) for p in selectors.plans(request.user)]
    return render(request, "knowledge/transition/list.html",
                  {"rows": rows, "can_edit": selectors.can_edit(request.user)})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk=None):
    plan = selectors.plan(request.user, pk) if pk else None  # someone else's plan: 404 before 403
    if not selectors.can_edit(request.user, plan):
        raise PermissionDenied("Only the client's admins and the plan's owner change a transition plan.")
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                if plan is None:
                    plan = services.create_plan(user=request.user, data=form.to_input())
                else:
                    services.update_plan(user=request.user, plan=plan, data=form.to_input())
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, "Transition plan saved.")
                return redirect("knowledge:transition", pk=plan.pk)
    else:
        form = PlanForm(initial=PlanForm.initial_for(plan) if plan else {"status": "active"})
    title = f"Edit {plan}" if plan else "New transition plan"
    cancel = reverse("knowledge:transition", args=[plan.pk]) if plan else reverse("knowledge:transitions")
    return render(request, "web/form_page.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
@require_GET
@csp_update(CHART_CSP)
def plan_detail(request, pk):
    plan = selectors.plan(request.user, pk)
    report = selectors.status(request.user, plan)
    can_edit = selectors.can_edit(request.user, plan)
    return render(request, "knowledge/transition/detail.html", {
        "report": report, "plan": plan, "can_edit": can_edit, "spec": charts.timeline(report),
        "svg_url": reverse("knowledge:transition-svg", args=[plan.pk]),
    })  # fmt: skip


@login_required
@require_GET
def plan_svg(request, pk):
    plan = selectors.plan(request.user, pk)
    return svg_response(charts.timeline(selectors.status(request.user, plan), width=720), f"transition-{plan.pk}")


def _post(request, form, action, *, done, invalid: str) -> None:
    """A small form posted from the plan page: the service's answer (or the form's) as a message."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        action(**form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done())


@login_required
@require_POST
def plan_comment(request, pk):
    plan = selectors.plan(request.user, pk)
    _post(
        request,
        CommentForm(request.POST),
        lambda text: services.comment(user=request.user, plan=plan, text=text),
        done=lambda: "Comment added.",
        invalid="Write a comment of 1 to 2000 characters.",
    )
    return redirect("knowledge:transition", pk=plan.pk)


def _editable_milestone(request, pk) -> Milestone:
    """The milestone, 404 when its plan is not the user's to see, 403 when not theirs to change."""
    milestone = get_object_or_404(Milestone.objects.select_related("plan"), pk=pk)
    selectors.plan(request.user, milestone.plan_id)
    if not selectors.can_edit(request.user, milestone.plan):
        raise PermissionDenied("Only the client's admins and the plan's owner change its milestones.")
    return milestone


@login_required
@require_POST
def milestone_decision(request, pk):
    milestone = _editable_milestone(request, pk)
    _post(
        request,
        DecisionForm(request.POST),
        lambda **fields: services.record_decision(user=request.user, milestone=milestone, **fields),
        done=lambda: f"{milestone.get_kind_display()} recorded.",
        invalid="Give the decision's date and a note.",
    )
    return redirect("knowledge:transition", pk=milestone.plan_id)


@login_required
@require_POST
def milestone_due(request, pk):
    milestone = _editable_milestone(request, pk)
    _post(
        request,
        DueForm(request.POST),
        lambda due: services.set_due(user=request.user, milestone=milestone, due=due),
        done=lambda: f"{milestone.get_kind_display()} now due {milestone.due}.",
        invalid="Give a due date.",
    )
    return redirect("knowledge:transition", pk=milestone.plan_id)
