"""Persona fixtures shared by every test: who is asking decides what they see."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings

from concord.accounts.access import LOGIN_SOURCE
from concord.accounts.models import User
from concord.accounts.roles import Role
from concord.providers.models import Agent, AgentExternalId, ContactType, Program, Provider, Site, Team


@dataclass
class World:
    """Two partners and an internal team, each with a site, team and agent, and the people who log in."""

    internal: Provider
    partner_a: Provider
    partner_b: Provider
    site_a: Site
    site_b: Site
    team_a: Team
    team_b: Team
    agent_a: Agent
    agent_b: Agent
    program_shared: Program
    program_b_only: Program
    contact_type_shared: ContactType
    contact_type_b_only: ContactType
    users: dict[str, User]


def make_user(username: str, role: Role, provider: Provider | None = None) -> User:
    user = User(username=username, email=f"{username}@example.com", role=role, provider=provider)
    user.set_password("a-long-test-password")
    user.save()
    return user


def _provider_set(code: str, name: str, kind=Provider.Kind.VENDOR, tz="Asia/Manila"):
    provider = Provider.objects.create(code=code, name=name, kind=kind)
    site = Site.objects.create(
        provider=provider,
        code=f"{code}-S1",
        name=f"{name} site",
        city="City",
        country="PH",
        timezone=tz,
        languages="en",
        seats=50,
    )
    team = Team.objects.create(provider=provider, site=site, code=f"{code}-T1", name=f"{name} team")
    agent = Agent.objects.create(
        provider=provider,
        site=site,
        team=team,
        employee_id=f"{code}-001",
        display_name=f"Agent of {name}",
        hire_date=dt.date(2025, 1, 6),
    )
    return provider, site, team, agent


@pytest.fixture
def world(db) -> World:
    internal, *_ = _provider_set("INT", "Internal team", Provider.Kind.INTERNAL, "Europe/Madrid")
    partner_a, site_a, team_a, agent_a = _provider_set("PA", "Partner A")
    partner_b, site_b, team_b, agent_b = _provider_set("PB", "Partner B", tz="America/Bogota")
    shared = Program.objects.create(code="SHARED", name="Shared program")
    shared.providers.set([internal, partner_a, partner_b])
    b_only = Program.objects.create(code="BONLY", name="B only program")
    b_only.providers.set([partner_b])
    ct_shared = ContactType.objects.create(program=shared, code="ORD", name="Orders", channel="voice")
    ct_b = ContactType.objects.create(program=b_only, code="B1", name="B stuff", channel="email")
    # partner A's agent login is linked to partner A's roster entry (their own numbers)
    AgentExternalId.objects.create(
        agent=agent_a, provider=partner_a, source=LOGIN_SOURCE, external_id="partner_a_agent"
    )
    users = {
        "client_admin": make_user("client_admin", Role.CLIENT_ADMIN),
        "client_viewer": make_user("client_viewer", Role.VIEWER),
        "partner_a_lead": make_user("partner_a_lead", Role.PROVIDER_LEAD, partner_a),
        "partner_b_lead": make_user("partner_b_lead", Role.PROVIDER_LEAD, partner_b),
        "partner_a_agent": make_user("partner_a_agent", Role.AGENT, partner_a),
    }
    return World(
        internal,
        partner_a,
        partner_b,
        site_a,
        site_b,
        team_a,
        team_b,
        agent_a,
        agent_b,
        shared,
        b_only,
        ct_shared,
        ct_b,
        users,
    )


@pytest.fixture
def client_admin(world):
    return world.users["client_admin"]


@pytest.fixture
def partner_a_lead(world):
    return world.users["partner_a_lead"]


@pytest.fixture
def login(client):
    """``login(user)`` -> the Django test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _private_lake(settings, tmp_path):
    """No test writes the developer's lake, ingest or media folder (loading the demo writes interactions)."""
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.INGEST_DIR = tmp_path / "ingest"
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files (knowledge attachments) too
    settings.DEMO_INTERACTIONS_FACTOR = 0.02  # the demo's 1M interactions are the ingest tests' business


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash hundreds of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once(django_db_blocker, folder, make, **settings_overrides):
    """``make()``'s rows, built once for a module's tests and rolled back after the last of them.

    For a module-scoped fixture over a world that takes long to build (the full demo: ~50 s). The world
    is built in a transaction left open for the module; each test still runs in its own savepoint
    (pytest-django's ``db``), so what one test changes the next does not see. Files it writes go to
    ``folder``, never the developer's lake, and passwords hash fast (as the autouse fixtures do per test);
    ``settings_overrides`` hold while it is built. A test reading those files points ``settings.LAKE_URI``
    at ``folder / "lake"`` itself (the autouse ``_private_lake`` gives each test a lake of its own).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(**{
                "LAKE_URI": str(folder / "lake"), "INGEST_DIR": folder / "ingest", "MEDIA_ROOT": folder / "media",
                "DEMO_INTERACTIONS_FACTOR": 0.02,
                "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
                **settings_overrides,
            }):  # fmt: skip
                built = make()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
