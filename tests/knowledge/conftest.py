from __future__ import annotations

import datetime as dt

import pytest

from concord.knowledge import services
from concord.knowledge.models import ArticleVersion
from concord.providers.models import Agent, Site

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def publish(world):
    """``publish(slug, title, body, program=None, **fields)`` as the client admin -> the version."""

    def _publish(slug, title, body, program=None, **fields):
        data = services.ArticleInput(slug=slug, title=title, body=body, **fields)
        return services.publish(
            user=world.users["client_admin"], program=program or world.program_shared, data=data
        ).version

    return _publish


@pytest.fixture
def campaign(world, publish):
    """Two versions asking for acknowledgement, published at T0; a Spanish-speaking and an exited PA agent."""
    site_es = Site.objects.create(
        provider=world.partner_a,
        code="PA-S2",
        name="Bogotá",
        city="Bogotá",
        country="CO",
        timezone="America/Bogota",
        languages="es",
        seats=10,
    )
    es = Agent.objects.create(
        provider=world.partner_a, site=site_es, employee_id="PA-ES", display_name="Ana", hire_date=dt.date(2025, 3, 1)
    )
    Agent.objects.create(
        provider=world.partner_a,
        site=site_es,
        employee_id="PA-GONE",
        display_name="Gone",
        hire_date=dt.date(2025, 3, 1),
        exit_date=dt.date(2026, 10, 1),
        status=Agent.Status.EXITED,
    )
    everyone = publish("returns", "Returns", "Take the return.", requires_ack=True)
    spanish = publish(
        "devoluciones", "Devoluciones", "Tome la devolución.", requires_ack=True, audience={"languages": ["es"]}
    )
    ArticleVersion.objects.update(created_at=T0)
    everyone.refresh_from_db()
    spanish.refresh_from_db()
    lead = world.users["partner_a_lead"]
    services.acknowledge(user=lead, version=everyone, agent=world.agent_a, at=T0 + dt.timedelta(hours=10))
    services.acknowledge(user=lead, version=everyone, agent=es, at=T0 + dt.timedelta(hours=30))
    services.acknowledge(user=lead, version=spanish, agent=es, at=T0 + dt.timedelta(hours=2))
    return everyone, spanish, es
