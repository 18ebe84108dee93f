"""A plan for partner A on the SHARED program, made through the service as the client admin."""

from __future__ import annotations

import datetime as dt

from concord.knowledge.transition import services


def make_plan(world, *, start=dt.date(2026, 3, 2), months=3, **fields):
    data = services.PlanInput(
        title=fields.pop("title", "Orders move to Partner A"), program="SHARED", provider="PA", start=start,
        months=months, **fields,
    )  # fmt: skip
    return services.create_plan(user=world.users["client_admin"], data=data)
