"""Each milestone's progress, read from the data: acknowledgements, certifications, the weekly scorecard.

Nobody ticks a data milestone: its date met is the day the data first showed it (the k-th
acknowledgement that took the share to its target, the first day enough agents were certified, the
last day of the week that completed the run of weeks on target). A decision (go-live) is the one
kind a person records, with a note.

Every milestone counts only what happened inside the plan and its scope: certifications earned on or
after its start, contacts and scorecard weeks of its contact types (the whole program when it names
none), acknowledgements of the agents each article asks them of.

Certifications come from the training selector
``certified_count(*, program, provider, as_of, since, certifications) -> int``; a test may put another
callable in ``SOURCES["certified_count"]``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

from concord import periods, reporting

from ..models import Acknowledgement
from ..models_transition import Milestone, TransitionPlan

#: name -> callable; ``certified_count(*, program, provider, as_of, since, certifications) -> int``
SOURCES: dict[str, Callable[..., int]] = {}

DECISIONS = frozenset({Milestone.Kind.GO_LIVE})

#: kind -> (param, default, unit): the target a data milestone is met at, and its unit
TARGETS: dict[str, tuple[str, float, str]] = {
    Milestone.Kind.ARTICLES_ACKNOWLEDGED: ("target_percent", 90.0, "percent"),
    Milestone.Kind.CURRICULUM_DELIVERED: ("count", 1, "agents certified"),
    Milestone.Kind.COHORT_CERTIFIED: ("count", 10, "agents certified"),
    Milestone.Kind.PARALLEL_RUN: ("contacts", 50, "contacts handled in a week"),
    Milestone.Kind.STABILISATION_EXIT: ("weeks", 4, "consecutive weeks on target"),
}


def certified_source() -> Callable[..., int]:
    """Where certification milestones read: the training selector, unless a test put another in SOURCES."""
    from concord.knowledge.training.selectors import certified_count  # training imports this package's models

    return SOURCES.get("certified_count", certified_count)


@dataclass(frozen=True)
class Progress:
    met_on: dt.date | None = None
    value: float | None = None  # where the data stands today, in ``unit``
    target: float | None = None
    unit: str = ""
    detail: str = ""  # a sentence for people: what was read, or why nothing could be
    available: bool = True  # False: the source of this milestone's data is missing


def target_of(milestone: Milestone) -> float:
    param, default, _ = TARGETS[milestone.kind]
    return float((milestone.params or {}).get(param, default))


class Reading:
    """One plan's data as one user may see it on one day; the weekly scorecard is read once for all milestones."""

    def __init__(self, *, user, plan: TransitionPlan, today: dt.date) -> None:
        self.user, self.plan, self.today = user, plan, today

    def progress(self, milestone: Milestone) -> Progress:
        return EVALUATORS[milestone.kind](self, milestone)

    @functools.cached_property
    def contact_types(self) -> list[str]:
        """The codes of the plan's contact types; empty: the plan is the whole program."""
        return sorted(self.plan.contact_types.values_list("code", flat=True))

    @functools.cached_property
    def scope(self) -> str:
        """What the scorecard weeks were read over, for the page."""
        if self.contact_types:
            return f"{', '.join(self.contact_types)} contacts"
        return f"all {self.plan.program.name} contacts (no contact type named)"

    @functools.cached_property
    def weeks(self) -> list | None:
        """Complete weeks (Monday to Sunday, reporting zone) inside the plan up to today: the partner's rows,
        over the plan's contact types only (the program's other work is not the work that moves).

        Only whole weeks of the plan count: a week begun before the plan started says nothing about it."""
        from concord.performance import selectors as performance

        card = self.plan.scorecard
        if card is None:
            return None
        start = first_monday(self.plan.start)
        end = periods.start_of(self.today, "week")
        if end <= start:
            return []
        report = performance.score_window(
            self.user,
            card,
            grain="week",
            start=start,
            end=end,
            provider=self.plan.provider,
            contact_types=self.contact_types or None,
        )
        return sorted((r for r in report.rows if r.period is not None), key=lambda r: r.period)


