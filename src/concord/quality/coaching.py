"""Coaching sessions: record one (service), read them scoped (selectors), and the agent's numbers
for the weeks before and after it, with the change and the volume behind each figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from concord import engine, periods, reporting
from concord.accounts import access, audit
from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.roles import Cap
from concord.metrics import REGISTRY, MetricRequest
from concord.providers.models import Agent

from .models import Evaluation
from .selectors import lake
from .work_models import CoachingSession

#: what a session is about when the coach names no metric
DEFAULT_METRICS = ("qa_score", "aht", "csat")
WEEKS = 4


def _coachable_metrics() -> dict[str, str]:
    return {key: m.label for key, m in REGISTRY.items() if m.source in ("interactions", "evaluations")}


@transaction.atomic
def coaching_record(
    *,
    actor,
    agent: Agent,
    held_on: dt.date,
    topic: str,
    evaluations: list[Evaluation] = (),
    metrics: list[str] = (),
    notes: str = "",
    commitments: str = "",
    follow_up_on: dt.date | None = None,
) -> CoachingSession:
    """A coach (a grader or lead of the agent's provider, or the client's) records a session with one agent."""
    access.require_for_provider(actor, Cap.EVALUATE, agent.provider_id)
    if not topic.strip():
        raise ValidationError({"topic": "Give the session a topic."})
    unknown = sorted(set(metrics) - set(_coachable_metrics()))
    if unknown:
        raise ValidationError(
            {"metrics": f"Unknown metric {', '.join(unknown)}; choose from {', '.join(_coachable_metrics())}."}
        )
    for evaluation in evaluations:
        if evaluation.agent_id != agent.pk:
            raise ValidationError({"evaluations": f"Evaluation {evaluation.pk} is not of {agent.display_name}."})
    if follow_up_on is not None and follow_up_on < held_on:
        raise ValidationError({"follow_up_on": "The follow-up date comes after the session."})
    if not evaluations and not metrics:
        raise ValidationError({"evaluations": "Link the session to at least one evaluation or metric."})
    session = audit.create(
        actor=actor,
        instance=CoachingSession(
            provider_id=agent.provider_id, agent=agent, coach=actor, held_on=held_on, topic=topic.strip(),
            metrics=list(dict.fromkeys(metrics)), notes=notes.strip(), commitments=commitments.strip(),
            follow_up_on=follow_up_on,
        ),
    )  # fmt: skip
    session.evaluations.set(evaluations)
    return session


def sessions(user) -> QuerySet[CoachingSession]:
    """Coaching the user may see: their provider's (the client: all); an agent their own."""
    access.require(user, Cap.VIEW_OWN_EVALUATIONS)
    qs = CoachingSession.objects.select_related("agent", "provider", "coach").prefetch_related("evaluations")
    return access.scope_to_person(user, qs)


def session(user, session_id: int) -> CoachingSession:
    access.require(user, Cap.VIEW_OWN_EVALUATIONS)
    qs = CoachingSession.objects.select_related("agent__provider", "provider", "coach")
    return access.get_person_record_or_404(user, qs, pk=session_id)


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date  # exclusive
    complete: bool  # False: the window has not ended yet (figures so far)


@dataclass(frozen=True)
class MetricChange:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    before: float | None
    before_volume: int
    after: float | None
    after_volume: int
    too_little: bool  # either side below the metric's minimum volume

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def better(self) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        return (self.change > 0) == self.higher_is_better


def windows(held_on: dt.date, *, weeks: int = WEEKS, today: dt.date | None = None) -> tuple[Window, Window]:
    """``weeks`` whole weeks before the session's week, and as many after it (the session's own week in neither)."""
    week = periods.start_of(held_on, "week")
    today = today or reporting.today()
    before = Window(periods.shift(week, "week", -weeks), week, True)
    after_start = periods.shift(week, "week", 1)
    after_end = periods.shift(after_start, "week", weeks)
    return before, Window(after_start, after_end, after_end <= today)


def agent_ids(agent: Agent) -> list[str]:
    """How the lake names the agent: employee id and their ids in each source system."""
    ids = agent.external_ids.exclude(source=LOGIN_SOURCE).values_list("external_id", flat=True)
    return sorted({agent.employee_id, *ids})


def before_and_after(s: CoachingSession, *, weeks: int = WEEKS, today: dt.date | None = None) -> dict:
    before, after = windows(s.held_on, weeks=weeks, today=today)
    keys = [k for k in (s.metrics or DEFAULT_METRICS) if k in REGISTRY]
    if s.evaluations.exists() and "qa_score" not in keys:
        keys.insert(0, "qa_score")
    filters = {"provider": [s.agent.provider.code], "agent": agent_ids(s.agent)}
    values = {}
    for window in (before, after):
        for source in sorted({REGISTRY[k].source for k in keys}):
            request = MetricRequest(
                metrics=[k for k in keys if REGISTRY[k].source == source],
                start=window.start,
                end=window.end,
                timezone=settings.REPORTING_TIMEZONE,
                filters=filters,
            )
            result = engine.run(request, lake())
            row = result.rows[0].values if result.rows else {}
            for k in request.metrics:
                values[(window.start, k)] = row.get(k)
    changes = []
    for k in keys:
        metric = REGISTRY[k]
        b, a = values.get((before.start, k)), values.get((after.start, k))
        changes.append(
            MetricChange(
                key=k,
                label=metric.label,
                unit=metric.unit,
                higher_is_better=metric.direction.kind == "higher",
                before=b.value if b else None,
                before_volume=b.volume if b else 0,
                after=a.value if a else None,
                after_volume=a.volume if a else 0,
                too_little=bool((b and b.too_little_volume) or (a and a.too_little_volume) or not b or not a),
            )
        )
    return {"before": before, "after": after, "weeks": weeks, "changes": changes}
