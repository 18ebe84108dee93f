"""Reads of training, always for one user (except ``certified_count``, a figure for other apps).

The client sees every provider's agents, a partner its own, an agent only their own attempts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Agent, Program

from ..models import AgentCertification, Attempt, NestingStart, TrainingPlan
from . import marking, progress, spec


def plan(program: Program) -> dict | None:
    """The program's training document in force (definitions are not partner data: no user needed)."""
    found = TrainingPlan.objects.filter(program=program).order_by("-number").first()
    return found.spec if found else None


def programs(user) -> QuerySet[Program]:
    """Programs whose training the user may see: the client's all, a partner's those it serves."""
    from ..selectors import visible_programs

    return visible_programs(user)


def program(user, code: str) -> Program:
    found = programs(user).filter(code=code).first()
    if found is None:
        raise Http404("No such program.")
    return found


def agents(user, *, program: Program, as_of: dt.date, provider: str | None = None) -> QuerySet[Agent]:
    """Roster agents serving the program on ``as_of`` (hired, not yet gone) that the user may see."""
    access.require(user, Cap.VIEW_ADOPTION)
    qs = (
        Agent.objects.filter(provider__programs=program, role=Agent.Role.AGENT, hire_date__lte=as_of)
        .exclude(exit_date__lte=as_of)
        .select_related("provider", "site", "team")
        .order_by("provider__name", "display_name")
    )
    if provider:
        qs = qs.filter(provider__code=provider)
    return access.scope(user, qs)


def agent(user, employee_id: str) -> Agent:
    """One of the user's own provider's agents by the provider's id (another's and unknown: the same 404)."""
    found = access.scope(user, Agent.objects.filter(employee_id=employee_id)).select_related("provider").first()
    if found is None or user.provider_id is None or found.provider_id != user.provider_id:
        raise Http404("No such agent.")
    return found


@dataclass
class CertRow:
    agent: Agent
    program: Program
    certification: dict
    state: str
    certified_on: dt.date | None
    expires_on: dt.date | None

    @property
    def label(self) -> str:
        return marking.STATE_LABELS[self.state]


def certification_states(user, *, program: Program, as_of: dt.date, provider: str | None = None) -> list[CertRow]:
    """Each visible agent's state for each certification of the program on ``as_of``."""
    document = plan(program)
    if not document or not document["certifications"]:
        return []
    people = list(agents(user, program=program, as_of=as_of, provider=provider))
    held = _held(program, [a.pk for a in people], as_of)
    rows = []
    for person in people:
        for cert in document["certifications"]:
            periods = held[(person.pk, cert["key"])]
            state = marking.state(periods, as_of, window_days=cert["recertify_within_days"])
            latest = max((p for p in periods if p[0] <= as_of), key=lambda p: p[1], default=(None, None))
            rows.append(CertRow(person, program, cert, state, latest[0], latest[1]))
    return rows


@dataclass
class CertificationOverview:
    """The roster page's reading: state counts overall and per provider, and the rows a filter keeps."""

    counts: dict[str, int]  # state label -> agents x certifications
    per_provider: list[dict]  # {"code", "name", "states": {state: n}}, by name
    rows: list[CertRow]  # those of ``provider`` and ``state`` when given


def certification_overview(
    user, *, program: Program, as_of: dt.date, provider: str = "", state: str = ""
) -> CertificationOverview:
    """``certification_states`` summed per state and per provider, then narrowed to one provider and state."""
    rows = certification_states(user, program=program, as_of=as_of)
    counts = {label: sum(1 for r in rows if r.state == key) for key, label in marking.STATE_LABELS.items()}
    per_provider: dict[str, dict] = {}
    for r in rows:
        entry = per_provider.setdefault(
            r.agent.provider.code,
            {"code": r.agent.provider.code, "name": r.agent.provider.name,
             "states": dict.fromkeys(marking.STATE_LABELS, 0)},
        )  # fmt: skip
        entry["states"][r.state] += 1
    state = state if state in marking.STATE_LABELS else ""
    kept = [r for r in rows if (not provider or r.agent.provider.code == provider) and (not state or r.state == state)]
    return CertificationOverview(counts, sorted(per_provider.values(), key=lambda e: e["name"]), kept)


def _held(program: Program, agent_ids: list[int], as_of: dt.date) -> dict:
    out: dict = defaultdict(list)
    for agent_id, key, start, end in AgentCertification.objects.filter(
        program=program, agent_id__in=agent_ids, certified_on__lte=as_of
    ).values_list("agent_id", "certification", "certified_on", "expires_on"):
        out[(agent_id, key)].append((start, end))
    return out


