"""The roster: about 400 agents now, with two years of realistic hires and exits.

Each provider starts two years back at its target headcount; every month some
agents leave (the provider's monthly attrition, mostly voluntary and mostly in
the first months of tenure) and are replaced by new hires. Atlas CX runs at
markedly higher attrition, which its headcount chart and attrition rate show.
"""

from __future__ import annotations

import datetime as dt

from concord.providers import services
from concord.providers.models import Agent

from .context import DemoContext

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Maria",
    "Jose",
    "Anna",
    "Piotr",
    "Grace",
    "Juan",
    "Lucia",
    "Mark",
    "Joy",
    "Carlos",
    "Ewa",
    "Thabo",
    "Lerato",
    "Miguel",
    "Rosa",
    "Jan",
    "Ian",
    "Camila",
    "Nadia",
    "Tomasz",
    "Kim",
    "Leo",
    "Sofia",
    "Diego",
    "Hana",
    "Zanele",
    "Paula",
    "Ramon",
]
LAST_NAMES = [
    "Garcia",
    "Santos",
    "Reyes",
    "Kowalski",
    "Nowak",
    "Dlamini",
    "Naidoo",
    "Lopez",
    "Ruiz",
    "Cruz",
    "Bautista",
    "Mendoza",
    "Wiśniewska",
    "Botha",
    "Moreno",
    "Diaz",
    "Lim",
    "Tan",
    "Zielinski",
    "Herrera",
    "Castro",
    "Ortiz",
    "Mokoena",
    "Vargas",
    "Pereira",
]
MONTHS_BACK = 24


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        starts.append(first)
    return sorted(starts)


def build_roster(ctx: DemoContext) -> None:
    rng = ctx.rng
    months = _month_starts(ctx.today, MONTHS_BACK)
    total = 0
    for code, info in ctx.made["providers"].items():
        provider, sites, teams = info["provider"], info["sites"], info["teams"]
        target = ctx.scaled(info["headcount"])
        serial = 0
        people: list[dict] = []

        def hire(day: dt.date, *, _code=code, _sites=sites, _teams=teams, _people=people) -> dict:
            nonlocal serial
            serial += 1
            site = _sites[0] if len(_sites) == 1 or rng.random() < 0.65 else _sites[1]
            site_teams = [t for t in _teams if t.site_id == site.pk]
            role = Agent.Role.TEAM_LEAD if serial % 15 == 0 else Agent.Role.AGENT
            person = {
                "employee_id": f"{_code}-{serial:05d}",
                "site": site,
                "team": rng.choice(site_teams),
                "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "hire_date": day,
                "exit_date": None,
                "exit_reason": "",
                "role": role,
            }
            _people.append(person)
            return person

        # The opening headcount was hired over the previous years.
        for _ in range(target):
            hire(months[0] - dt.timedelta(days=rng.randint(30, 1500)))
        for start in months:
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            end = min(end, ctx.today)
            for person in [p for p in people if p["exit_date"] is None and p["hire_date"] <= start]:
                tenure_months = (start - person["hire_date"]).days / 30.4
                # new hires leave more often: the first 90 days carry twice the risk
                risk = info["attrition"] * (2.0 if tenure_months < 3 else 1.0)
                if rng.random() < risk:
                    person["exit_date"] = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
                    person["exit_reason"] = (
                        Agent.ExitReason.VOLUNTARY if rng.random() < 0.8 else Agent.ExitReason.INVOLUNTARY
                    )
            active = sum(1 for p in people if p["exit_date"] is None)
            for _ in range(max(0, target - active)):
                hire(start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days))))
        for person in people:
            if person["exit_date"]:
                status = Agent.Status.EXITED
            elif (ctx.today - person["hire_date"]).days < 28:
                status = Agent.Status.IN_TRAINING
            else:
                status = Agent.Status.ACTIVE
            agent = services.create_for_provider(
                actor=ctx.actor, model=Agent, provider=provider, status=status, **person
            )
            person["agent"] = agent
        info["people"] = people
        total += len(people)
    ctx.progress(f"{total} people on the rosters (current and former)")
