"""Parallel run and stabilisation exit, read from the weekly scorecard of a small lake with hand-known numbers.

Plan 2 Mar 2026 + 3 months: transition 30 Mar-16 Apr (parallel run due 8 Apr), stabilisation 17 Apr-1 Jun,
its whole weeks counted from Monday 20 April. Card line AHT, lower is better, target 300 s. Partner A's contacts,
one Wednesday noon UTC per week:
- week of 23 Feb: 3 contacts, before the plan -> not counted (whole weeks inside the plan only)
- week of 23 Mar: 1 contact (AHT 250)        -> fewer than the 2 a parallel run needs
- week of 13 Apr: 2 contacts, AHT 400        -> the parallel run (met Sunday 19 Apr, 11 days late)
- weeks of 20 Apr, 27 Apr, 4 May: AHT 250    -> three weeks on target in a row: exit met Sunday 10 May
- week of 11 May: AHT 400                    -> off target again (the run was already complete)
Partner B handles 5 contacts a week from 23 Mar at AHT 250: never counted for partner A's plan.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.performance.conftest import card, contact, write_lake  # noqa: F401  (card: fixture)

from concord.knowledge.transition import selectors
from concord.knowledge.transition.progress import first_monday
from concord.providers.models import ContactType

from .transition_helpers import make_plan

D = dt.date


def _week(monday: dt.date, provider="PA", n=2, talk=250, contact_type="ORD"):
    when = dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC)
    return [contact(provider, f"{provider}-001", talk=talk, wait=10, when=when, contact_type=contact_type)
            for _ in range(n)]  # fmt: skip


@pytest.fixture
def weekly_lake(settings, tmp_path):
    return _weekly_lake(settings, tmp_path)


def _weekly_lake(settings, tmp_path, extra=()):
    rows = (
        _week(D(2026, 2, 23), n=3)
        + _week(D(2026, 3, 23), n=1)
        + _week(D(2026, 4, 13), talk=400)
        + _week(D(2026, 5, 11), talk=400)
    )
    for monday in (D(2026, 4, 20), D(2026, 4, 27), D(2026, 5, 4)):
        rows += _week(monday)
    for weeks in range(8):
        rows += _week(D(2026, 3, 23) + dt.timedelta(weeks=weeks), provider="PB", n=5)
    rows += list(extra)
    uri = str(tmp_path / "lake")
    write_lake(uri, rows)
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    return uri


def _plan(world, card, weeks=3, title="Orders move to Partner A", **fields):  # noqa: F811
    aht = card.lines.get(metric_key="aht")
    return make_plan(
        world,
        title=title,
        **fields,
        scorecard=card.pk,
        targets={"parallel_run": {"contacts": 2}, "stabilisation_exit": {"line": aht.pk, "weeks": weeks}},
    )


def _rows(report):
    return {m.milestone.kind: m for m in report.milestones}


def test_parallel_run_and_exit_criteria_come_from_the_weekly_scorecard(world, weekly_lake, card):  # noqa: F811
    plan = _plan(world, card)
    rows = _rows(selectors.status(world.users["client_admin"], plan, today=D(2026, 5, 20)))
    parallel, exit_ = rows["parallel_run"], rows["stabilisation_exit"]
    assert (parallel.progress.met_on, parallel.state, parallel.slip_days) == (D(2026, 4, 19), "met late", 11)
    assert parallel.progress.value == 2
    assert (exit_.progress.met_on, exit_.state, exit_.slip_days) == (D(2026, 5, 10), "met", 0)
    # four weeks asked: the week of 11 May broke the run at three, so not met; not late before 1 June
    stricter = _plan(world, card, weeks=4, title="Four weeks asked")
    exit_ = _rows(selectors.status(world.users["client_admin"], stricter, today=D(2026, 5, 20)))["stabilisation_exit"]
    assert (exit_.progress.met_on, exit_.state, exit_.progress.value) == (None, "open", 0)


def test_only_complete_weeks_count(world, weekly_lake, card):  # noqa: F811
    assert (first_monday(D(2026, 3, 2)), first_monday(D(2026, 4, 17))) == (D(2026, 3, 2), D(2026, 4, 20))
    # on Sunday 10 May the week of 4 May is not over yet: two weeks on target so far
    plan = _plan(world, card)
    exit_ = _rows(selectors.status(world.users["client_admin"], plan, today=D(2026, 5, 10)))["stabilisation_exit"]
    assert (exit_.progress.met_on, exit_.progress.value) == (None, 2)
    assert exit_.progress.detail == (
        "Average handle time: 2 week(s) in a row on target so far (250 seconds last week), "
        "over all Shared program contacts (no contact type named)."
    )


def test_only_the_plans_contact_types_count(world, settings, tmp_path, card):  # noqa: F811
    # Partner A also answers returns (RET) of the same program: 3 in the week of 30 March, and 3 at 900 s in
    # the week of 27 April. The plan moves orders (ORD) only: its parallel run is still the week of 13 April
    # (met 19 April) and its exit still 10 May. Over the whole program the 3 returns make the week of 30 March
    # the parallel run (met Sunday 5 April, before its due 8 April), and the week of 27 April averages
    # (2 x 250 + 3 x 900) / 5 = 640 s, off target, so no three weeks in a row by 20 May.
    ContactType.objects.create(program=world.program_shared, code="RET", name="Returns", channel="voice")
    _weekly_lake(settings, tmp_path, extra=_week(D(2026, 3, 30), n=3, contact_type="RET")
                 + _week(D(2026, 4, 27), n=3, talk=900, contact_type="RET"))  # fmt: skip
    admin = world.users["client_admin"]
    orders = _rows(selectors.status(admin, _plan(world, card, contact_types=("ORD",)), today=D(2026, 5, 20)))
    assert (orders["parallel_run"].progress.met_on, orders["parallel_run"].progress.value) == (D(2026, 4, 19), 2)
    assert orders["parallel_run"].progress.detail == "2 ORD contacts handled in the week of 2026-04-13."
    assert orders["stabilisation_exit"].progress.met_on == D(2026, 5, 10)
    whole = _rows(selectors.status(admin, _plan(world, card, title="Whole program"), today=D(2026, 5, 20)))
    assert (whole["parallel_run"].progress.met_on, whole["parallel_run"].state) == (D(2026, 4, 5), "met")
    assert whole["parallel_run"].progress.value == 3
    assert (whole["stabilisation_exit"].progress.met_on, whole["stabilisation_exit"].progress.value) == (None, 0)
