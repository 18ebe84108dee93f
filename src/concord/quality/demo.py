"""Demo step: one shared QA form, six months of evaluations, calibration sessions per partner.

Graders differ the way real ones do: Atlas's own graders are lenient, one client grader
("qa.strict") is harsh. Evaluated chats and emails get a conversation GENERATED here from
phrase banks per contact type (in the style of the customer-service dialogues in
../shared/data, none of their text copied) and written back to the lake row.
Runs after the interactions step; once the demo's logins exist (``after_users``) they raise and
decide disputes and record coaching, and a sampling plan is drawn for Atlas's last whole week.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import duckdb
import pyarrow as pa
from django.conf import settings

from concord.accounts import services as account_services
from concord.accounts.roles import Role
from concord.lake import scan
from concord.lake.schemas import INTERACTIONS
from concord.lake.store import Lake
from concord.lake.write import commit_batches
from concord.providers.models import Agent

from . import calibration_services, lake_writes, services
from .lake_reads import Interaction, select_list
from .models import Answer, Evaluation
from .services import CriterionSpec, RatingInput, SectionSpec

FORM = [
    SectionSpec("Opening", (
        CriterionSpec("greeting", "Greets the customer and gives their name", "yes_no", 1,
                      guidance="Greeting and own name within the first exchange."),
        CriterionSpec("verify", "Verifies identity before discussing the account", "yes_no", 2, critical=True,
                      guidance="Two factors (order number plus e-mail or postcode) before any account detail."),
    )),
    SectionSpec("Handling", (
        CriterionSpec("empathy", "Acknowledges the customer's situation", "one_to_five", 2,
                      guidance="5: names the impact and owns it; 3: polite but generic; 1: dismissive."),
        CriterionSpec("accuracy", "Gives a correct and complete answer", "points", 3, max_points=10,
                      guidance="Deduct 2 points per missing step or wrong fact (policy, dates, amounts)."),
        CriterionSpec("process", "Follows the process for the contact type", "one_to_five", 2,
                      guidance="Uses the right macro, tags and hand-off; 1: skips mandatory steps."),
    )),
    SectionSpec("Closing", (
        CriterionSpec("upsell", "Offers the relevant upgrade when eligible", "yes_no", 1, na_allowed=True,
                      guidance="N/A when the customer is not eligible or the contact is a complaint."),
        CriterionSpec("closing", "Confirms the next step and closes politely", "yes_no", 1),
    )),
]  # fmt: skip

#: the client's graders: username -> bias in criterion steps (+ lenient, - harsh)
CLIENT_GRADERS = {"qa.client": 0.0, "qa.strict": -0.9}
#: each provider has one QA grader, "<code>.grader"; Atlas's is lenient
PROVIDER_BIAS = {"ATLAS": 0.8}

TOPICS = {
    "RETURN": (
        "return the jacket I ordered, it is too small",
        "I've opened the return; the label is in your e-mail "
        "and the refund reaches your card within five working days of us receiving it",
    ),
    "BILLING": (
        "I was charged twice for the same order",
        "the second charge was an authorisation hold; it drops off "
        "within three days, and I've added a note so you are not billed again",
    ),
    "SETUP": (
        "the new router will not connect to my laptop",
        "let's reset the router to factory settings, then join "
        "the network named on the sticker with the key printed under it",
    ),
    "WARRANTY": (
        "the screen of my tablet cracked on its own after a month",
        "that is covered by the warranty; I've booked a courier pick-up for tomorrow between 9 and 1",
    ),
    "ORDER": (
        "my parcel still says in transit after a week",
        "the carrier lost the scan at the depot; I've sent a replacement by express, arriving Thursday",
    ),
}
OPENERS = ["Hi, I need help.", "Hello there.", "Good morning!", "Hey, quick question."]
EMPATHY = ["I'm sorry about the trouble, that's frustrating.", "I understand, let's sort this out now.",
           "Thanks for your patience."]  # fmt: skip


def _transcript(rng: random.Random, contact_type: str | None, agent_name: str) -> str:
    ask, answer = TOPICS.get(contact_type or "", TOPICS["ORDER"])
    first = agent_name.split()[0]
    lines = [
        f"Customer: {rng.choice(OPENERS)} I want to {ask}." if contact_type == "RETURN" else
        f"Customer: {rng.choice(OPENERS)} {ask[0].upper()}{ask[1:]}.",
        f"Agent: Hi, this is {first}. Could you give me your order number and the e-mail on the account?",
        "Customer: Sure, it's 58-" + str(rng.randint(100000, 999999)) + " and the usual address.",
        f"Agent: Thank you. {rng.choice(EMPATHY)}",
        f"Agent: I checked: {answer}.",
        "Customer: " + rng.choice(["Great, thanks.", "OK, that works.", "Fine. Hope it works this time."]),
        "Agent: " + rng.choice(["Anything else I can help with today?", "You'll get a confirmation by e-mail. Bye!"]),
    ]  # fmt: skip
    return "\n".join(lines)


def _sample(lake: Lake, per_provider_month: int, seed: int) -> list[tuple]:
    """A reproducible sample of handled contacts per provider and month, with their agent."""
    snapshot = lake.snapshot("interactions")
    if snapshot.empty:
        return []
    with duckdb.connect() as con:
        source = scan.source(con, snapshot)
        sql = (
            f"SELECT {select_list(con, source)} FROM ("  # noqa: S608 - a constant column list, lake.scan's source
            "  SELECT *, row_number() OVER ("
            "    PARTITION BY provider, strftime(created_at, '%Y-%m') ORDER BY hash(external_id || ?)) AS pick"
            f"  FROM {source}"
            "  WHERE agent IS NOT NULL AND NOT abandoned"
            ") WHERE pick <= ? ORDER BY created_at"
        )
        return con.execute(sql, [str(seed), per_provider_month]).fetchall()


def _interaction(r: tuple, transcript: str | None) -> Interaction:
    talk, hold, wrap = (x or 0.0 for x in r[9:12])
    return Interaction(
        source=r[0], external_id=r[1], provider=r[2], agent=r[3], program=r[4], contact_type=r[5], channel=r[6],
        language=r[7], created_at=r[8].astimezone(dt.UTC), handle_seconds=talk + hold + wrap, csat=r[12],
        resolved=bool(r[13]), transferred=bool(r[14]), escalated=bool(r[15]), transcript=transcript,
    )  # fmt: skip


def _rate(rng: random.Random, criterion: CriterionSpec, quality: float, bias: float) -> RatingInput:
    """A grader's rating: the contact's true quality (0-1), the grader's bias, some noise."""
    if criterion.na_allowed and rng.random() < 0.35:
        return RatingInput(None, True)
    seen = min(max(quality + 0.12 * bias + rng.gauss(0, 0.1), 0.0), 1.0)
    if criterion.scale == "yes_no":
        threshold = 0.12 if criterion.critical else 0.45
        return RatingInput(1.0 if seen > threshold else 0.0)
    if criterion.scale == "one_to_five":
        return RatingInput(float(min(5, max(1, round(1 + 4 * seen)))))
    return RatingInput(float(round(criterion.max_points * seen)))


