"""Every change to training records: keyword-only, the acting user, one transaction, audited.

The client defines a program's training (``save_plan``); agents take their own assessments
(``start_attempt`` / ``submit_attempt``); a partner's trainer or lead, or its LMS through the API,
records its own agents' results, shadowing hours and nesting starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from concord import reporting
from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.providers.models import Agent, ContactType, Program

from ..models import AgentCertification, Article, Attempt, DecisionTree, NestingStart, ShadowingRecord, TrainingPlan
from . import marking, spec


def save_plan(*, user, program: Program, document: object, note: str = "") -> tuple[TrainingPlan, bool]:
    """A new version of the program's training; the same document again changes nothing."""
    access.require(user, Cap.EDIT_KNOWLEDGE)
    try:
        cleaned = spec.check(document)
    except spec.SpecError as exc:
        raise ValidationError({"spec": str(exc)}) from None
    _check_references(program, cleaned)
    digest = hashlib.sha256(json.dumps(cleaned, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)  # two saves at once: one version each
        current = TrainingPlan.objects.filter(program=program).order_by("-number").first()
        if current is not None and current.digest == digest:
            return current, False
        plan = TrainingPlan.objects.create(
            program=program, number=(current.number + 1) if current else 1, spec=cleaned, digest=digest,
            note=note[:300], created_by=user if user.pk else None,
        )  # fmt: skip
        audit.record(actor=user, action="create", instance=plan, before=None, after=audit.snapshot(plan))
    return plan, True


def _check_references(program: Program, cleaned: dict) -> None:
    """Contact types, articles (and versions) and trees the document names must exist in the program."""
    contact_types = set(ContactType.objects.filter(program=program).values_list("code", flat=True))
    for section in ("curricula", "gates"):
        for i, item in enumerate(cleaned[section]):
            if item["contact_type"] not in contact_types:
                raise ValidationError(
                    {"spec": f"{section}[{i}].contact_type: program {program.code} has no contact type "
                             f"{item['contact_type']!r}."}
                )  # fmt: skip
    articles = {a.slug: a for a in Article.objects.filter(program=program)}
    trees = set(DecisionTree.objects.filter(program=program).values_list("slug", flat=True))
    for i, curriculum in enumerate(cleaned["curricula"]):
        for j, module in enumerate(curriculum["modules"]):
            where = f"curricula[{i}].modules[{j}]"
            if module["kind"] == "article":
                article = articles.get(module["article"])
                if article is None:
                    raise ValidationError({"spec": f"{where}.article: no article {module['article']!r} in "
                                                   f"{program.code}."})  # fmt: skip
                if module.get("version") and not article.versions.filter(number=module["version"]).exists():
                    raise ValidationError({"spec": f"{where}.version: {module['article']!r} has no version "
                                                   f"{module['version']}."})  # fmt: skip
                # an agent can only acknowledge a version that asks for it: otherwise the module never completes
                if not article.versions.filter(requires_ack=True, number__gte=module.get("version") or 1).exists():
                    first = module.get("version") or 1
                    raise ValidationError(
                        {"spec": f"{where}.article: no version of {module['article']!r} from v{first} on asks for "
                                 "acknowledgement."}
                    )  # fmt: skip
            if module["kind"] == "tree" and module["tree"] not in trees:
                raise ValidationError({"spec": f"{where}.tree: no decision tree {module['tree']!r} in {program.code}."})


def plan_of(program: Program) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(program=program).order_by("-number").first()


def _assessment_or_error(program: Program, key: str) -> tuple[TrainingPlan, dict]:
    plan = plan_of(program)
    found = spec.assessment(plan.spec, key) if plan else None
    if found is None:
        raise ValidationError({"assessment": f"Program {program.code} has no assessment {key!r}."})
    return plan, found


def _attempts_left(agent: Agent, program: Program, assessment: dict, now: dt.datetime) -> None:
    """Refuse a new attempt after the cycle's last one, or inside the cool-down after a failed one."""
    submitted = Attempt.objects.filter(
        agent=agent, program=program, assessment=assessment["key"], submitted_at__isnull=False
    ).order_by("-submitted_at")
    last_pass = submitted.filter(passed=True).first()
    cycle = submitted.filter(submitted_at__gt=last_pass.submitted_at) if last_pass else submitted
    if cycle.count() >= assessment["max_attempts"]:
        raise ValidationError(
            f"All {assessment['max_attempts']} attempts at {assessment['title']!r} are used: your trainer decides "
            "what comes next."
        )
    latest = submitted.first()
    if latest is not None and not latest.passed and assessment["cooldown_hours"]:
        ready_at = latest.submitted_at + dt.timedelta(hours=assessment["cooldown_hours"])
        if now < ready_at:
            local = timezone.localtime(ready_at, reporting.zone())
            raise ValidationError(f"The next attempt opens at {local:%Y-%m-%d %H:%M} ({reporting.zone().key}).")


def start_attempt(*, user, program: Program, assessment: str, now: dt.datetime | None = None) -> Attempt:
    """The logged-in agent's attempt: an open one again, or a fresh draw (seed stored) if the rules allow."""
    agent = access.own_agent(user)
    if not program.providers.filter(pk=agent.provider_id).exists():
        raise ValidationError({"assessment": f"Your team does not serve program {program.code}."})
    now = now or timezone.now()
    _, found = _assessment_or_error(program, assessment)
    with transaction.atomic():
        Agent.objects.select_for_update().get(pk=agent.pk)  # a double click starts one attempt, not two
        open_attempt = Attempt.objects.filter(
            agent=agent, program=program, assessment=assessment, submitted_at__isnull=True
        ).first()
        if open_attempt is not None:
            return open_attempt
        _attempts_left(agent, program, found, now)
        seed = secrets.randbits(48)
        attempt = Attempt.objects.create(
            program=program, assessment=assessment, agent=agent, provider_id=agent.provider_id, seed=seed,
            questions=marking.draw(found["questions"], found["questions_per_attempt"], seed),
            pass_percent=Decimal(found["pass_percent"]), started_at=now, recorded_by=user,
        )  # fmt: skip
        audit.record(actor=user, action="create", instance=attempt, before=None, after=_attempt_audit(attempt))
    return attempt


def _attempt_audit(attempt: Attempt) -> dict:
    return audit.snapshot(attempt) | {"questions": [q["key"] for q in attempt.questions]}


def submit_attempt(*, user, attempt: Attempt, answers: dict, now: dt.datetime | None = None) -> Attempt:
    """Mark the agent's own open attempt; a submitted one is returned as marked (a second click)."""
    own = access.own_agent(user)
    if attempt.agent_id != own.pk:
        from django.http import Http404

        raise Http404("No such attempt.")
    clean = _clean_answers(attempt, answers)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            return attempt
        before = _attempt_audit(attempt)
        result = marking.mark(attempt.questions, clean, attempt.pass_percent)
        attempt.answers, attempt.score_percent, attempt.passed = clean, result.score_percent, result.passed
        attempt.submitted_at = now or timezone.now()
        attempt.save(update_fields=["answers", "score_percent", "passed", "submitted_at"])
        audit.record(actor=user, action="update", instance=attempt, before=before, after=_attempt_audit(attempt))
        if attempt.passed:
            _award(user=user, attempt=attempt)
    return attempt


def _clean_answers(attempt: Attempt, answers: dict) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for question in attempt.questions:
        chosen = answers.get(question["key"], [])
        chosen = chosen if isinstance(chosen, list | tuple) else [chosen]
        try:
            picked = sorted({int(c) for c in chosen})
        except (TypeError, ValueError):
            raise ValidationError({question["key"]: "Choose among the answers shown."}) from None
        if any(not 0 <= c < len(question["choices"]) for c in picked):
            raise ValidationError({question["key"]: "Choose among the answers shown."})
        if question["kind"] != "multiple" and len(picked) > 1:
            raise ValidationError({question["key"]: "This question takes one answer."})
        out[question["key"]] = picked
    return out


def _award(*, user, attempt: Attempt) -> None:
    """Certify (or renew) for every certification of the plan that this assessment stands for."""
    plan = plan_of(attempt.program)
    passed_on = timezone.localtime(attempt.submitted_at, reporting.zone()).date()
    for cert in (c for c in plan.spec["certifications"] if c["assessment"] == attempt.assessment):
        held = (
            AgentCertification.objects.filter(agent=attempt.agent, program=attempt.program, certification=cert["key"])
            .order_by("-expires_on")
            .values_list("certified_on", "expires_on")
            .first()
        )
        dates = marking.renewal(
            held, passed_on, valid_months=cert["valid_months"], window_days=cert["recertify_within_days"]
        )
        if dates is None:
            continue
        award, created = AgentCertification.objects.get_or_create(
            agent=attempt.agent, program=attempt.program, certification=cert["key"], expires_on=dates[1],
            defaults={"provider_id": attempt.provider_id, "certified_on": dates[0], "attempt": attempt,
                      "recorded_by": user if user.pk else None},
        )  # fmt: skip
        if created:
            audit.record(actor=user, action="create", instance=award, before=None, after=audit.snapshot(award))


def record_result(
    *, user, agent: Agent, program: Program, assessment: str, score_percent: Decimal, taken_at: dt.datetime
) -> tuple[Attempt, bool]:
    """A partner LMS's result for its own agent, marked against the plan's pass mark; the same result
    (agent, assessment, time) again changes nothing."""
    access.require_for_provider(user, Cap.RECORD_TRAINING, agent.provider_id)
    if not program.providers.filter(pk=agent.provider_id).exists():
        raise ValidationError({"program": f"{agent.provider.code} does not serve program {program.code}."})
    _, found = _assessment_or_error(program, assessment)
    if not Decimal(0) <= Decimal(score_percent) <= Decimal(100):
        raise ValidationError({"score_percent": "A score is a percentage from 0 to 100."})
    if taken_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"taken_at": "A result cannot be from the future."})
    with transaction.atomic():
        existing = Attempt.objects.filter(
            agent=agent, program=program, assessment=assessment, submitted_at=taken_at, via=Attempt.Via.LMS
        ).first()
        if existing is not None:
            return existing, False
        score = Decimal(score_percent).quantize(Decimal("0.01"))
        pass_mark = Decimal(found["pass_percent"])
        attempt = Attempt.objects.create(
            program=program, assessment=assessment, agent=agent, provider_id=agent.provider_id, score_percent=score,
            pass_percent=pass_mark, passed=score >= pass_mark, started_at=taken_at, submitted_at=taken_at,
            via=Attempt.Via.LMS, recorded_by=user if user.pk else None,
        )  # fmt: skip
        audit.record(actor=user, action="create", instance=attempt, before=None, after=_attempt_audit(attempt))
        if attempt.passed:
            _award(user=user, attempt=attempt)
    return attempt, True


