"""The QA objects the access matrix needs: the shared form, interactions in the lake, evaluations.

Everything is made before the matrix snapshots the database (in ``obj`` / ``target``
functions), so a refused write is compared against a world that already has it.
"""

from __future__ import annotations

import datetime as dt


def _qa_world(w):
    """The shared form, each partner agent's interaction in the (private) lake."""
    import pyarrow as pa
    from django.conf import settings

    from concord.lake.schemas import TABLES
    from concord.lake.store import Lake
    from concord.lake.write import commit_batches
    from concord.quality import services
    from concord.quality.models import QaForm
    from concord.quality.services import CriterionSpec, SectionSpec

    form = QaForm.objects.first()
    if form is not None:
        return form
    form = services.form_create(
        actor=w.users["client_admin"],
        name="Matrix QA",
        sections=[
            SectionSpec(
                "All",
                (
                    CriterionSpec("greeting", "Greets", "yes_no", 1),
                    CriterionSpec("empathy", "Empathy", "one_to_five", 2, na_allowed=True),
                ),
            )
        ],
    )
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    rows = []
    for agent in (w.agent_a, w.agent_b):
        row = {f.name: (False if pa.types.is_boolean(f.type) else None) for f in TABLES["interactions"].schema}
        row.update(
            source="matrix", external_id=f"{agent.employee_id}-1", provider=agent.provider.code,
            agent=agent.employee_id, program="SHARED", channel="chat", created_at=at, updated_at=at,
            created_month="2026-03", transcript="Customer: hi\nAgent: hello",
        )  # fmt: skip
        rows.append(row)
    table = pa.Table.from_pylist(rows, schema=TABLES["interactions"].schema)
    commit_batches(Lake(settings.LAKE_URI), "interactions", table.to_batches())
    return form


def _interaction(world, agent):
    from concord.quality.lake_reads import interaction
    from concord.quality.selectors import lake

    return interaction(lake(), "matrix", f"{agent.employee_id}-1")


def _qa_form(w):
    form = _qa_world(w)
    return form, form  # one form for everyone: no partner's own


def _qa_agents(w):
    _qa_world(w)
    return w.agent_a, w.agent_b


def _qa_target(w):
    """Starting an evaluation through the API writes under partner A (made ready first)."""
    _qa_world(w)
    return w.partner_a


def _evaluations(w):
    """One completed evaluation per partner, by the client admin (so partner graders are not its grader)."""
    from concord.quality import services
    from concord.quality.models import Evaluation
    from concord.quality.services import RatingInput

    form = _qa_world(w)
    made = []
    for agent in (w.agent_a, w.agent_b):
        existing = Evaluation.objects.filter(agent=agent).first()
        if existing is None:
            existing = services.evaluation_start(
                actor=w.users["client_admin"], interaction=_interaction(w, agent), form_version=form.current
            )
            services.evaluation_save(
                actor=w.users["client_admin"],
                evaluation=existing,
                ratings={"greeting": RatingInput(1), "empathy": RatingInput(4)},
                complete=True,
            )
        made.append(existing)
    return tuple(made)


def _evaluate_post(w, obj=None):
    return {"source": "matrix", "external_id": f"{obj.employee_id}-1"}


def _evaluation_start_post(w, obj=None):
    return {"agent": w.agent_a.pk, "source": "matrix", "external_id": f"{w.agent_a.employee_id}-1"}


def _evaluation_save_post(w, obj=None):
    return {"rate-greeting": "0", "rate-empathy": "na", "complete": "1"}


def _evaluation_patch(w, obj=None):
    return {"ratings": {"greeting": {"value": 0}, "empathy": {"not_applicable": True}}, "complete": True}


_SECTIONS = [{"title": "All", "criteria": [{"code": "greeting", "label": "Greets", "scale": "yes_no", "weight": 2}]}]


def _form_create_post(w, obj=None):
    return {"name": "Another form", "sections": _SECTIONS}


def _form_revise_post(w, obj=None):
    return {"sections": _SECTIONS, "note": "Greeting only"}


def _sessions(w, title: str, *, scored: bool = False, closed: bool = False):
    """A calibration per partner: the client admin (who set it up) and that partner's lead grade."""
    from concord.quality import calibration_services as cal
    from concord.quality.models import CalibrationSession
    from concord.quality.services import RatingInput

    form = _qa_world(w)
    made = []
    for provider, agent, lead in (
        (w.partner_a, w.agent_a, "partner_a_lead"),
        (w.partner_b, w.agent_b, "partner_b_lead"),
    ):
        session = CalibrationSession.objects.filter(title=title, provider=provider).first()
        if session is None:
            graders = [w.users["client_admin"], w.users[lead]]
            session = cal.session_create(
                actor=w.users["client_admin"], title=title, provider=provider, form_version=form.current,
                participants=graders, interactions=[_interaction(w, agent)],
            )  # fmt: skip
            if scored or closed:
                for grader in graders:
                    cal.calibration_score(
                        actor=grader, session=session, item=session.items.get(),
                        ratings={"greeting": RatingInput(1), "empathy": RatingInput(3)},
                    )  # fmt: skip
            if closed:
                cal.session_close(actor=w.users["client_admin"], session=session)
        made.append(session)
    return tuple(made)


def _open_sessions(w):
    return _sessions(w, "Matrix open")


def _scored_sessions(w):
    return _sessions(w, "Matrix scored", scored=True)


def _closed_sessions(w):
    return _sessions(w, "Matrix closed", closed=True)


def _calibration_score_post(w, obj=None):
    return {"item": "1", "rate-greeting": "1", "rate-empathy": "2"}


