"""The demo is the same world for the same seed (its own module: ``test_demo`` holds one demo open for its tests)."""

import datetime as dt

from django.db import transaction

from concord.demo import build
from concord.providers.models import Agent

TODAY = dt.date(2026, 6, 30)


def test_demo_is_deterministic_by_seed(db):
    savepoint = transaction.savepoint()
    build(seed=3, scale=0.2, today=TODAY)
    first = list(Agent.objects.order_by("employee_id").values_list("employee_id", "hire_date", "exit_date"))
    transaction.savepoint_rollback(savepoint)
    assert not Agent.objects.exists()
    build(seed=3, scale=0.2, today=TODAY)
    second = list(Agent.objects.order_by("employee_id").values_list("employee_id", "hire_date", "exit_date"))
    assert first == second
