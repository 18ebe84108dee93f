"""Demo, once the demo's logins exist: disputes decided every way (some still open), coaching sessions
with commitments and follow-ups, and a sampling plan for Atlas's last whole week."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings

from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.models import User
from concord.lake.store import Lake
from concord.providers.models import Agent

from . import coaching, dispute_services, sampling, sampling_services, services
from .demo import FORM, _rate
from .lake_reads import recent_for_agents
from .models import Evaluation
from .services import RatingInput


def disputes_and_coaching(ctx) -> None:
    """Some disputes (decided every way, a few still open) and coaching sessions, by the demo's people;
    the Atlas agent login gets evaluations of its own first, so its page has something to dispute."""
    rng = random.Random(ctx.seed + 29)
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "atlas.agent",
                "atlas.lead",
                "atlas.qa",
                "atlas.grader",
                "qa.client",
                "qa.strict",
                "analyst",
                "bravo.lead",
                "bravo.grader",
                "manager",
            ]
        )
    }
    if "atlas.grader" not in people or "qa.client" not in people:
        return
    lake = Lake(settings.LAKE_URI)
    form_version = Evaluation.objects.order_by("pk").first().form_version
    mine = Agent.objects.filter(external_ids__source=LOGIN_SOURCE, external_ids__external_id="atlas.agent").first()
    if mine is not None and not mine.evaluations.exists():
        ids = [mine.employee_id, *mine.external_ids.exclude(source=LOGIN_SOURCE).values_list("external_id", flat=True)]
        for found in recent_for_agents(lake, mine.provider.code, ids, limit=4):
            evaluation = services.evaluation_start(
                actor=people["atlas.grader"], interaction=found, form_version=form_version
            )
            ratings = {c.code: _rate(rng, c, rng.uniform(0.5, 0.85), 0.8) for s in FORM for c in s.criteria}
            services.evaluation_save(
                actor=people["atlas.grader"], evaluation=evaluation, ratings=ratings, complete=True
            )

    def dispute(*args, **kwargs):
        return demo_dispute(people, *args, **kwargs)

    completed = Evaluation.objects.filter(status=Evaluation.Status.COMPLETED).select_related("evaluator")
    if mine is not None:
        own = list(completed.filter(agent=mine).order_by("-interaction_at")[:3])
        plan = [
            ("accepted", "The customer's name is in my first line; please look again."),
            ("rejected", "I followed the returns macro step by step."),
            (None, "The answer was complete."),
        ]
        for evaluation, (outcome, why) in zip(own, plan, strict=False):
            dispute(
                people["atlas.agent"],
                evaluation,
                why,
                outcome,
                people["qa.client"],
                "Checked the transcript: agreed." if outcome == "accepted" else "As graded: the verify step came late.",
            )
    strict = list(completed.filter(provider__code="ATLAS", evaluator__username="qa.strict").order_by("pk")[:4])
    for evaluation, outcome in zip(strict, ["partly_accepted", "accepted", "rejected", None], strict=False):
        dispute(
            people["atlas.lead"],
            evaluation,
            "Scored harder than our calibration key would.",
            outcome,
            people.get("analyst") or people["qa.client"],
            "Reviewed against the key's notes.",
        )
    if "bravo.lead" in people:
        bravo = list(completed.filter(provider__code="BRAVO").order_by("pk")[:2])
        for evaluation, outcome in zip(bravo, ["accepted", None], strict=False):
            dispute(
                people["bravo.lead"],
                evaluation,
                "The hand-off was the documented one.",
                outcome,
                people["qa.client"],
                "Right: the macro changed in the spring.",
            )

    coach = people.get("atlas.qa") or people["atlas.grader"]
    held = ctx.today - dt.timedelta(days=24)
    if mine is not None:
        coaching.coaching_record(
            actor=coach,
            agent=mine,
            held_on=held,
            topic="Verification before account changes",
            evaluations=list(completed.filter(agent=mine)[:2]),
            metrics=["aht", "csat"],
            notes="Walked through two chats where the order was discussed before verifying.",
            commitments="Verify order number and e-mail before any account detail\nUse the returns macro",
            follow_up_on=held + dt.timedelta(days=28),
        )
    for agent in Agent.objects.filter(provider__code="ATLAS", evaluations__isnull=False).distinct().order_by("pk")[:3]:
        coaching.coaching_record(
            actor=people.get("atlas.lead", coach),
            agent=agent,
            held_on=held - dt.timedelta(days=rng.randint(7, 40)),
            topic="Handle time on returns",
            metrics=["aht", "qa_score"],
            commitments="Close with the next step",
            evaluations=list(agent.evaluations.filter(status=Evaluation.Status.COMPLETED)[:1]),
            follow_up_on=held,
        )
    # a sampling plan for Atlas's last whole week, shared between its grader and the client's
    week = ctx.today - dt.timedelta(days=ctx.today.weekday() + 7)
    atlas = ctx.made["providers"].get("ATLAS", {}).get("provider")
    if atlas is not None:
        sampling_services.plan_create(
            actor=ctx.actor,
            name=f"Atlas week of {week:%d %b}",
            provider=atlas,
            week_start=week,
            per_agent=3,
            evaluators=[people["atlas.grader"], people["qa.client"]],
            seed=ctx.seed,
            risk=sampling.Risk(low_csat=3, long_handle=1, repeat=2),
        )
    _spread_dispute_times(rng)
    ctx.progress(f"QA disputes and coaching: {coaching.CoachingSession.objects.count()} coaching sessions")


def demo_dispute(people, raiser, evaluation, why, outcome=None, reviewer=None, note=""):
    """A dispute of the first criterion graded below its top, asking a step up, decided as ``outcome`` if given."""
    for answer in evaluation.answers.select_related("criterion").order_by("criterion__position"):
        c = answer.criterion
        top = {"yes_no": 1, "one_to_five": 5}.get(c.scale, c.max_points)
        if answer.not_applicable or answer.value is None or answer.value >= top:
            continue
        asked = min(float(answer.value) + (1 if c.scale != "points" else 2), top)
        made = dispute_services.dispute_raise(
            actor=raiser,
            evaluation=evaluation,
            criterion_code=c.code,
            reason=why,
            proposed=RatingInput(asked),
        )
        if outcome:
            if reviewer.pk == evaluation.evaluator_id:  # nobody decides on their own grading
                reviewer = people.get("analyst") or people["manager"]
            # part of what was asked: a point between the grade and the ask, when there is one (a grade
            # one point below the top asks for the top, and nothing lies between)
            partly = (
                RatingInput(float(answer.value) + 1)
                if outcome == "partly_accepted" and c.scale == "points" and asked - float(answer.value) >= 2
                else None
            )
            if outcome == "partly_accepted" and partly is None:
                outcome = "accepted"
            dispute_services.dispute_decide(actor=reviewer, dispute=made, outcome=outcome, note=note, rating=partly)
        return made
    return None


def _spread_dispute_times(rng) -> None:
    """Disputes are raised a few days after their evaluation was completed and decided a few days later, as in a
    real queue; made at demo load they all carried the same minute."""
    import datetime as dt

    from django.utils import timezone

    from .work_models import Dispute

    now = timezone.now()
    for d in Dispute.objects.select_related("evaluation"):
        done = d.evaluation.completed_at or now - dt.timedelta(days=30)
        raised = min(done + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8)), now - dt.timedelta(days=2))
        decided = None if d.decided_at is None else min(raised + dt.timedelta(days=rng.randint(1, 4)), now)
        Dispute.objects.filter(pk=d.pk).update(raised_at=raised, decided_at=decided)
