"""The training objects the access matrix needs: a plan for each program (assessment, certification,
shadowing module, gate), and an attempt by partner A's agent and one by partner B's agent."""

from __future__ import annotations

import datetime as dt

PLAN = {
    "assessments": [{"key": "matrix", "title": "Matrix", "questions_per_attempt": 1, "pass_percent": 50,
                     "questions": [{"key": "q", "kind": "true_false", "text": "Yes?", "correct": True}]}],
    "certifications": [{"key": "matrix-cert", "title": "Matrix", "assessment": "matrix"}],
    "curricula": [],
    "gates": [],
}  # fmt: skip


def _plan_for(w, program, contact_type):
    from concord.knowledge.training import services

    document = {**PLAN, "curricula": [{"contact_type": contact_type, "title": "C", "modules": [
        {"key": f"shadow-{contact_type.lower()}", "kind": "shadowing", "hours": 2}]}],
        "gates": [{"contact_type": contact_type, "assessment": "matrix", "nesting_days": 0}]}  # fmt: skip
    return services.save_plan(user=w.users["client_admin"], program=program, document=document)[0]


def _training_programs(w):
    """The shared program (partner A serves it) and B's own, each with a plan."""
    from concord.knowledge.models import TrainingPlan

    if not TrainingPlan.objects.exists():
        _plan_for(w, w.program_shared, "ORD")
        _plan_for(w, w.program_b_only, "B1")
    return w.program_shared, w.program_b_only


def _training_agents(w):
    _training_programs(w)
    return w.agent_a, w.agent_b


def _attempts(w):
    from concord.knowledge.models import Attempt

    _training_programs(w)
    if not Attempt.objects.exists():
        now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
        # B's on B's own program: the matrix reads a record with a program as that program's providers'
        for agent, program in ((w.agent_a, w.program_shared), (w.agent_b, w.program_b_only)):
            Attempt.objects.create(
                program=program, assessment="matrix", agent=agent, provider=agent.provider, seed=1,
                questions=[{"key": "q", "kind": "true_false", "text": "Yes?", "choices": ["True", "False"],
                            "correct": [0]}], pass_percent=50, started_at=now,
            )  # fmt: skip
    return tuple(Attempt.objects.order_by("pk"))


def _training_plan_post(w, obj=None):
    import yaml

    return {"spec": yaml.safe_dump({**PLAN, "gates": []}), "note": "matrix"}


def _training_target(w):
    """Made before the matrix snapshots the database: the program a plan is posted for."""
    return _training_programs(w)[0]


def _training_agent_target(w):
    """Made before the snapshot: partner A's agent, whom the LMS payloads name."""
    return _training_agents(w)[0]


def _training_plan_api_post(w, obj=None):
    return {"program": "SHARED", "spec": {**PLAN, "certifications": []}}


def _result_api_post(w, obj=None):
    return {"program": "SHARED", "assessment": "matrix", "employee_id": "PA-001", "score_percent": 75,
            "taken_at": "2026-03-02T09:00:00Z"}  # fmt: skip


def _shadowing_api_post(w, obj=None):
    return {"program": "SHARED", "module": "shadow-ord", "employee_id": "PA-001", "on": "2026-03-02", "hours": 2}


def _shadowing_post(w, obj=None):
    return {"module": "SHARED:shadow-ord", "on": "2026-03-02", "hours": 2}


def _nesting_post(w, obj=None):
    return {"program": "SHARED", "started_on": "2026-03-02"}


def _attempt_post(w, obj=None):
    return {"q": "0"}
