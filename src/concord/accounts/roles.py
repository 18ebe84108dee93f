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
    #: the evaluated side questions a QA evaluation (the agent their own, a partner's lead its agents'); a
    #: grader (EVALUATE) who neither made nor raised it decides, a partner's never over the client's grading
    DISPUTE_EVALUATIONS = "dispute_evaluations"
    # the volume a forecast assigns to a provider: the client sees every provider's, a partner its own
    VIEW_ASSIGNED_VOLUME = "view_assigned_volume"
    COMMIT_CAPACITY = "commit_capacity"  # a partner's answer to its assigned volume: never the client's
    VIEW_KNOWLEDGE = "view_knowledge"  # articles whose audience includes the person
    EDIT_KNOWLEDGE = "edit_knowledge"  # the knowledge base is the client's
    # an acknowledgement on behalf of one's own agents (a partner's trainer, or its LMS through the API)
    RECORD_ACKNOWLEDGEMENTS = "record_acknowledgements"
    VIEW_ADOPTION = "view_adoption"  # who acknowledged what: the client everyone's, a partner its own
    #: a partner's trainer or lead (or its LMS) records its own agents' training: shadowing hours, nesting
    #: starts, assessment results; the client defines the training (EDIT_KNOWLEDGE), it does not record it
    RECORD_TRAINING = "record_training"
    VIEW_GOVERNANCE = "view_governance"  # meetings, packs, decisions, actions, RACI, escalations in one's scope
    RUN_GOVERNANCE = "run_governance"  # the client runs the rhythm: cadences, meetings, closing packs, RACI, ladders
    #: a partner's side of the rhythm: its actions' progress, minutes, acknowledging and updating its escalations
    ANSWER_GOVERNANCE = "answer_governance"
    MANAGE_WEBHOOKS = "manage_webhooks"  # where notices are posted (chat tools): the client's administrators


_READ = {
    Cap.VIEW_PROVIDERS,
    Cap.VIEW_ROSTER,
    Cap.USE_API,
    Cap.VIEW_PERFORMANCE,
    Cap.VIEW_QUALITY,
    Cap.VIEW_OWN_EVALUATIONS,
    Cap.VIEW_KNOWLEDGE,
    Cap.VIEW_ADOPTION,
    Cap.VIEW_GOVERNANCE,
}
ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    # sees everyone's numbers but has none of their own; commits no capacity for a partner
    # an acknowledgement is a partner's statement about its own people: the client does not make it
    Role.CLIENT_ADMIN: frozenset(Cap)
    - {Cap.VIEW_OWN_NUMBERS, Cap.COMMIT_CAPACITY, Cap.RECORD_ACKNOWLEDGEMENTS, Cap.DISPUTE_EVALUATIONS}
    - {Cap.RECORD_TRAINING},
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
            Cap.EDIT_KNOWLEDGE,
            Cap.RUN_GOVERNANCE,
            Cap.ANSWER_GOVERNANCE,
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
        | {Cap.VIEW_ASSIGNED_VOLUME, Cap.COMMIT_CAPACITY, Cap.RECORD_ACKNOWLEDGEMENTS, Cap.ANSWER_GOVERNANCE}
        | {Cap.DISPUTE_EVALUATIONS, Cap.RECORD_TRAINING}
    ),
    Role.PROVIDER_QA: frozenset(_READ | {Cap.EVALUATE}),
    Role.PROVIDER_TRAINER: frozenset(_READ | {Cap.RECORD_ACKNOWLEDGEMENTS, Cap.RECORD_TRAINING}),
    # Agents see their provider's page, their own numbers and evaluations, but not the roster or colleagues'.
    Role.AGENT: frozenset(
        {
            Cap.VIEW_PROVIDERS,
            Cap.VIEW_OWN_NUMBERS,
            Cap.VIEW_OWN_EVALUATIONS,
            Cap.DISPUTE_EVALUATIONS,
            Cap.VIEW_KNOWLEDGE,
        }
    ),
}
