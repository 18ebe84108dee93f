"""Benchmark: readiness of 2,000 agents for one contact type, certification states, certified_count.

    .venv/bin/python bench/training.py [--agents 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_bench_training .venv/bin/python bench/training.py

The gate asks for an article acknowledgement, a tree walk, an assessment pass and shadowing hours, a
certification, a nesting period and a QA score floor: every reader readiness has. The baseline is the
same run's floor for any per-agent report: reading the visible agents once with their provider, site and
team. Readiness should stay a small multiple of it (it runs a fixed number of queries per module, not per
agent). Runs in a fresh SQLite file (or the PostgreSQL database DATABASE_URL names, which it empties first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from knowledge import _setup


def build(agents_n: int, rng: random.Random):
    from concord.accounts.models import User
    from concord.accounts.roles import Role
    from concord.knowledge import services as kb
    from concord.knowledge import tree_services
    from concord.knowledge.models import Acknowledgement, AgentCertification, Attempt, ShadowingRecord
    from concord.knowledge.training import services
    from concord.providers.models import Agent, ContactType, Program, Provider
    from concord.quality.models import Evaluation, FormVersion, QaForm

    admin = User.objects.create(username="bench-admin", role=Role.CLIENT_ADMIN)
    program = Program.objects.create(code="TRAIN", name="Training bench")
    ContactType.objects.create(program=program, code="CT", name="Contact type", channel="chat")
    version = kb.publish(user=admin, program=program, data=kb.ArticleInput(
        slug="steps", title="Steps", body="# Steps\n\nDo it.", requires_ack=True)).version  # fmt: skip
    tree_services.publish_tree(user=admin, program=program, slug="tree", title="Tree", spec={
        "start": "q", "nodes": {"q": {"question": "?", "answers": [{"label": "A", "next": "a"},
                                                                   {"label": "B", "next": "b"}]},
                                "a": {"action": "A"}, "b": {"action": "B"}}})  # fmt: skip
    document = {
        "assessments": [{"key": "exam", "title": "Exam", "questions_per_attempt": 1, "pass_percent": 80,
                         "questions": [{"key": "q", "kind": "true_false", "text": "?", "correct": True}]}],
        "certifications": [{"key": "cert", "title": "Cert", "assessment": "exam"}],
        "curricula": [{"contact_type": "CT", "title": "CT", "modules": [
            {"key": "read", "kind": "article", "article": "steps"}, {"key": "walk", "kind": "tree", "tree": "tree"},
            {"key": "pass", "kind": "assessment", "assessment": "exam"},
            {"key": "shadow", "kind": "shadowing", "hours": 8}]}],
        "gates": [{"contact_type": "CT", "certification": "cert", "nesting_days": 14, "qa_floor_percent": 80}],
    }  # fmt: skip
    services.save_plan(user=admin, program=program, document=document)
    form = FormVersion.objects.create(form=QaForm.objects.create(name="Bench form"), number=1)
    agents = []
    for p in range(5):
        provider = Provider.objects.create(code=f"T{p}", name=f"Provider {p}")
        program.providers.add(provider)
        agents += [Agent(provider=provider, employee_id=f"T{p}-{i}", display_name="a",
                         hire_date=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500)))
                   for i in range(agents_n // 5)]  # fmt: skip
    agents = Agent.objects.bulk_create(agents, batch_size=2000)
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    Acknowledgement.objects.bulk_create([
        Acknowledgement(version=version, agent=a, provider_id=a.provider_id, acknowledged_at=now)
        for a in agents if rng.random() < 0.85], batch_size=5000)  # fmt: skip
    passed = [a for a in agents if rng.random() < 0.8]
    Attempt.objects.bulk_create([
        Attempt(program=program, assessment="exam", agent=a, provider_id=a.provider_id, pass_percent=80,
                score_percent=100, passed=True, started_at=now, submitted_at=now, via="lms") for a in passed
    ], batch_size=5000)  # fmt: skip
    AgentCertification.objects.bulk_create([
        AgentCertification(program=program, certification="cert", agent=a, provider_id=a.provider_id,
                           certified_on=today - dt.timedelta(days=rng.randint(0, 500)),
                           expires_on=today + dt.timedelta(days=rng.randint(-100, 300))) for a in passed
    ], batch_size=5000)  # fmt: skip
    ShadowingRecord.objects.bulk_create([
        ShadowingRecord(program=program, module="shadow", agent=a, provider_id=a.provider_id,
                        on=today - dt.timedelta(days=d), hours=Decimal(rng.choice([2, 3, 4])))
        for a in agents for d in range(3)
    ], batch_size=5000)  # fmt: skip
    Evaluation.objects.bulk_create([
        Evaluation(form_version=form, provider_id=a.provider_id, agent=a, interaction_source="b",
                   interaction_id=f"{a.pk}-{n}", interaction_at=now - dt.timedelta(days=n), evaluator=admin,
                   status="completed", score=Decimal(rng.randint(60, 100))) for a in agents for n in range(4)
    ], batch_size=5000)  # fmt: skip
    return admin, program, today


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp)
        from django.db import connection

        from concord.knowledge.training import selectors

        rng = random.Random(11)
        started = time.perf_counter()
        admin, program, today = build(args.agents, rng)
        print(f"built {args.agents:,} agents' training in {time.perf_counter() - started:.1f} s ({connection.vendor})")

        def timed(fn) -> float:
            best = float("inf")
            for _ in range(args.repeat):
                t = time.perf_counter()
                fn()
                best = min(best, time.perf_counter() - t)
            return best * 1000

        floor = timed(lambda: list(selectors.agents(admin, program=program, as_of=today)))
        ready = timed(lambda: selectors.readiness(admin, program=program, contact_type="CT", as_of=today))
        certs = timed(lambda: selectors.certification_states(admin, program=program, as_of=today))
        count = timed(lambda: [selectors.certified_count(program=program, provider=p, as_of=today)
                               for p in program.providers.all()])  # fmt: skip
        rows = selectors.readiness(admin, program=program, contact_type="CT", as_of=today)
        print(f"ready: {sum(r.ready for r in rows):,} of {len(rows):,}")
        print(f"agents read (floor)       {floor:8.1f} ms")
        print(f"readiness, 7-part gate    {ready:8.1f} ms  ({ready / floor:.1f}x the floor)")
        print(f"certification states      {certs:8.1f} ms  ({certs / floor:.1f}x the floor)")
        print(f"certified_count x 5       {count:8.1f} ms")


if __name__ == "__main__":
    main()