def build_quality(ctx) -> None:
    rng = random.Random(ctx.seed + 13)
    admin = ctx.actor
    form = services.form_create(
        actor=admin, name="Customer care QA",
        description="The one QA form for every team: the client's own agents and every partner's.",
        sections=FORM,
    )  # fmt: skip
    graders, own = {}, {}
    people = [(name, Role.ANALYST, None, bias) for name, bias in CLIENT_GRADERS.items()]
    for code, info in ctx.made["providers"].items():
        own[code] = f"{code.lower()}.grader"
        people.append((own[code], Role.PROVIDER_QA, info["provider"], PROVIDER_BIAS.get(code, rng.uniform(-0.2, 0.2))))
    for username, role, provider, bias in people:
        user = account_services.user_create(
            actor=admin, username=username, email=f"{username}@example.com", role=role, provider=provider,
            first_name=username,  # graders are told apart by their login in calibration results
        )  # fmt: skip
        graders[username] = (user, bias)
    lake = Lake(settings.LAKE_URI)
    rows = _sample(lake, per_provider_month=ctx.scaled(40), seed=ctx.seed)
    if not rows:
        return
    agents = {(a.provider.code, a.employee_id): a for a in Agent.objects.select_related("provider")}
    quality_of = {key: rng.uniform(0.45, 0.9) for key in agents}  # each agent's usual level
    version = form.current
    criteria = {c.code: c for c in version.criteria_in_order()}
    rewritten, made = [], []
    for r in rows:
        agent = agents.get((r[2], r[3]))
        if agent is None:
            continue
        transcript = _transcript(rng, r[5], agent.display_name) if r[6] in ("chat", "email", "messaging") else None
        interaction = _interaction(r, transcript)
        side = rng.random() < 0.4
        name = rng.choice(list(CLIENT_GRADERS)) if side else own[r[2]]
        grader, bias = graders[name]
        quality = min(max(quality_of[(r[2], r[3])] + rng.gauss(0, 0.12), 0.02), 1.0)
        evaluation = Evaluation(
            form_version=version, provider=agent.provider, agent=agent, interaction_source=interaction.source,
            interaction_id=interaction.external_id, interaction_at=interaction.created_at,
            program=interaction.program or "", contact_type=interaction.contact_type or "",
            channel=interaction.channel or "", evaluator=grader,
        )  # fmt: skip
        ratings = {code: _rate(rng, spec, quality, bias) for section in FORM for code, spec in
                   ((c.code, c) for c in section.criteria)}  # fmt: skip
        made.append((evaluation, ratings, interaction.created_at))
        if transcript:
            rewritten.append((r, transcript))
    _store(made, criteria, version, rng)
    _write_transcripts(lake, rewritten)
    lake_writes.publish_all(lake)
    _calibrations(ctx, rng, graders, own, version, [_interaction(r, t) for r, t in rewritten])
    from .demo_followups import disputes_and_coaching  # imports this module: late

    ctx.made.setdefault("after_users", []).append(disputes_and_coaching)
    ctx.progress(f"{len(made)} QA evaluations, {len(rewritten)} generated transcripts")


