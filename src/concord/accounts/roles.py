"""Roles and what each may do. The one table that decides capabilities."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLIENT_ADMIN = "client_admin"
    MANAGER = "manager"
    ANALYST = "analyst"
    VIEWER = "viewer"
    PROVIDER_LEAD = "provider_lead"
    PROVIDER_QA = "provider_qa"
    PROVIDER_TRAINER = "provider_trainer"
    AGENT = "agent"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_client_role(self) -> bool:
        return self in CLIENT_ROLES


ROLE_LABELS = {
    Role.CLIENT_ADMIN: "Client admin",
    Role.MANAGER: "Manager",
    Role.ANALYST: "Analyst",
    Role.VIEWER: "Viewer",
    Role.PROVIDER_LEAD: "Provider lead",
    Role.PROVIDER_QA: "Provider QA",
    Role.PROVIDER_TRAINER: "Provider trainer",
    Role.AGENT: "Agent",
}
CLIENT_ROLES = frozenset({Role.CLIENT_ADMIN, Role.MANAGER, Role.ANALYST, Role.VIEWER})
PROVIDER_ROLES = frozenset(set(Role) - CLIENT_ROLES)


class Cap(StrEnum):
    """Capabilities: what an action needs. Views, API and services ask for these."""

    VIEW_PROVIDERS = "view_providers"
    VIEW_ROSTER = "view_roster"
    EDIT_PROVIDERS = "edit_providers"  # create / edit providers themselves
    EDIT_SITES_TEAMS = "edit_sites_teams"
    EDIT_ROSTER = "edit_roster"
    EDIT_PROGRAMS = "edit_programs"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    USE_API = "use_api"
    INGEST = "ingest"
    VIEW_PERFORMANCE = "view_performance"
    EDIT_SCORECARDS = "edit_scorecards"
    EDIT_CONTRACTS = "edit_contracts"
    VIEW_CONTRACTS = "view_contracts"
    SIGN_STATEMENTS = "sign_statements"  # a partner accepting or disputing its monthly credit statement
    VIEW_PLANNING = "view_planning"
    EDIT_PLANNING = "edit_planning"
    #: an agent's own scorecard and its trend, nobody else's (``access.own_agent``)
    VIEW_OWN_NUMBERS = "view_own_numbers"
    VIEW_QUALITY = "view_quality"  # evaluations of everyone in the user's scope
    VIEW_OWN_EVALUATIONS = "view_own_evaluations"  # evaluations at all; without VIEW_QUALITY only one's own
    EVALUATE = "evaluate"
    EDIT_QA_FORMS = "edit_qa_forms"  # the one QA form is the client's
    # the volume a forecast assigns to a provider: the client sees every provider's, a partner its own
    VIEW_ASSIGNED_VOLUME = "view_assigned_volume"
    COMMIT_CAPACITY = "commit_capacity"  # a partner's answer to its assigned volume: never the client's


_READ = {
    Cap.VIEW_PROVIDERS,
    Cap.VIEW_ROSTER,
    Cap.USE_API,
    Cap.VIEW_PERFORMANCE,
    Cap.VIEW_QUALITY,
    Cap.VIEW_OWN_EVALUATIONS,
}
ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    # sees everyone's numbers but has none of their own; commits no capacity for a partner
    Role.CLIENT_ADMIN: frozenset(Cap) - {Cap.VIEW_OWN_NUMBERS, Cap.COMMIT_CAPACITY},
    Role.MANAGER: frozenset(
        _READ
        | {
            Cap.EDIT_PROVIDERS,
            Cap.EDIT_SITES_TEAMS,
            Cap.EDIT_ROSTER,
            Cap.EDIT_PROGRAMS,
            Cap.INGEST,
            Cap.EDIT_SCORECARDS,
            Cap.EDIT_CONTRACTS,
            Cap.VIEW_CONTRACTS,
            Cap.VIEW_PLANNING,
            Cap.EDIT_PLANNING,
            Cap.EVALUATE,
            Cap.EDIT_QA_FORMS,
            Cap.VIEW_ASSIGNED_VOLUME,
        }
    ),
    Role.ANALYST: frozenset(
        _READ | {Cap.INGEST, Cap.VIEW_CONTRACTS, Cap.VIEW_PLANNING, Cap.EVALUATE, Cap.VIEW_ASSIGNED_VOLUME}
    ),
    Role.VIEWER: frozenset(_READ | {Cap.VIEW_CONTRACTS, Cap.VIEW_PLANNING, Cap.VIEW_ASSIGNED_VOLUME}),
    # A partner's lead runs their own roster and sites and loads their own data;
    # contracts are shown to them through their own SLA results, not edited.
    # It sees the volume assigned to it (never another's) and answers with a capacity commitment.
    Role.PROVIDER_LEAD: frozenset(
        _READ
        | {Cap.EDIT_SITES_TEAMS, Cap.EDIT_ROSTER, Cap.INGEST, Cap.VIEW_CONTRACTS, Cap.EVALUATE, Cap.SIGN_STATEMENTS}
        | {Cap.VIEW_ASSIGNED_VOLUME, Cap.COMMIT_CAPACITY}
    ),
    Role.PROVIDER_QA: frozenset(_READ | {Cap.EVALUATE}),
    Role.PROVIDER_TRAINER: frozenset(_READ),
    # Agents see their provider's page, their own numbers and evaluations, but not the roster or colleagues'.
    Role.AGENT: frozenset({Cap.VIEW_PROVIDERS, Cap.VIEW_OWN_NUMBERS, Cap.VIEW_OWN_EVALUATIONS}),
}
