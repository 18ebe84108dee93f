"""A small lake with hand-known ramps on the shared World (dates relative to today, so it stays in range).

M = the Monday 20 weeks before this week. Contacts at noon UTC (same local day on every site clock).
- Internal team INT (Europe/Madrid), hired 60 weeks before M, so tenured: INT-001, INT-002, INT-003 handle
  30 contacts each in week M+1 at 300, 400 and 500 s -> internal median AHT 400; band limit 440 s.
- Partner A (Asia/Manila): five agents PA-101..PA-105 hired on M, 6 contacts each a week:
  week 0 at 800 s, week 1 at 600 s, week 2 at 430 s -> cohort AHT 800, 600, 430: proficient in week 2.
  Measured ramp after training: 400/800, 400/600 = 0.5, 0.667.
- Partner B (America/Bogota): two agents PB-101, PB-102 hired on M, 15 contacts each at 300 s in week 0:
  proficient in week 0 but too small a cohort (2 < 5): shown, not used; no measured ramp for PB.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest
from tests.performance.conftest import contact, write_lake

from concord.providers.models import Agent


def monday_m() -> dt.date:
    today = dt.date.today()
    return today - timedelta(days=today.weekday(), weeks=20)


def _noon(day: dt.date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _agent(world, provider, site, team, employee_id, hire):
    return Agent.objects.create(provider=provider, site=site, team=team, employee_id=employee_id,
                                display_name=employee_id, hire_date=hire)  # fmt: skip


@pytest.fixture
def ramp_world(world, settings):
    m = monday_m()
    internal_site = world.internal.sites.get()
    Agent.objects.filter(provider=world.internal).update(hire_date=m - timedelta(weeks=60))
    rows = []
    for n, talk in ((1, 300), (2, 400), (3, 500)):
        code = f"INT-00{n}"
        if n > 1:
            _agent(world, world.internal, internal_site, None, code, m - timedelta(weeks=60))
        rows += [contact("INT", code, talk=talk, wait=5, when=_noon(m + timedelta(weeks=1)), site="INT-S1")
                 for _ in range(30)]  # fmt: skip
    for n in range(1, 6):
        code = f"PA-10{n}"
        _agent(world, world.partner_a, world.site_a, world.team_a, code, m)
        for week, talk in ((0, 800), (1, 600), (2, 430)):
            rows += [contact("PA", code, talk=talk, wait=5, when=_noon(m + timedelta(weeks=week, days=1)))
                     for _ in range(6)]  # fmt: skip
    for n in (1, 2):
        code = f"PB-10{n}"
        _agent(world, world.partner_b, world.site_b, world.team_b, code, m)
        rows += [contact("PB", code, talk=300, wait=5, when=_noon(m + timedelta(days=2))) for _ in range(15)]
    write_lake(settings.LAKE_URI, rows)
    return world