def first_monday(day: dt.date) -> dt.date:
    """The first Monday on or after ``day``: where the first whole week from that day starts."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _acknowledged(reading: Reading, milestone: Milestone) -> Progress:
    """The share of the acknowledgements the plan's articles ask of the partner's agents, as adoption counts it.

    The plan's articles: its program's, of its contact types or of none (a program-wide article applies to
    every contact type). The day met is read from the same pairs the share counts: an acknowledgement by an
    agent the article's audience does not admit used to date it. An acknowledgement of the current version
    given before the plan still counts (the agent knows that text), but the milestone is met no earlier
    than the plan's first day."""
    from ..adoption import current_required_versions, required

    target = target_of(milestone)
    plan = reading.plan
    contact_types = set(plan.contact_types.values_list("pk", flat=True))
    versions = [
        v for v in current_required_versions()
        if v.article.program_id == plan.program_id
        and (not contact_types or v.article.contact_type_id is None or v.article.contact_type_id in contact_types)
    ]  # fmt: skip
    if not versions:
        return Progress(target=target, unit="percent", detail="No article of the process asks for acknowledgement yet.")
    pairs = required(reading.user, provider=plan.provider.code, versions=versions).asked
    asked = {(a.version.pk, agent_id) for a in pairs for agent_id in a.agent_ids}
    given = {(a.version.pk, agent_id) for a in pairs for agent_id in a.agent_ids if agent_id in a.given}
    required_n, acked = len(asked), len(given)
    share = 100.0 * acked / required_n if required_n else None
    detail = f"{acked} of {required_n} required acknowledgements over {len(versions)} article(s)."
    needed = math.ceil(target * required_n / 100 - 1e-9) if required_n else None
    if needed is None or acked < needed:
        return Progress(value=share, target=target, unit="percent", detail=detail)
    # the day the share reached its target: the local day of the needed-th counted acknowledgement, in time order
    first: dict[tuple[int, int], dt.datetime] = {}
    rows = Acknowledgement.objects.filter(version__in=versions, provider=plan.provider)
    for version_id, agent_id, at in rows.values_list("version_id", "agent_id", "acknowledged_at"):
        pair = (version_id, agent_id)
        if pair in given and (pair not in first or at < first[pair]):
            first[pair] = at
    times = sorted(first.values())
    met = periods.local_date(times[needed - 1], reporting.zone()) if needed and times else plan.start
    if met < plan.start:
        detail += f" Enough were given before the plan began: met on its first day, {plan.start}."
        met = plan.start
    return Progress(met_on=met, value=share, target=target, unit="percent", detail=detail)


def _certified(reading: Reading, milestone: Milestone) -> Progress:
    """Agents certified on or after the plan's start, for the certifications its contact types' gates ask for.

    Counting every certification held made the milestone met on the first day for a partner already
    serving the program: the plan's cohort is the agents certified since it began who were not certified
    when it began (an agent renewing is not a new cohort)."""
    from concord.knowledge.training.selectors import gate_certifications

    target = target_of(milestone)
    source = certified_source()
    unit = TARGETS[milestone.kind][2]
    plan = reading.plan
    codes = reading.contact_types
    keys = gate_certifications(plan.program, codes) if codes else []
    scope = {"program": plan.program, "provider": plan.provider, "certifications": keys or None}

    def count(day: dt.date, since: dt.date | None = plan.start) -> int:
        return int(source(**scope, as_of=day, since=since))

    now = count(reading.today)
    earlier = count(reading.today, since=None) - now
    if not codes:
        what = f"any certification of {plan.program.name}"
    elif keys:
        what = f"{', '.join(keys)} (the gate of {', '.join(codes)})"
    else:
        what = f"any certification of {plan.program.name} (no gate of {', '.join(codes)} names one)"
    detail = f"{now} agent(s) of {plan.provider.name} newly certified since the plan's start ({plan.start})"
    detail += f" for {what}."
    if earlier > 0:
        detail += f" {earlier} certified before it (or renewing) not counted."
    if now < target:
        return Progress(value=now, target=target, unit=unit, detail=detail)
    # the first day the count reached the target: certifications accumulate, so a binary search over the days
    low, high = plan.start, reading.today
    if count(low) >= target:
        high = low
    while low < high:
        mid = low + (high - low) // 2
        low, high = (low, mid) if count(mid) >= target else (mid + dt.timedelta(days=1), high)
    return Progress(met_on=high, value=now, target=target, unit=unit, detail=detail)


