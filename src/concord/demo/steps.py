from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

from concord.accounts.models import User
from concord.contracts.demo import build_month_close
from concord.governance.demo import build_governance
from concord.ingest.demo import build_interactions
from concord.knowledge.demo import build_knowledge
from concord.knowledge.training.demo import build_training
from concord.knowledge.transition.demo import build_transition
from concord.performance.demo import build_drift_alerts, build_scorecards_and_contracts
from concord.planning.demo import build_forecasts, build_planning
from concord.quality.demo import build_quality

from .context import DemoContext, DemoResult
from .organisation import build_organisation, build_users
from .roster import build_roster
from .roster_lake import build_roster_snapshots


class DemoAlreadyLoaded(RuntimeError):
    pass


#: Every domain's demo data, in the order it must be made. Add a step here.
STEPS: list[tuple[str, Callable[[DemoContext], object]]] = [
    ("organisation", build_organisation),
    ("roster", build_roster),
    ("roster snapshots", build_roster_snapshots),  # monthly snapshots in the lake: people metrics
    ("interactions", build_interactions),
    ("scorecards and contracts", build_scorecards_and_contracts),  # after interactions: reads the lake
    ("drift scan", build_drift_alerts),  # after scorecards: scans each provider x scorecard metric in the lake
    ("planning events", build_planning),
    ("forecasts shared among providers", build_forecasts),  # after scorecards and events
    ("quality", build_quality),  # after interactions: evaluates lake contacts, writes evaluations back
]
#: Steps acting as the demo's people, so after their logins exist.
STEPS_AS_USERS: list[tuple[str, Callable[[DemoContext], object]]] = [
    ("month close and sign-off", build_month_close),
    ("knowledge base", build_knowledge),  # after logins: the agent login keeps an acknowledgement open
    ("training and certification", build_training),  # after the knowledge base: curricula name its articles, trees
    ("transition plan", build_transition),  # after the knowledge campaign it reads, and the scorecards
    ("governance", build_governance),  # after month close: packs show the closed statements
]


@contextmanager
def _no_mail_sent():
    """The demo's past reminders and notices land in the inboxes, not in anyone's mail: without this the console
    backend printed some fifty emails over the logins table. Mail sent once the transaction commits is kept in
    memory and dropped."""
    from django.conf import settings

    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous


def build(
    *,
    seed: int = 7,
    scale: float = 1.0,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoResult:
    """Load the demo operation into an empty database. Same seed and day, same operation."""
    if User.objects.filter(username="admin").exists():
        raise DemoAlreadyLoaded("The demo operation is already loaded; use a fresh database to load it again.")
    ctx = DemoContext(
        seed=seed, scale=scale, today=today or dt.date.today(), rng=random.Random(seed), progress=progress
    )
    with _no_mail_sent(), transaction.atomic():
        for name, step in STEPS:
            progress(f"demo: {name}…")
            step(ctx)
        logins = build_users(ctx)
        for name, step in STEPS_AS_USERS:
            progress(f"demo: {name}…")
            step(ctx)
        for hook in ctx.made.get("after_users", []):  # steps whose data needs the demo logins
            hook(ctx)
    return DemoResult(
        logins=logins,
        summary={
            "providers": len(ctx.made["providers"]),
            "agents": sum(len(p.get("people", [])) for p in ctx.made["providers"].values()),
        },
    )
