"""Ready headcount beside total headcount, for the planning pages' "count only ready agents" toggle."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap

from . import selectors


@dataclass
class ReadyHeadcount:
    programs: list
    program: object
    contact_types: list
    contact_type: str
    only_ready: bool
    as_of: object
    rows: list[dict] = field(default_factory=list)  # provider, total, ready

    def ready_by_provider(self) -> dict[int, int]:
        return {r["provider"].pk: r["ready"] for r in self.rows}


def ready_headcount(user, params) -> ReadyHeadcount | None:
    """From the query string (``ready_program``, ``ready_contact_type``, ``only_ready``); None for a user who
    does not see training records."""
    if not access.can(user, Cap.VIEW_ADOPTION):
        return None
    programs = list(selectors.programs(user).order_by("name"))
    program = next((p for p in programs if p.code == params.get("ready_program")), None)
    program = program or next((p for p in programs if selectors.plan(p)), None)
    if program is None:
        return None
    contact_types = list(program.contact_types.order_by("name"))
    codes = [c.code for c in contact_types]
    code = params.get("ready_contact_type") if params.get("ready_contact_type") in codes else (codes or [""])[0]
    as_of = reporting.today()
    rows = selectors.readiness(user, program=program, contact_type=code, as_of=as_of)
    totals, ready = Counter(), Counter()
    providers = {}
    for r in rows:
        providers[r.agent.provider_id] = r.agent.provider
        totals[r.agent.provider_id] += 1
        ready[r.agent.provider_id] += r.ready
    out = ReadyHeadcount(programs, program, contact_types, code, params.get("only_ready") == "1", as_of)
    out.rows = [{"provider": providers[pk], "total": totals[pk], "ready": ready[pk]}
                for pk in sorted(providers, key=lambda pk: providers[pk].name)]  # fmt: skip
    return out
