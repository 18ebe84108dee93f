"""Reads for QA, always scoped to the requesting user (``accounts.access`` decides)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.lake.store import Lake
from concord.providers.models import Agent

from . import lake_reads
from .lake_reads import Interaction
from .models import Evaluation, FormVersion, QaForm


def _require_some_quality(user) -> None:
    """Every QA reader has VIEW_OWN_EVALUATIONS; VIEW_QUALITY widens it to everyone in scope."""
    access.require(user, Cap.VIEW_OWN_EVALUATIONS)


def forms(user) -> QuerySet[QaForm]:
    """The form is shared by everyone: every QA reader sees it (an agent sees what they are graded on)."""
    _require_some_quality(user)
    return QaForm.objects.prefetch_related("versions")


def form(user, form_id: int) -> QaForm:
    try:
        return forms(user).get(pk=form_id)
    except (QaForm.DoesNotExist, ValueError) as exc:
        raise Http404("No such form.") from exc


def form_version(user, version_id: int) -> FormVersion:
    _require_some_quality(user)
    try:
        return FormVersion.objects.select_related("form").get(pk=version_id)
    except (FormVersion.DoesNotExist, ValueError) as exc:
        raise Http404("No such form version.") from exc


def evaluations(user, *, agent_id: int | None = None, status: str | None = None) -> QuerySet[Evaluation]:
    _require_some_quality(user)
    qs = Evaluation.objects.select_related("agent", "provider", "evaluator", "form_version__form")
    qs = access.scope_to_person(user, qs)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def evaluation(user, evaluation_id: int) -> Evaluation:
    _require_some_quality(user)
    qs = Evaluation.objects.select_related("agent", "provider", "evaluator", "form_version__form").prefetch_related(
        "answers__criterion"
    )
    return access.get_person_record_or_404(user, qs, pk=evaluation_id)


def evaluable_agent(user, agent_id: int) -> Agent:
    """An agent this user may evaluate: their own provider's (partner QA), anyone's (client QA)."""
    access.require(user, Cap.EVALUATE)
    return access.get_visible_or_404(user, Agent.objects.select_related("provider"), pk=agent_id)


def lake() -> Lake:
    return Lake(settings.LAKE_URI)


def interactions_to_evaluate(user, agent: Agent, *, limit: int = 30) -> list[Interaction]:
    """The agent's newest handled contacts in the lake (the grader chooses; sampling plans come later)."""
    agent = evaluable_agent(user, agent.pk)
    ids = [agent.employee_id, *agent.external_ids.values_list("external_id", flat=True)]
    return lake_reads.recent_for_agents(lake(), agent.provider.code, ids, limit=limit)


def interaction_to_evaluate(user, agent: Agent, source: str, external_id: str) -> Interaction:
    """The lake's interaction, only if it is this agent's and the user may evaluate the agent."""
    agent = evaluable_agent(user, agent.pk)
    found = lake_reads.interaction(lake(), source, external_id)
    ids = {agent.employee_id, *agent.external_ids.values_list("external_id", flat=True)}
    if found is None or found.provider != agent.provider.code or found.agent not in ids:
        raise Http404("No such interaction for this agent.")
    return found


def interaction_of(user, evaluation_: Evaluation) -> Interaction | None:
    """The evaluated interaction as the lake has it now (transcript included), if still there."""
    evaluation(user, evaluation_.pk)  # the same access check as the evaluation itself
    return lake_reads.interaction(lake(), evaluation_.interaction_source, evaluation_.interaction_id)