def record_shadowing(
    *, user, agent: Agent, program: Program, module: str, on: dt.date, hours: Decimal, note: str = ""
) -> tuple[ShadowingRecord, bool]:
    """Hours a trainer or lead saw; one row per agent, module and day (recording it again updates it)."""
    access.require_for_provider(user, Cap.RECORD_TRAINING, agent.provider_id)
    plan = plan_of(program)
    found = spec.module(plan.spec, module) if plan else None
    if found is None or found["kind"] != "shadowing":
        raise ValidationError({"module": f"Program {program.code} has no shadowing module {module!r}."})
    if not Decimal("0") < Decimal(hours) <= Decimal("24"):
        raise ValidationError({"hours": "Hours in one day: more than 0, at most 24."})
    if on > reporting.today() or on < agent.hire_date:
        raise ValidationError({"on": "The day must lie between the agent's hire date and today."})
    with transaction.atomic():
        row = (
            ShadowingRecord.objects.select_for_update()
            .filter(agent=agent, program=program, module=module, on=on)
            .first()
        )
        if row is not None and row.hours == Decimal(hours) and row.note == note[:300]:
            return row, False
        before = audit.snapshot(row) if row else None
        if row is None:
            row = ShadowingRecord(agent=agent, program=program, module=module, on=on, provider_id=agent.provider_id)
        row.hours, row.note, row.recorded_by = Decimal(hours), note[:300], user if user.pk else None
        row.save()
        audit.record(actor=user, action="update" if before else "create", instance=row, before=before,
                     after=audit.snapshot(row))  # fmt: skip
    return row, before is None


def record_nesting_start(*, user, agent: Agent, program: Program, started_on: dt.date) -> NestingStart:
    access.require_for_provider(user, Cap.RECORD_TRAINING, agent.provider_id)
    if started_on > reporting.today() or started_on < agent.hire_date:
        raise ValidationError({"started_on": "Nesting starts between the agent's hire date and today."})
    with transaction.atomic():
        row = NestingStart.objects.select_for_update().filter(agent=agent, program=program).first()
        if row is not None and row.started_on == started_on:
            return row
        before = audit.snapshot(row) if row else None
        row = row or NestingStart(agent=agent, program=program, provider_id=agent.provider_id)
        row.started_on, row.recorded_by = started_on, user if user.pk else None
        row.save()
        audit.record(actor=user, action="update" if before else "create", instance=row, before=before,
                     after=audit.snapshot(row))  # fmt: skip
    return row
