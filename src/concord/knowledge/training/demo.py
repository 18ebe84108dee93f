"""Demo step: training plans for the demo programs, and each agent's training history.

Most agents passed their program's assessment through the partner's LMS and hold the certification;
a few let it expire, some are inside the recertification window, the newest hires are still training
(part of their shadowing hours, no pass yet). Atlas CX certifies fewer and later, as it acknowledges.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.providers.models import Agent

from ..models import AgentCertification, Attempt, DecisionTree, NestingStart, ShadowingRecord
from . import marking, services
from .demo_plans import plans

#: provider code -> share of (longer-serving) agents who passed; the rest are not certified
PASS_SHARE = {"ATLAS": 0.7}
DEFAULT_PASS_SHARE = 0.93
EXPIRED_SHARE = 0.06  # passed once but never renewed: shown as expired


def build_training(ctx) -> None:
    trees = set(DecisionTree.objects.values_list("slug", flat=True))
    made = 0
    for code, document in plans(trees).items():
        program = ctx.made["programs"][code]
        plan, _ = services.save_plan(user=ctx.actor, program=program, document=document,
                                     note="First curriculum, assessment and gates.")  # fmt: skip
        made += _history(ctx, program, plan.spec)
    ctx.progress(f"training plans for {len(ctx.made['programs'])} programs, {made} certifications")


def _history(ctx, program, document) -> int:
    assessment = document["assessments"][0]
    cert = document["certifications"][0]
    agents = (
        Agent.objects.filter(provider__programs=program, role=Agent.Role.AGENT, hire_date__lte=ctx.today)
        .exclude(exit_date__lte=ctx.today)
        .select_related("provider")
        .order_by("pk")
    )
    shadowing = [m for c in document["curricula"] for m in c["modules"] if m["kind"] == "shadowing"]
    attempts, awards, hours, nesting = [], [], [], []
    zone_noon = dt.time(12, tzinfo=dt.UTC)
    for agent in agents:
        tenure = (ctx.today - agent.hire_date).days
        nesting.append(NestingStart(program=program, agent=agent, provider_id=agent.provider_id,
                                    started_on=min(ctx.today, agent.hire_date + dt.timedelta(days=10))))  # fmt: skip
        trained = tenure >= 28
        for module in shadowing:
            needed = Decimal(module["hours"])
            done = needed if trained else (needed * Decimal(min(tenure, 27)) / 28).quantize(Decimal("0.5"))
            if done > 0:
                hours.append(ShadowingRecord(program=program, module=module["key"], agent=agent,
                                             provider_id=agent.provider_id, hours=min(done, Decimal(24)),
                                             on=min(ctx.today, agent.hire_date + dt.timedelta(days=12))))  # fmt: skip
        if not trained or ctx.rng.random() > PASS_SHARE.get(agent.provider.code, DEFAULT_PASS_SHARE):
            continue
        # the first pass some weeks after hire, renewed in the window each cycle while the agent stays current;
        # a few stopped renewing, so their certificate is now expired
        passed_on = agent.hire_date + dt.timedelta(days=ctx.rng.randint(20, 27))
        lapses = ctx.rng.random() < EXPIRED_SHARE
        held = None
        while passed_on <= ctx.today:
            dates = marking.renewal(held, passed_on, valid_months=cert["valid_months"],
                                    window_days=cert["recertify_within_days"])  # fmt: skip
            at = dt.datetime.combine(passed_on, zone_noon)
            attempts.append(Attempt(program=program, assessment=assessment["key"], agent=agent,
                                    provider_id=agent.provider_id, score_percent=Decimal(ctx.rng.choice([80, 90, 100])),
                                    pass_percent=Decimal(assessment["pass_percent"]), passed=True, started_at=at,
                                    submitted_at=at, via=Attempt.Via.LMS))  # fmt: skip
            awards.append(AgentCertification(program=program, certification=cert["key"], agent=agent,
                                             provider_id=agent.provider_id, certified_on=dates[0],
                                             expires_on=dates[1]))  # fmt: skip
            held = dates
            if lapses:
                break
            window = ctx.rng.randint(1, cert["recertify_within_days"] or 1)
            passed_on = dates[1] - dt.timedelta(days=window)  # the agent re-passes inside the window
    NestingStart.objects.bulk_create(nesting, batch_size=2000)
    ShadowingRecord.objects.bulk_create(hours, batch_size=2000)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    AgentCertification.objects.bulk_create(awards, batch_size=2000)
    return len(awards)