def _parallel_run(reading: Reading, milestone: Milestone) -> Progress:
    target = target_of(milestone)
    unit = TARGETS[milestone.kind][2]
    weeks = reading.weeks
    if weeks is None:
        return Progress(target=target, unit=unit, available=False, detail="Choose the plan's scorecard.")
    for row in weeks:
        if row.volume >= target:
            detail = f"{row.volume} {reading.scope} handled in the week of {row.period}."
            return Progress(met_on=row.period + dt.timedelta(days=6), value=row.volume, target=target, unit=unit,
                            detail=detail)  # fmt: skip
    latest = weeks[-1].volume if weeks else 0
    return Progress(value=latest, target=target, unit=unit,
                    detail=f"Not yet a week with enough contacts; counted: {reading.scope}.")  # fmt: skip


def _stabilisation(reading: Reading, milestone: Milestone) -> Progress:
    target = target_of(milestone)
    unit = TARGETS[milestone.kind][2]
    weeks, line_id = reading.weeks, (milestone.params or {}).get("line")
    if weeks is None or not line_id:
        return Progress(target=target, unit=unit, available=False, detail="Choose the scorecard and its line.")
    from .schedule import phases

    stabilisation = phases(reading.plan.start, reading.plan.months, split_of(reading.plan))[2]
    first_week = first_monday(stabilisation.start)
    run, label, line_unit, last_value = 0, "", "", None
    for row in weeks:
        if row.period < first_week:
            continue
        score = next((ls for ls in row.lines if ls.line.pk == int(line_id)), None)
        if score is None:
            return Progress(target=target, unit=unit, available=False, detail="The chosen line is not on the card.")
        label, line_unit = score.line.label, score.line.unit
        last_value = None if score.value is None else score.value.value
        met = score.component.included and (score.component.attainment or 0) >= 1.0 - 1e-9
        run = run + 1 if met else 0
        if run >= target:
            detail = f"{label} on target {run} weeks in a row, over {reading.scope}."
            return Progress(met_on=row.period + dt.timedelta(days=6), value=run, target=target, unit=unit,
                            detail=detail)  # fmt: skip
    shown = "no value" if last_value is None else f"{last_value:.4g} {line_unit} last week".replace("  ", " ")
    return Progress(value=run, target=target, unit=unit,
                    detail=f"{label or 'The line'}: {run} week(s) in a row on target so far ({shown}), "
                           f"over {reading.scope}.")  # fmt: skip


def _decision(reading: Reading, milestone: Milestone) -> Progress:
    if milestone.decided_on is None:
        return Progress(detail="A decision: recorded by the plan's owner with a note.")
    return Progress(met_on=milestone.decided_on, detail=milestone.decision_note)


def split_of(plan: TransitionPlan):
    return (plan.preparation_percent, plan.transition_percent, plan.stabilisation_percent)


EVALUATORS: dict[str, Callable[[Reading, Milestone], Progress]] = {
    Milestone.Kind.ARTICLES_ACKNOWLEDGED: _acknowledged,
    Milestone.Kind.CURRICULUM_DELIVERED: _certified,
    Milestone.Kind.COHORT_CERTIFIED: _certified,
    Milestone.Kind.PARALLEL_RUN: _parallel_run,
    Milestone.Kind.GO_LIVE: _decision,
    Milestone.Kind.STABILISATION_EXIT: _stabilisation,
}