def _calibration_api_score_post(w, obj=None):
    return {"item": 1, "ratings": {"greeting": {"value": 0}, "empathy": {"value": 5}}}


def _calibration_create_post(w, obj=None):
    return {
        "title": "API session", "provider": w.partner_a.pk, "participants": ["client_admin", "partner_a_lead"],
        "interactions": [{"source": "matrix", "external_id": f"{w.agent_a.employee_id}-1"}],
    }  # fmt: skip


def _disputes(w):
    """An open dispute per partner, raised by its lead on an evaluation a client grader (not the admin) made,
    so the client admin may decide it and no partner may (the client's grading)."""
    from concord.accounts.models import User
    from concord.accounts.roles import Role
    from concord.quality import services
    from concord.quality.dispute_services import dispute_raise
    from concord.quality.models import Dispute
    from concord.quality.services import RatingInput

    form = _qa_world(w)
    grader = User.objects.filter(username="matrix_grader").first()
    if grader is None:
        grader = User.objects.create(username="matrix_grader", email="g@example.com", role=Role.ANALYST)
    made = []
    for agent, lead in ((w.agent_a, "partner_a_lead"), (w.agent_b, "partner_b_lead")):
        existing = Dispute.objects.filter(evaluation__agent=agent, evaluation__evaluator=grader).first()
        if existing is None:
            evaluation = services.evaluation_start(
                actor=grader, interaction=_interaction(w, agent), form_version=form.current
            )
            services.evaluation_save(
                actor=grader, evaluation=evaluation, ratings={"greeting": RatingInput(0), "empathy": RatingInput(2)},
                complete=True,
            )  # fmt: skip
            existing = dispute_raise(
                actor=w.users[lead], evaluation=evaluation, criterion_code="greeting", reason="Greeted by name"
            )
        made.append(existing)
    return tuple(made)


def _dispute_target(w):
    """Raising a dispute through the API writes under partner A (its evaluation made ready first)."""
    _evaluations(w)
    return w.partner_a


def _dispute_raise_post(w, obj=None):
    return {"criterion": "greeting", "reason": "I greeted them", "proposed": "0"}


def _dispute_api_raise_post(w, obj=None):
    from concord.quality.models import Evaluation

    evaluation = Evaluation.objects.filter(agent=w.agent_a, evaluator=w.users["client_admin"]).get()
    return {"evaluation": evaluation.pk, "criterion": "greeting", "reason": "I greeted them"}


def _dispute_decide_post(w, obj=None):
    return {"outcome": "accepted", "rating": "1", "note": "Greeted in line 1."}


def _dispute_api_decide_post(w, obj=None):
    return {"outcome": "rejected", "note": "As graded."}


def _coaching_sessions(w):
    """A coaching session per partner's agent, recorded by the client admin."""
    import datetime as dt

    from concord.quality import coaching
    from concord.quality.models import CoachingSession

    _qa_world(w)
    made = []
    for agent in (w.agent_a, w.agent_b):
        existing = CoachingSession.objects.filter(agent=agent).first() or coaching.coaching_record(
            actor=w.users["client_admin"], agent=agent, held_on=dt.date(2026, 3, 4), topic="Matrix", metrics=["aht"]
        )
        made.append(existing)
    return tuple(made)


def _coaching_post(w, obj=None):
    return {"held_on": "2026-03-04", "topic": "Tone", "metrics": ["csat"], "commitments": "Slow down"}


def _coaching_api_post(w, obj=None):
    return {"agent": w.agent_a.pk, "held_on": "2026-03-04", "topic": "Tone", "metrics": ["csat"]}


def _plans(w):
    """A sampling plan per partner for the week of the matrix interactions, drawn by the client admin."""
    import datetime as dt

    from concord.quality import sampling_services
    from concord.quality.models import SamplingPlan

    _qa_world(w)
    made = []
    for provider in (w.partner_a, w.partner_b):
        existing = SamplingPlan.objects.filter(provider=provider).first() or sampling_services.plan_create(
            actor=w.users["client_admin"], name=f"Matrix {provider.code}", provider=provider,
            week_start=dt.date(2026, 3, 2), per_agent=2, evaluators=[w.users["client_admin"]], seed=1,
        )  # fmt: skip
        made.append(existing)
    return tuple(made)


def _plan_post(w, obj=None):
    return {
        "name": "Week 10", "provider": w.partner_a.pk, "week": "2026-03-02", "per_agent": 2,
        "risk_low_csat": 0, "risk_long_handle": 0, "risk_repeat": 2, "stratify": "on",
        "evaluators": [w.users["partner_a_lead"].pk],
    }  # fmt: skip


def _plan_api_post(w, obj=None):
    return {
        "name": "Week 10", "provider": w.partner_a.pk, "week_start": "2026-03-02", "per_agent": 2,
        "evaluators": ["partner_a_lead"], "risk": {"repeat": 2},
    }  # fmt: skip


def _form_edit_post(w, obj=None):
    return {
        "rows": "2", "note": "Greeting weighs more",
        "c-0-section": "All", "c-0-code": "greeting", "c-0-label": "Greets", "c-0-scale": "yes_no", "c-0-weight": "3",
        "c-1-section": "All", "c-1-code": "empathy", "c-1-label": "Empathy", "c-1-scale": "one_to_five",
        "c-1-weight": "2", "c-1-na_allowed": "on",
    }  # fmt: skip


def _calibration_new_post(w, obj=None):
    return {
        "provider": w.partner_a.pk, "title": "Set up in the page",
        "participants": [w.users["client_admin"].pk, w.users["partner_a_lead"].pk],
        "interactions": [f"matrix|{w.agent_a.employee_id}-1"],
    }  # fmt: skip