def certified_count(
    *,
    program: Program,
    provider,
    as_of: dt.date,
    since: dt.date | None = None,
    certifications: list[str] | None = None,
) -> int:
    """Agents of ``provider`` on the roster on ``as_of`` holding any of the program's certifications that day.

    ``since``: only the agents certified on or after that day who were not certified the day before (a
    transition plan's cohort: a renewal by an agent already certified when the plan began is not one);
    ``certifications``: only those keys (a plan's contact types' gates).
    A figure for the transition plan's milestones; it names no one, so it takes no user: callers scope it.
    """
    awards = AgentCertification.objects.filter(program=program, provider=provider)
    if certifications is not None:
        awards = awards.filter(certification__in=certifications)
    held = awards.filter(
        agent__provider=provider, certified_on__lte=as_of, expires_on__gt=as_of, agent__hire_date__lte=as_of
    )
    if since is not None:
        already = awards.filter(certified_on__lt=since, expires_on__gte=since).values("agent_id")
        held = held.filter(certified_on__gte=since).exclude(agent_id__in=already)
    return (
        held.filter(Q(agent__exit_date__isnull=True) | Q(agent__exit_date__gt=as_of))
        .values("agent_id")
        .distinct()
        .count()
    )


def gate_certifications(program: Program, contact_types: list[str]) -> list[str]:
    """The certification keys the readiness gates of ``contact_types`` (codes) ask for, in the plan in force."""
    document = plan(program) or {}
    keys = [(spec.gate(document, code) or {}).get("certification") for code in contact_types]
    return sorted({k for k in keys if k})


@dataclass
class Readiness:
    agent: Agent
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness(
    user, *, program: Program, contact_type: str, as_of: dt.date, provider: str | None = None
) -> list[Readiness]:
    """Every visible agent of the program, with what they still miss for the contact type's gate."""
    people = list(agents(user, program=program, as_of=as_of, provider=provider))
    rows = [Readiness(p) for p in people]
    document = plan(program)
    gate = spec.gate(document, contact_type) if document else None
    if gate is None:
        for row in rows:
            row.missing.append(f"No readiness gate is defined for {program.code} / {contact_type}.")
        return rows
    ids = [p.pk for p in people]
    _modules(program, document, gate, ids, as_of, rows)
    if gate["assessment"]:
        title = spec.assessment(document, gate["assessment"])["title"]
        passed = progress.done(program, [{"key": "_", "kind": "assessment", "assessment": gate["assessment"]}], ids,
                               as_of)["_"]  # fmt: skip
        for row in rows:
            if row.agent.pk not in passed:
                row.missing.append(f"Assessment {title!r} not passed.")
    if gate["certification"]:
        cert = spec.certification(document, gate["certification"])
        held = _held(program, ids, as_of)
        for row in rows:
            periods = held[(row.agent.pk, cert["key"])]
            state = marking.state(periods, as_of, window_days=cert["recertify_within_days"])
            if state == marking.EXPIRED:
                row.missing.append(f"Certification {cert['title']!r} expired on {max(p[1] for p in periods)}.")
            elif state == marking.NOT_CERTIFIED:
                row.missing.append(f"Not certified: {cert['title']!r}.")
    _nesting(program, gate, as_of, rows)
    if gate["qa_floor_percent"] is not None:
        _qa_floor(user, gate, as_of, rows)
    return rows


def _modules(program, document, gate, ids, as_of, rows) -> None:
    if not gate["modules"]:
        return
    required = set(gate["modules"])
    modules = [m for m in spec.curriculum(document, gate["contact_type"])["modules"] if m["key"] in required]
    done = progress.done(program, modules, ids, as_of)
    for row in rows:
        for module in modules:
            if row.agent.pk not in done[module["key"]]:
                row.missing.append(f"Module not done: {module_label(module)}.")


def module_label(module: dict) -> str:
    later = f" v{module['version']} or later" if module.get("version") else ""
    what = {
        "article": f"acknowledge article {module.get('article')!r}{later}",
        "tree": f"walk decision tree {module.get('tree')!r} to an outcome",
        "assessment": f"pass assessment {module.get('assessment')!r}",
        "shadowing": f"{module.get('hours')} h shadowing/nesting recorded by a trainer or lead",
    }[module["kind"]]
    return f"{module['title']} ({what})" if module.get("title") else what


def _nesting(program, gate, as_of, rows) -> None:
    if not gate["nesting_days"]:
        return
    starts = dict(
        NestingStart.objects.filter(program=program, agent_id__in=[r.agent.pk for r in rows]).values_list(
            "agent_id", "started_on"
        )
    )
    for row in rows:
        if gate["nesting_from"] == "hire":
            start, since = row.agent.hire_date, "hire"
        else:
            start, since = starts.get(row.agent.pk), "nesting start"
            if start is None:
                row.missing.append("Nesting start not recorded.")
                continue
        days = (as_of - start).days
        if days < gate["nesting_days"]:
            row.missing.append(f"Nesting: {days} of {gate['nesting_days']} days since {since}.")