def _store(made, criteria, version, rng) -> None:
    """Evaluations in bulk, scored by the same scoring function the services use."""
    from .scoring import Rating, score

    rules = version.rules()
    for evaluation, ratings, _ in made:
        result = score(rules, {c: Rating(g.value, g.not_applicable) for c, g in ratings.items()})
        evaluation.status = Evaluation.Status.COMPLETED
        evaluation.score = None if result.score is None else Decimal(f"{result.score:.2f}")
        evaluation.critical_failed = result.critical_failed
        evaluation.revision = 1
    Evaluation.objects.bulk_create([m[0] for m in made], batch_size=500)
    answers = [
        Answer(evaluation=evaluation, criterion=criteria[code], not_applicable=g.not_applicable,
               value=None if g.value is None else Decimal(str(g.value)))
        for evaluation, ratings, _ in made for code, g in ratings.items()
    ]  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=2000)
    # completed a few days after the contact, never after now
    now = dt.datetime.now(dt.UTC)
    for evaluation, _, created in made:
        later = created + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        evaluation.completed_at = min(later, max(created, now - dt.timedelta(minutes=5)))
    Evaluation.objects.bulk_update([m[0] for m in made], ["completed_at"], batch_size=500)


def _write_transcripts(lake: Lake, rewritten: list[tuple]) -> None:
    """The generated conversations onto their lake rows (a newer updated_at wins the merge)."""
    if not rewritten:
        return
    keys = [(r[0], r[1]) for r, _ in rewritten]
    texts = {(r[0], r[1]): t for r, t in rewritten}
    snapshot = lake.snapshot("interactions")
    with duckdb.connect() as con:
        con.execute("CREATE TEMP TABLE wanted (source VARCHAR, external_id VARCHAR)")
        con.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
        table = con.execute(
            f"SELECT i.* FROM {scan.source(con, snapshot)} i JOIN wanted USING (source, external_id)"  # noqa: S608
        ).to_arrow_table()
    records = table.to_pylist()
    for rec in records:
        rec["transcript"] = texts[(rec["source"], rec["external_id"])]
        rec["updated_at"] = rec["updated_at"] + dt.timedelta(seconds=1)
        rec.setdefault("created_month", rec["created_at"].astimezone(dt.UTC).strftime("%Y-%m"))
    commit_batches(lake, "interactions", pa.Table.from_pylist(records, schema=INTERACTIONS.schema).to_batches())


def _calibrations(ctx, rng, graders, own, version, pool: list[Interaction]) -> None:
    """Three closed sessions per partner: the client's QA as the key, the harsh grader, the partner's."""
    by_provider: dict[str, list[Interaction]] = {}
    for interaction in pool:
        by_provider.setdefault(interaction.provider, []).append(interaction)
    specs = [c for s in FORM for c in s.criteria]
    for code, partner_grader in own.items():
        provider = ctx.made["providers"][code]["provider"]
        if provider.kind == provider.Kind.INTERNAL:
            continue  # calibration is across the client/partner line
        chats = by_provider.get(code, [])
        for n in range(3):
            picked = chats[n * 8 : (n + 1) * 8]
            if len(picked) < 4:
                break
            people = [graders["qa.client"][0], graders["qa.strict"][0], graders[partner_grader][0]]
            session = calibration_services.session_create(
                actor=ctx.actor, title=f"{provider.name} calibration {n + 1}", provider=provider,
                form_version=version, participants=people, key_grader=people[0], interactions=picked,
            )  # fmt: skip
            truths = [rng.uniform(0.35, 0.9) for _ in picked]
            for user in people:
                bias = graders[user.username][1]
                for item, truth in zip(session.items.order_by("position"), truths, strict=True):
                    ratings = {c.code: _rate(rng, c, truth, bias) for c in specs}
                    calibration_services.calibration_score(actor=user, session=session, item=item, ratings=ratings)
                calibration_services.calibration_submit(actor=user, session=session)
            calibration_services.session_close(actor=ctx.actor, session=session)
            # held eight weeks apart, the last a week ago: the health chart is a trend, not one day's dots
            held = dt.datetime.combine(ctx.today, dt.time(14), tzinfo=dt.UTC) - dt.timedelta(days=56 * (2 - n) + 7)
            type(session).objects.filter(pk=session.pk).update(created_at=held - dt.timedelta(days=2), closed_at=held)