def _qa_floor(user, gate, as_of, rows) -> None:
    """The mean score of the agent's completed QA evaluations of contacts in the window, from quality's selector."""
    from concord.quality import selectors as quality

    end = progress.day_end(as_of)
    scores = {
        r["agent_id"]: r
        for r in quality.evaluations(user, status="completed")
        .filter(
            agent_id__in=[row.agent.pk for row in rows],
            score__isnull=False,
            interaction_at__lt=end,
            interaction_at__gte=end - dt.timedelta(days=gate["qa_window_days"]),
        )
        .values("agent_id")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by()
    }
    floor = Decimal(gate["qa_floor_percent"])
    for row in rows:
        found = scores.get(row.agent.pk)
        if found is None:
            row.missing.append(f"No completed QA evaluation in the last {gate['qa_window_days']} days.")
        elif Decimal(str(found["mean"])) < floor:
            row.missing.append(
                f"QA score {Decimal(str(found['mean'])).quantize(Decimal('0.1'))}% is below the {floor.normalize()}% "
                f"floor (last {gate['qa_window_days']} days, {found['n']} evaluations)."
            )


def ready_agents(*, user, program: Program, contact_type, as_of: dt.date) -> list[Agent]:
    """The visible agents who meet every part of the contact type's readiness gate on ``as_of``
    (``contact_type``: a ``ContactType`` or its code)."""
    code = getattr(contact_type, "code", contact_type)
    return [r.agent for r in readiness(user, program=program, contact_type=code, as_of=as_of) if r.ready]


def own_attempts(user) -> QuerySet[Attempt]:
    agent = access.own_agent(user)
    return Attempt.objects.filter(agent=agent).select_related("program")


def attempt(user, pk: int) -> Attempt:
    """The agent's own attempt; anyone else's is 404, as is one that does not exist."""
    found = own_attempts(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such attempt.")
    return found


def available_assessments(user) -> list[dict]:
    """For the logged-in agent: each assessment of the programs their provider serves, with their attempts."""
    agent = access.own_agent(user)
    out = []
    for prog in Program.objects.filter(providers=agent.provider_id).order_by("name"):
        document = plan(prog)
        for item in (document or {}).get("assessments", []):
            tries = list(
                Attempt.objects.filter(agent=agent, program=prog, assessment=item["key"]).order_by("-started_at")
            )
            out.append({"program": prog, "assessment": item, "attempts": tries,
                        "passed": any(t.passed for t in tries)})  # fmt: skip
    return out


def status(user, *, provider: str, as_of: dt.date) -> dict:
    """One provider's training on a day, program by program: certification states, readiness per contact type,
    and each agent's lines (what ``concord training status`` prints)."""
    out = {"provider": provider, "as_of": as_of.isoformat(), "programs": []}
    for prog in programs(user).filter(providers__code=provider).order_by("code"):
        document = plan(prog)
        if not document:
            continue
        people: dict[str, dict] = {}
        states = {state: 0 for state in marking.STATE_LABELS}
        for row in certification_states(user, program=prog, as_of=as_of, provider=provider):
            states[row.state] += 1
            person = people.setdefault(row.agent.employee_id, {"employee_id": row.agent.employee_id,
                                                                "certifications": {}, "ready_for": []})  # fmt: skip
            person["certifications"][row.certification["key"]] = {
                "state": row.state,
                "expires_on": row.expires_on.isoformat() if row.expires_on else None,
            }
        gates = []
        for gate in document["gates"]:
            rows = readiness(user, program=prog, contact_type=gate["contact_type"], as_of=as_of, provider=provider)
            gates.append({"contact_type": gate["contact_type"], "agents": len(rows),
                          "ready": sum(1 for r in rows if r.ready)})  # fmt: skip
            for r in rows:
                person = people.setdefault(r.agent.employee_id, {"employee_id": r.agent.employee_id,
                                                                 "certifications": {}, "ready_for": []})  # fmt: skip
                if r.ready:
                    person["ready_for"].append(gate["contact_type"])
                else:
                    person.setdefault("missing", {})[gate["contact_type"]] = r.missing
        out["programs"].append({"program": prog.code, "plan_version": TrainingPlan.objects.filter(program=prog)
                                .order_by("-number").values_list("number", flat=True).first(),
                                "certifications": states, "readiness": gates,
                                "agents": sorted(people.values(), key=lambda p: p["employee_id"])})  # fmt: skip
    return out


def certified_trend(user, *, program: Program, as_of: dt.date, months: int = 12) -> list[dict]:
    """Agents holding a certification of the program at each of the last ``months`` month ends (and ``as_of``),
    per provider the user sees: the chart beside the roster's states."""
    from concord.providers.models import Provider

    providers = access.scope(user, Provider.objects.filter(programs=program).order_by("name"), "pk")
    ends = []
    day = as_of.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months - 1):
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    ends = [*reversed(ends), as_of]
    return [
        {"provider": p.name, "day": end.isoformat(),
         "certified": certified_count(program=program, provider=p, as_of=end)}
        for p in providers for end in ends
    ]  # fmt: skip
