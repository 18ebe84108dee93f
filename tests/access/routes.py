"""Every route's access rule. A route missing here fails the matrix test.

``obj`` picks the object a route is about from the World: ``own`` is the one
partner A's people may see, ``other`` partner B's. ``read`` is the capability
needed to see it, ``write`` the one needed to change it (POST). ``post`` gives
valid form data for a write, so an allowed persona's POST succeeds and a refused
one's is proven to change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from concord.accounts.roles import Cap

from .drift_objects import _drift_alert, _webhook
from .governance_objects import (
    _action_create_post,
    _actions,
    _api_action_post,
    _cadence_post,
    _cadences,
    _escalation_create_post,
    _escalations,
    _meetings,
    _packs,
    _providers,
)
from .knowledge_attachment_objects import _attachment_upload_post, _knowledge_attachments
from .knowledge_objects import (
    _ack_api_post,
    _article_post,
    _knowledge_articles,
    _knowledge_target,
    _new_article_api_post,
    _new_article_post,
    _new_tree_post,
    _tree_post,
    _trees,
    _walk_answer_post,
    _walks,
)
from .objects import (
    _PROFILE_YAML,
    _agent,
    _agent_post,
    _assignments,
    _closable_contract,
    _closed_contract,
    _contact_type,
    _contract,
    _contract_post,
    _dispute,
    _erlang,
    _event_post,
    _events,
    _forecasts,
    _ingest_runs,
    _outage,
    _outage_post,
    _override_post,
    _program,
    _provider,
    _saved_profile,
    _scorecard,
    _scorecard_line,
    _site,
    _site_post,
    _sla,
    _sla_post,
    _team,
    _upload_post,
    _wizard_sample,
)
from .quality_objects import (
    _calibration_api_score_post,
    _calibration_create_post,
    _calibration_new_post,
    _calibration_score_post,
    _closed_sessions,
    _coaching_api_post,
    _coaching_post,
    _coaching_sessions,
    _dispute_api_decide_post,
    _dispute_api_raise_post,
    _dispute_decide_post,
    _dispute_raise_post,
    _dispute_target,
    _disputes,
    _evaluate_post,
    _evaluation_patch,
    _evaluation_save_post,
    _evaluation_start_post,
    _evaluations,
    _form_create_post,
    _form_edit_post,
    _form_revise_post,
    _open_sessions,
    _plan_api_post,
    _plan_post,
    _plans,
    _qa_agents,
    _qa_form,
    _qa_target,
    _scored_sessions,
)
from .statement_objects import _dispute_attachment
from .training_objects import (
    _attempt_post,
    _attempts,
    _nesting_post,
    _result_api_post,
    _shadowing_api_post,
    _shadowing_post,
    _training_agent_target,
    _training_agents,
    _training_plan_api_post,
    _training_plan_post,
    _training_programs,
    _training_target,
)
from .transition_objects import (
    _decision_post,
    _go_lives,
    _new_plan_api_post,
    _new_plan_post,
    _transition_plan_post,
    _transition_plans,
)


@dataclass(frozen=True)
class RouteSpec:
    read: Cap | None  # None: any signed-in user; "public" routes say public=True
    obj: Callable[[Any], tuple[Any, Any]] | None = None  # world -> (own object, other partner's object)
    write: Cap | None = None
    post: Callable[[Any], dict] | None = None
    public: bool = False
    api: bool = False
    methods: tuple[str, ...] = ("GET",)
    client_only_object: bool = False  # the object is one partners never see (404 for them)
    kwargs: Callable[[Any], dict] | None = None  # extra URL kwargs that are not an object pk
    #: for a create through a list route: the object the payload writes under (partner A's)
    target: Callable[[Any], Any] | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)


_RUN = {"read": Cap.VIEW_GOVERNANCE, "write": Cap.RUN_GOVERNANCE, "extra": {"client_only_write": True}}
_ANSWER = {"read": Cap.VIEW_GOVERNANCE, "write": Cap.ANSWER_GOVERNANCE}
_GOV = Cap.VIEW_GOVERNANCE
_CONTRACT_WRITE = {"read": Cap.VIEW_CONTRACTS, "write": Cap.EDIT_CONTRACTS, "extra": {"client_only_write": True}}


ROUTES: dict[str, RouteSpec] = {
    # web shell
    "web:home": RouteSpec(read=None),
    "web:vega-bundle": RouteSpec(read=None, public=True, notes="static library code, no data"),
    "web:healthz": RouteSpec(read=None, public=True, notes="load-balancer probe: process alive, no data"),
    "web:readyz": RouteSpec(read=None, public=True, notes="readiness probe: names failing checks, no data"),
    # accounts
    "accounts:login": RouteSpec(read=None, public=True),
    "accounts:logout": RouteSpec(read=None, public=True, methods=("POST",)),
    "accounts:password-reset": RouteSpec(read=None, public=True),
    "accounts:password-reset-done": RouteSpec(read=None, public=True),
    "accounts:password-reset-confirm": RouteSpec(
        read=None, public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password-reset-complete": RouteSpec(read=None, public=True),
    "accounts:tokens": RouteSpec(
        read=Cap.USE_API, methods=("GET", "POST"), write=Cap.USE_API, post=lambda w, obj=None: {"name": "feed"}
    ),
    "accounts:token-revoke": RouteSpec(read=None, methods=("POST",), notes="own tokens only; tested in accounts"),
    "accounts:audit": RouteSpec(read=Cap.VIEW_AUDIT),
    "accounts:users": RouteSpec(read=Cap.MANAGE_USERS),
    "accounts:user-create": RouteSpec(
        read=Cap.MANAGE_USERS,
        write=Cap.MANAGE_USERS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {
            "username": "newbie",
            "email": "n@example.com",
            "role": "viewer",
            "first_name": "N",
            "last_name": "B",
        },
    ),
    "accounts:user-edit": RouteSpec(
        read=Cap.MANAGE_USERS,
        notes="client admins only; tested in accounts",
        kwargs=lambda w: {"pk": w.users["client_viewer"].pk},
    ),
    # providers pages
    "providers:list": RouteSpec(read=Cap.VIEW_PROVIDERS),
    "providers:create": RouteSpec(
        read=Cap.EDIT_PROVIDERS,
        write=Cap.EDIT_PROVIDERS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "NEWP", "name": "New partner", "kind": "vendor", "status": "prospect"},
    ),
    "providers:detail": RouteSpec(read=Cap.VIEW_PROVIDERS, obj=_provider),
    "providers:edit": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_provider,
        write=Cap.EDIT_PROVIDERS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": obj.code, "name": "Renamed", "kind": "vendor", "status": "active"},
    ),
    "providers:headcount-svg": RouteSpec(read=Cap.VIEW_ROSTER, obj=_provider),
    "providers:site-create": RouteSpec(
        read=Cap.VIEW_PROVIDERS, obj=_provider, write=Cap.EDIT_SITES_TEAMS, methods=("GET", "POST"), post=_site_post
    ),
    "providers:site-edit": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_site,
        write=Cap.EDIT_SITES_TEAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {**_site_post(w), "seats": 99},
    ),
    "providers:team-create": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_provider,
        write=Cap.EDIT_SITES_TEAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "T9", "name": "Nines"},
    ),
    "providers:team-edit": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_team,
        write=Cap.EDIT_SITES_TEAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "T9", "name": "Renamed"},
    ),
    "providers:agent-create": RouteSpec(
        read=Cap.VIEW_PROVIDERS, obj=_provider, write=Cap.EDIT_ROSTER, methods=("GET", "POST"), post=_agent_post
    ),
    "providers:agents": RouteSpec(read=Cap.VIEW_ROSTER),
    "providers:agent-detail": RouteSpec(read=Cap.VIEW_ROSTER, obj=_agent),
    "providers:agent-edit": RouteSpec(
        read=Cap.VIEW_ROSTER, obj=_agent, write=Cap.EDIT_ROSTER, methods=("GET", "POST"), post=_agent_post
    ),
    "providers:agent-external-id": RouteSpec(
        read=Cap.VIEW_ROSTER,
        obj=_agent,
        write=Cap.EDIT_ROSTER,
        methods=("POST",),
        post=lambda w, obj=None: {"source": "acd", "external_id": "x-1"},
    ),
    # performance (scorecards)
    "performance:portfolio": RouteSpec(read=Cap.VIEW_PERFORMANCE),
    # an agent's own numbers: no object in the URL, so no other partner's object; other agents' numbers
    # are refused in tests/performance/test_own_numbers.py
    "performance:own": RouteSpec(read=Cap.VIEW_OWN_NUMBERS),
    "performance:provider": RouteSpec(read=Cap.VIEW_PERFORMANCE, obj=_provider),
    "performance:provider-chart-svg": RouteSpec(
        read=Cap.VIEW_PERFORMANCE, obj=_provider, kwargs=lambda w: {"scorecard": _scorecard(w)[0].pk}
    ),
    "performance:scorecards": RouteSpec(read=Cap.VIEW_PERFORMANCE),
    "performance:scorecard-create": RouteSpec(
        read=Cap.EDIT_SCORECARDS,
        write=Cap.EDIT_SCORECARDS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"program": w.program_shared.pk, "name": "New card", "grain": "month"},
    ),
    "performance:scorecard-detail": RouteSpec(read=Cap.VIEW_PERFORMANCE, obj=_scorecard),
    "performance:scorecard-edit": RouteSpec(
        read=Cap.VIEW_PERFORMANCE,
        obj=_scorecard,
        write=Cap.EDIT_SCORECARDS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"program": obj.program_id, "name": "Renamed", "grain": "month"},
    ),
    "performance:line-create": RouteSpec(
        read=Cap.VIEW_PERFORMANCE,
        obj=_scorecard,
        write=Cap.EDIT_SCORECARDS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"metric_key": "asa", "target": 30, "weight": 1, "params": "{}", "position": 1},
    ),
    "performance:line-edit": RouteSpec(
        read=Cap.VIEW_PERFORMANCE,
        obj=_scorecard_line,
        write=Cap.EDIT_SCORECARDS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"metric_key": "aht", "target": 280, "weight": 2, "params": "{}", "position": 0},
    ),
    "performance:line-delete": RouteSpec(
        read=Cap.VIEW_PERFORMANCE, obj=_scorecard_line, write=Cap.EDIT_SCORECARDS, methods=("POST",)
    ),
    "scorecard-list": RouteSpec(read=Cap.VIEW_PERFORMANCE, api=True),
    # drift alerts (performance): a partner sees its own provider's
    "performance:drift-alerts": RouteSpec(read=Cap.VIEW_PERFORMANCE),
    "performance:drift-alert": RouteSpec(read=Cap.VIEW_PERFORMANCE, obj=_drift_alert),
    "performance:drift-alert-svg": RouteSpec(read=Cap.VIEW_PERFORMANCE, obj=_drift_alert),
    "performance:drift-alert-action": RouteSpec(
        read=Cap.VIEW_PERFORMANCE,
        obj=_drift_alert,
        write=Cap.ANSWER_GOVERNANCE,
        methods=("POST",),
        notes="one click: an action item about the alert; again: the same action",
    ),
    "drift-alert-list": RouteSpec(read=Cap.VIEW_PERFORMANCE, api=True),
    "drift-alert-detail": RouteSpec(read=Cap.VIEW_PERFORMANCE, api=True, obj=_drift_alert),
    "scorecard-query": RouteSpec(
        read=Cap.VIEW_PERFORMANCE, api=True, notes="partner users get their own provider; tested in performance"
    ),
    # contracts
    "contracts:list": RouteSpec(read=Cap.VIEW_CONTRACTS),
    "contracts:detail": RouteSpec(read=Cap.VIEW_CONTRACTS, obj=_contract),
    "contracts:report": RouteSpec(read=Cap.VIEW_CONTRACTS, obj=_contract),
    "contracts:compute": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        obj=_contract,
        write=Cap.EDIT_CONTRACTS,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05"},
    ),
    "contracts:create": RouteSpec(
        **_CONTRACT_WRITE, methods=("GET", "POST"), post=_contract_post, target=lambda w: w.partner_a
    ),
    "contracts:edit": RouteSpec(
        **_CONTRACT_WRITE,
        obj=_contract,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {**_contract_post(w), "provider": obj.provider_id, "programs": []},
    ),
    "contracts:sla-create": RouteSpec(**_CONTRACT_WRITE, obj=_contract, methods=("GET", "POST"), post=_sla_post),
    "contracts:sla-edit": RouteSpec(**_CONTRACT_WRITE, obj=_sla, methods=("GET", "POST"), post=_sla_post),
    "contracts:sla-delete": RouteSpec(**_CONTRACT_WRITE, obj=_sla, methods=("POST",)),
    "contracts:sla-history-svg": RouteSpec(read=Cap.VIEW_CONTRACTS, obj=_sla),
    "contracts:outage-create": RouteSpec(**_CONTRACT_WRITE, obj=_contract, methods=("GET", "POST"), post=_outage_post),
    "contracts:outage-edit": RouteSpec(**_CONTRACT_WRITE, obj=_outage, methods=("GET", "POST"), post=_outage_post),
    "contracts:outage-delete": RouteSpec(**_CONTRACT_WRITE, obj=_outage, methods=("POST",)),
    "contracts:statement": RouteSpec(read=Cap.VIEW_CONTRACTS, obj=_closable_contract),
    "contracts:close": RouteSpec(
        **_CONTRACT_WRITE, obj=_closable_contract, methods=("POST",), post=lambda w, obj=None: {"period": "2026-05"}
    ),
    "contracts:restate": RouteSpec(
        **_CONTRACT_WRITE,
        obj=_closable_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05", "reason": "Matrix"},
    ),
    "contracts:statement-accept": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.SIGN_STATEMENTS,
        obj=_closed_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05"},
        extra={"partner_only_write": True},
    ),
    "contracts:statement-dispute": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.SIGN_STATEMENTS,
        obj=_closed_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05", "lines": [obj.slas.first().pk], "reason": "Matrix"},
        extra={"partner_only_write": True},
    ),
    "contracts:dispute-decide": RouteSpec(
        **_CONTRACT_WRITE,
        obj=_dispute,
        methods=("POST",),
        post=lambda w, obj=None: {"decision": "rejected", "note": "Matrix"},
    ),
    "contracts:dispute-attachment": RouteSpec(read=Cap.VIEW_CONTRACTS, obj=_dispute_attachment),
    "contract-list": RouteSpec(read=Cap.VIEW_CONTRACTS, api=True),
    "contract-sla-results": RouteSpec(read=Cap.VIEW_CONTRACTS, api=True, obj=_contract),
    "contract-statement": RouteSpec(read=Cap.VIEW_CONTRACTS, api=True, obj=_closable_contract),
    "contract-close": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.EDIT_CONTRACTS,
        api=True,
        obj=_closable_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05"},
        extra={"client_only_write": True},
    ),
    "contract-statement-accept": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.SIGN_STATEMENTS,
        api=True,
        obj=_closed_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05"},
        extra={"partner_only_write": True},
    ),
    "contract-statement-dispute": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.SIGN_STATEMENTS,
        api=True,
        obj=_closed_contract,
        methods=("POST",),
        post=lambda w, obj=None: {"period": "2026-05", "lines": [obj.slas.first().pk], "reason": "Matrix"},
        extra={"partner_only_write": True},
    ),
    "contract-dispute-decide": RouteSpec(
        read=Cap.VIEW_CONTRACTS,
        write=Cap.EDIT_CONTRACTS,
        api=True,
        obj=_dispute,
        methods=("POST",),
        post=lambda w, obj=None: {"decision": "rejected", "note": "Matrix"},
        extra={"client_only_write": True},
    ),
    "providers:programs": RouteSpec(read=Cap.VIEW_PROVIDERS),
    "providers:program-create": RouteSpec(
        read=Cap.EDIT_PROGRAMS,
        write=Cap.EDIT_PROGRAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "NEWPROG", "name": "New program"},
    ),
    "providers:program-detail": RouteSpec(read=Cap.VIEW_PROVIDERS, obj=_program),
    "providers:program-edit": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_program,
        write=Cap.EDIT_PROGRAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": obj.code, "name": "Renamed"},
    ),
    "providers:contact-type-create": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_program,
        write=Cap.EDIT_PROGRAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "NEWCT", "name": "New", "channel": "chat", "complexity": "low"},
    ),
    "providers:contact-type-edit": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_contact_type,
        write=Cap.EDIT_PROGRAMS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"code": "ORD", "name": "Renamed", "channel": "voice", "complexity": "low"},
    ),
    # planning (client-side: partners lack VIEW_PLANNING; they see only the volume assigned to them)
    "planning:index": RouteSpec(read=Cap.VIEW_ASSIGNED_VOLUME),
    "planning:assigned": RouteSpec(read=Cap.VIEW_ASSIGNED_VOLUME),
    "planning:assignment-detail": RouteSpec(read=Cap.VIEW_ASSIGNED_VOLUME, obj=_assignments),
    "planning:assignment-commit": RouteSpec(
        read=Cap.VIEW_ASSIGNED_VOLUME,
        obj=_assignments,
        write=Cap.COMMIT_CAPACITY,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"fte": 12, "note": "Three hires start Monday"},
    ),
    "planning:forecast-assign": RouteSpec(
        read=Cap.VIEW_PLANNING,
        obj=_forecasts,
        write=Cap.EDIT_PLANNING,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"provider": w.partner_b.pk, "share": 30},
    ),
    "planning-assignment-list": RouteSpec(read=Cap.VIEW_ASSIGNED_VOLUME, api=True),
    "planning-assignment-commit": RouteSpec(
        read=Cap.VIEW_ASSIGNED_VOLUME,
        obj=_assignments,
        write=Cap.COMMIT_CAPACITY,
        api=True,
        methods=("POST",),
        post=lambda w, obj=None: {"fte": 12},
    ),
    "planning:staffing": RouteSpec(read=Cap.VIEW_PLANNING),
    "planning:staffing-svg": RouteSpec(read=Cap.VIEW_PLANNING, kwargs=lambda w: {"chart": "curve"}),
    "planning:forecasts": RouteSpec(read=Cap.VIEW_PLANNING),
    "planning:forecast-create": RouteSpec(
        read=Cap.VIEW_PLANNING, write=Cap.EDIT_PLANNING, notes="POST runs the engine on the lake: tests/planning"
    ),
    "planning:forecast-detail": RouteSpec(read=Cap.VIEW_PLANNING, obj=_forecasts),
    "planning:forecast-status": RouteSpec(read=Cap.VIEW_PLANNING, obj=_forecasts),
    "planning:forecast-retry": RouteSpec(
        read=Cap.VIEW_PLANNING, obj=_forecasts, write=Cap.EDIT_PLANNING, methods=("POST",)
    ),
    "planning:forecast-override": RouteSpec(
        read=Cap.VIEW_PLANNING, obj=_forecasts, write=Cap.EDIT_PLANNING, methods=("GET", "POST"), post=_override_post
    ),
    "planning:allocation": RouteSpec(read=Cap.VIEW_PLANNING),
    "planning:events": RouteSpec(read=Cap.VIEW_PLANNING),
    "planning:event-create": RouteSpec(
        read=Cap.VIEW_PLANNING, write=Cap.EDIT_PLANNING, methods=("GET", "POST"), post=_event_post
    ),
    "planning:event-delete": RouteSpec(read=Cap.VIEW_PLANNING, obj=_events, write=Cap.EDIT_PLANNING, methods=("POST",)),
    "planning-erlang-c": RouteSpec(
        read=Cap.VIEW_PLANNING, api=True, methods=("POST",), post=lambda w, obj=None: _erlang(w)
    ),
    "planning-erlang-a": RouteSpec(
        read=Cap.VIEW_PLANNING, api=True, methods=("POST",), post=lambda w, obj=None: _erlang(w, patience_seconds=60)
    ),
    "planning-forecast-list": RouteSpec(
        read=Cap.VIEW_PLANNING,
        write=Cap.EDIT_PLANNING,
        api=True,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"program": w.program_shared.code, "grain": "60min", "horizon_days": 7},
        notes="POST queues a forecast (the task runs on commit): tests/planning/test_api.py",
    ),
    "planning-forecast-detail": RouteSpec(read=Cap.VIEW_PLANNING, api=True, obj=_forecasts),
    "planning-allocation": RouteSpec(
        read=Cap.VIEW_PLANNING, api=True, methods=("POST",), post=lambda w, obj=None: {"demand": {"en": 10}}
    ),
    # API
    "api-root": RouteSpec(read=None, api=True),
    "api-schema": RouteSpec(read=None, api=True, public=True, notes="the schema describes routes, not data"),
    "api-docs": RouteSpec(read=None, api=True, public=True),
    "provider-list": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_PROVIDERS,
        post=lambda w, obj=None: {"code": "APIP", "name": "Api partner", "kind": "vendor", "status": "prospect"},
    ),
    "provider-detail": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_provider,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_PROVIDERS,
        post=lambda w, obj=None: {"name": "Patched"},
    ),
    "site-list": RouteSpec(
        target=lambda w: w.partner_a,
        read=Cap.VIEW_PROVIDERS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_SITES_TEAMS,
        post=lambda w, obj=None: {**_site_post(w), "provider": w.partner_a.pk},
    ),
    "site-detail": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_site,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_SITES_TEAMS,
        post=lambda w, obj=None: {"seats": 77},
    ),
    "team-list": RouteSpec(
        target=lambda w: w.partner_a,
        read=Cap.VIEW_PROVIDERS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_SITES_TEAMS,
        post=lambda w, obj=None: {"provider": w.partner_a.pk, "code": "APIT", "name": "Api team"},
    ),
    "team-detail": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_team,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_SITES_TEAMS,
        post=lambda w, obj=None: {"name": "Patched"},
    ),
    "agent-list": RouteSpec(
        target=lambda w: w.partner_a,
        read=Cap.VIEW_ROSTER,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_ROSTER,
        post=lambda w, obj=None: {**_agent_post(w), "provider": w.partner_a.pk},
    ),
    "agent-detail": RouteSpec(
        read=Cap.VIEW_ROSTER,
        obj=_agent,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_ROSTER,
        post=lambda w, obj=None: {"display_name": "Patched"},
    ),
    "program-list": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_PROGRAMS,
        post=lambda w, obj=None: {"code": "APIPROG", "name": "Api program", "providers": []},
    ),
    "program-detail": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_program,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_PROGRAMS,
        post=lambda w, obj=None: {"name": "Patched"},
    ),
    "contact-type-list": RouteSpec(
        target=lambda w: w.program_shared,
        read=Cap.VIEW_PROVIDERS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_PROGRAMS,
        post=lambda w, obj=None: {
            "program": w.program_shared.pk,
            "code": "APICT",
            "name": "Api",
            "channel": "chat",
            "complexity": "low",
        },
    ),
    "contact-type-detail": RouteSpec(
        read=Cap.VIEW_PROVIDERS,
        obj=_contact_type,
        api=True,
        methods=("GET", "PATCH"),
        write=Cap.EDIT_PROGRAMS,
        post=lambda w, obj=None: {"name": "Patched"},
    ),
    # ingest (saved profiles: the client's people edit them, partners only use them)
    "ingest:runs": RouteSpec(read=Cap.INGEST),
    "ingest:upload": RouteSpec(
        read=Cap.INGEST, write=Cap.INGEST, methods=("GET", "POST"), post=_upload_post, extra={"run_tasks": True}
    ),
    "ingest:template": RouteSpec(read=Cap.INGEST, kwargs=lambda w: {"table": "interactions"}),
    "ingest:run": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:run-status": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:quarantine": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:run-retry": RouteSpec(read=Cap.INGEST, obj=_ingest_runs, write=Cap.INGEST, methods=("POST",)),
    "ingest:profiles": RouteSpec(read=Cap.INGEST),
    "ingest:profile-create": RouteSpec(
        read=Cap.INGEST,
        write=Cap.INGEST,
        methods=("GET", "POST"),
        extra={"client_only_write": True},
        post=lambda w, obj=None: {"name": "matrix-new", "definition": _PROFILE_YAML},
    ),
    "ingest:profile-wizard": RouteSpec(
        read=Cap.INGEST,
        write=Cap.INGEST,
        methods=("GET", "POST"),
        extra={"client_only_write": True},
        post=lambda w, obj=None: {"table": "interactions", "file": _wizard_sample()},
        notes="previews a mapping; writes nothing",
    ),
    "ingest:profile-edit": RouteSpec(
        read=Cap.INGEST,
        obj=_saved_profile,
        write=Cap.INGEST,
        methods=("GET", "POST"),
        extra={"client_only_write": True},
        post=lambda w, obj=None: {"name": obj.name, "description": "edited", "definition": _PROFILE_YAML},
    ),
    "ingest-batch": RouteSpec(
        read=Cap.INGEST,
        api=True,
        methods=("POST",),
        write=Cap.INGEST,
        # m/1 is partner B's in the lake (test_matrix._B_FACT); each lead has a row of its own to load
        # (a batch accepting none is a 400)
        post=lambda w, obj=None: {
            "profile": "canonical-jsonl",
            "rows": [
                {
                    "source": "m",
                    "external_id": str(i),
                    "provider": code,
                    "program": "SHARED",
                    "channel": "chat",
                    "created_at": "2026-01-05T10:00:00Z",
                    "updated_at": "2026-01-05T10:00:00Z",
                }
                for i, code in ((1, "PA"), (2, "PB"), (3, "PA"))
            ],
        },
    ),
    "ingest-run-list": RouteSpec(read=Cap.INGEST, api=True),
    "ingest-run-detail": RouteSpec(read=Cap.INGEST, api=True, obj=_ingest_runs),
    # quality: one shared form (the client edits it); evaluations scoped to the provider, an agent to their own
    "quality:index": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS),
    "quality:pick": RouteSpec(read=Cap.EVALUATE, notes="no agent chosen: back to the index"),
    "quality:form-detail": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS, obj=_qa_form),
    "quality:evaluate": RouteSpec(
        read=Cap.EVALUATE, obj=_qa_agents, write=Cap.EVALUATE, methods=("GET", "POST"), post=_evaluate_post
    ),
    "quality:evaluation": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS, obj=_evaluations),
    "quality:evaluation-save": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        obj=_evaluations,
        write=Cap.EVALUATE,
        methods=("POST",),
        post=_evaluation_save_post,
        extra={"evaluator_only_write": True},
    ),
    "quality-form-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_QA_FORMS,
        post=_form_create_post,
        extra={"client_only_write": True},
    ),
    "quality-form-detail": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        obj=_qa_form,
        methods=("GET", "POST"),
        write=Cap.EDIT_QA_FORMS,
        post=_form_revise_post,
        extra={"client_only_write": True},
    ),
    "quality-evaluation-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EVALUATE,
        target=_qa_target,
        post=_evaluation_start_post,
    ),
    "quality:calibrations": RouteSpec(read=Cap.VIEW_QUALITY),
    "quality:calibration": RouteSpec(read=Cap.VIEW_QUALITY, obj=_open_sessions, notes="blind: see tests/quality"),
    "quality:calibration-score": RouteSpec(
        read=Cap.VIEW_QUALITY,
        obj=_open_sessions,
        write=Cap.EVALUATE,
        methods=("POST",),
        post=_calibration_score_post,
        notes="each persona with EVALUATE grades its own partner's session here",
    ),
    "quality:calibration-submit": RouteSpec(
        read=Cap.VIEW_QUALITY, obj=_scored_sessions, write=Cap.EVALUATE, methods=("POST",)
    ),
    "quality:calibration-close": RouteSpec(
        read=Cap.VIEW_QUALITY,
        obj=_open_sessions,
        write=Cap.EVALUATE,
        methods=("POST",),
        extra={"client_only_write": True},
        notes="the client admin set these up; a partner closes only its own",
    ),
    "quality-calibration-list": RouteSpec(
        read=Cap.VIEW_QUALITY,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EVALUATE,
        target=_qa_target,
        post=_calibration_create_post,
    ),
    "quality-calibration-detail": RouteSpec(read=Cap.VIEW_QUALITY, api=True, obj=_open_sessions),
    "quality-calibration-results": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, obj=_closed_sessions, notes="closed: all see; blind before: tests/quality"
    ),
    "quality-calibration-scores": RouteSpec(
        read=Cap.VIEW_QUALITY,
        api=True,
        obj=_open_sessions,
        methods=("POST",),
        write=Cap.EVALUATE,
        post=_calibration_api_score_post,
    ),
    "quality-calibration-submit": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, obj=_scored_sessions, methods=("POST",), write=Cap.EVALUATE
    ),
    "quality-evaluation-detail": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        obj=_evaluations,
        methods=("GET", "PATCH"),
        write=Cap.EVALUATE,
        post=_evaluation_patch,
        extra={"evaluator_only_write": True},
    ),
    # knowledge: the client's articles, read by everyone serving the program (an agent: if the audience admits
    # them); only an agent acknowledges for itself (a partner's LMS for its agents: tests/knowledge)
    "knowledge:index": RouteSpec(read=Cap.VIEW_KNOWLEDGE),
    "knowledge:adoption": RouteSpec(read=Cap.VIEW_ADOPTION),
    "knowledge:new": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE, write=Cap.EDIT_KNOWLEDGE, methods=("GET", "POST"), post=_new_article_post
    ),
    "knowledge:article": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_knowledge_articles),
    "knowledge:diff": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_knowledge_articles),
    "knowledge:edit": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        obj=_knowledge_articles,
        write=Cap.EDIT_KNOWLEDGE,
        methods=("GET", "POST"),
        post=_article_post,
    ),
    "knowledge:acknowledge": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE, obj=_knowledge_articles, write=Cap.VIEW_OWN_NUMBERS, methods=("POST",)
    ),
    "knowledge-article-list": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EDIT_KNOWLEDGE,
        post=_new_article_api_post,
    ),
    "knowledge-article-detail": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True, obj=_knowledge_articles),
    "knowledge-search": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True),
    "knowledge-acknowledge": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        api=True,
        methods=("POST",),
        write=Cap.VIEW_OWN_NUMBERS,
        target=_knowledge_target,
        post=_ack_api_post,
    ),
    "knowledge-adoption": RouteSpec(read=Cap.VIEW_ADOPTION, api=True),
    "knowledge-adoption-curve": RouteSpec(read=Cap.VIEW_ADOPTION, api=True),
    # ramp: a partner sees its own cohorts and the internal team's median (tests/ramp/test_access.py)
    "ramp:index": RouteSpec(read=Cap.VIEW_PERFORMANCE),
    "ramp-curves": RouteSpec(read=Cap.VIEW_PERFORMANCE, api=True),
    # attachments: whoever may read the article gets its files (its audience decides); the client's editors add
    # and remove them. The API's multipart POST is walked in tests/knowledge/test_attachments.py (the matrix
    # posts JSON to API routes).
    "knowledge:attachment": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_knowledge_attachments),
    "knowledge:attachment-upload": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        obj=_knowledge_articles,
        write=Cap.EDIT_KNOWLEDGE,
        methods=("POST",),
        post=_attachment_upload_post,
    ),
    "knowledge:attachment-remove": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE, obj=_knowledge_attachments, write=Cap.EDIT_KNOWLEDGE, methods=("POST",)
    ),
    "knowledge-attachment-list": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True, obj=_knowledge_articles),
    # disputes: the evaluated side raises (agent: own evaluations); a client grader decides over client grading
    "quality:disputes": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS),
    "quality:dispute-raise": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        obj=_evaluations,
        write=Cap.DISPUTE_EVALUATIONS,
        methods=("POST",),
        post=_dispute_raise_post,
    ),
    "quality:dispute-decide": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        obj=_disputes,
        write=Cap.EVALUATE,
        methods=("POST",),
        post=_dispute_decide_post,
        extra={"client_only_write": True},
        notes="graded by a client grader: only the client's QA decides; never the grader or who raised it",
    ),
    "quality-dispute-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.DISPUTE_EVALUATIONS,
        target=_dispute_target,
        post=_dispute_api_raise_post,
    ),
    "quality-dispute-detail": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS, api=True, obj=_disputes),
    "quality-dispute-decision": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        obj=_disputes,
        methods=("POST",),
        write=Cap.EVALUATE,
        post=_dispute_api_decide_post,
        extra={"client_only_write": True},
    ),
    "quality-dispute-rates": RouteSpec(read=Cap.VIEW_QUALITY, api=True),
    # coaching: graders and leads of the agent's provider (or the client) record it; the agent sees their own
    "quality:coaching": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS),
    "quality:coaching-detail": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS, obj=_coaching_sessions),
    "quality:coaching-new": RouteSpec(
        read=Cap.EVALUATE, obj=_qa_agents, write=Cap.EVALUATE, methods=("GET", "POST"), post=_coaching_post
    ),
    "quality-coaching-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EVALUATE,
        target=_qa_target,
        post=_coaching_api_post,
    ),
    "quality-coaching-detail": RouteSpec(read=Cap.VIEW_OWN_EVALUATIONS, api=True, obj=_coaching_sessions),
    # sampling plans: drawn by graders for their own provider (the client: any); read by QA readers
    "quality:sampling": RouteSpec(read=Cap.VIEW_QUALITY),
    "quality:sampling-new": RouteSpec(
        read=Cap.EVALUATE, write=Cap.EVALUATE, methods=("GET", "POST"), target=_qa_target, post=_plan_post
    ),
    "quality:sampling-plan": RouteSpec(read=Cap.VIEW_QUALITY, obj=_plans),
    "quality-sampling-list": RouteSpec(
        read=Cap.VIEW_QUALITY,
        api=True,
        methods=("GET", "POST"),
        write=Cap.EVALUATE,
        target=_qa_target,
        post=_plan_api_post,
    ),
    "quality-sampling-detail": RouteSpec(read=Cap.VIEW_QUALITY, api=True, obj=_plans),
    "quality:calibration-trends": RouteSpec(read=Cap.VIEW_QUALITY),
    "quality-calibration-trends": RouteSpec(read=Cap.VIEW_QUALITY, api=True),
    # decision trees: read like articles; a walk is its walker's (a lead may look at its agents' walks)
    "knowledge:trees": RouteSpec(read=Cap.VIEW_KNOWLEDGE),
    "knowledge:tree-new": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE, write=Cap.EDIT_KNOWLEDGE, methods=("GET", "POST"), post=_new_tree_post
    ),
    "knowledge:tree": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_trees),
    "knowledge:tree-edit": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE, obj=_trees, write=Cap.EDIT_KNOWLEDGE, methods=("GET", "POST"), post=_tree_post
    ),
    "knowledge:tree-start": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_trees, write=Cap.VIEW_KNOWLEDGE, methods=("POST",)),
    "knowledge:walk": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        obj=_walks,
        extra={"walker_or_adoption_read": True},
        notes="an agent sees only its own walks; a lead its provider's",
    ),
    "knowledge:walk-answer": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        obj=_walks,
        write=Cap.VIEW_KNOWLEDGE,
        methods=("POST",),
        post=_walk_answer_post,
        extra={"walker_or_adoption_read": True, "walker_only_write": True},
    ),
    "knowledge:walk-back": RouteSpec(
        read=Cap.VIEW_KNOWLEDGE,
        obj=_walks,
        write=Cap.VIEW_KNOWLEDGE,
        methods=("POST",),
        extra={"walker_or_adoption_read": True, "walker_only_write": True},
    ),
    "knowledge-tree-list": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True),
    "knowledge-tree-detail": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True, obj=_trees),
    "quality:form-edit": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS,
        obj=_qa_form,
        write=Cap.EDIT_QA_FORMS,
        methods=("GET", "POST"),
        post=_form_edit_post,
        extra={"client_only_write": True},
        notes="a change makes a new version",
    ),
    "quality:calibration-new": RouteSpec(
        read=Cap.EVALUATE, write=Cap.EVALUATE, methods=("GET", "POST"), target=_qa_target, post=_calibration_new_post
    ),
}

ROUTES.update({
    # governance pages
    "governance:index": RouteSpec(read=_GOV),
    "governance:cadence-create": RouteSpec(**_RUN, methods=("GET", "POST"), post=_cadence_post),
    "governance:cadence": RouteSpec(read=_GOV, obj=_cadences),
    "governance:cadence-schedule": RouteSpec(**_RUN, obj=_cadences, methods=("POST",)),
    "governance:meeting": RouteSpec(read=_GOV, obj=_meetings),
    "governance:meeting-note": RouteSpec(**_ANSWER, obj=_meetings, methods=("POST",),
                                         post=lambda w, obj=None: {"text": "Matrix note"}),
    "governance:meeting-agenda": RouteSpec(**_RUN, obj=_meetings, methods=("POST",),
                                           post=lambda w, obj=None: {"title": "Matrix item"}),
    "governance:meeting-decision": RouteSpec(**_ANSWER, obj=_meetings, methods=("POST",),
                                             post=lambda w, obj=None: {"what": "Matrix decision"}),
    "governance:meeting-close": RouteSpec(**_RUN, obj=_meetings, methods=("POST",)),
    "governance:meeting-pack": RouteSpec(read=_GOV, obj=_meetings, notes="client-only: test_governance_client_only"),
    "governance:pack": RouteSpec(read=_GOV, obj=_packs),
    "governance:pack-pdf": RouteSpec(read=_GOV, obj=_packs, notes="client-only in the PDF: tests/governance"),
    "governance:actions": RouteSpec(read=_GOV),
    "governance:action": RouteSpec(read=_GOV, obj=_actions),
    "governance:action-status": RouteSpec(**_ANSWER, obj=_actions, methods=("POST",),
                                          post=lambda w, obj=None: {"status": "done"}),
    "governance:action-create": RouteSpec(**_ANSWER, obj=_providers, methods=("GET", "POST"),
                                          post=_action_create_post),
    "governance:raci": RouteSpec(read=_GOV),
    "governance:escalations": RouteSpec(read=_GOV),
    "governance:escalation": RouteSpec(read=_GOV, obj=_escalations),
    "governance:escalation-ack": RouteSpec(**_ANSWER, obj=_escalations, methods=("POST",)),
    "governance:escalation-update": RouteSpec(**_ANSWER, obj=_escalations, methods=("POST",),
                                              post=lambda w, obj=None: {"text": "Matrix update"}),
    "governance:escalation-create": RouteSpec(**_ANSWER, obj=_providers, methods=("GET", "POST"),
                                              post=_escalation_create_post),
    # governance API
    "governance-meeting-list": RouteSpec(read=_GOV, api=True),
    "governance-meeting-detail": RouteSpec(read=_GOV, api=True, obj=_meetings),
    "governance-meeting-pack": RouteSpec(read=_GOV, api=True, obj=_meetings),
    "governance-meeting-close": RouteSpec(**_RUN, api=True, obj=_meetings, methods=("POST",)),
    "governance-action-list": RouteSpec(**_ANSWER, api=True, methods=("GET", "POST"), post=_api_action_post,
                                        target=lambda w: w.partner_a),
    "governance-action-detail": RouteSpec(**_ANSWER, api=True, obj=_actions, methods=("GET", "PATCH"),
                                          post=lambda w, obj=None: {"status": "done"}),
    "governance-escalation-list": RouteSpec(read=_GOV, api=True),
    "governance-escalation-ack": RouteSpec(**_ANSWER, api=True, obj=_escalations, methods=("POST",)),
    # training: the client defines (EDIT_KNOWLEDGE); a partner's trainer or lead records its own agents' training;
    # an agent takes its own assessments (another's attempt: 404)
    "knowledge:training": RouteSpec(read=Cap.VIEW_ADOPTION),
    "knowledge:training-readiness": RouteSpec(read=Cap.VIEW_ADOPTION),
    "knowledge:training-plan": RouteSpec(read=Cap.VIEW_KNOWLEDGE, obj=_training_programs, write=Cap.EDIT_KNOWLEDGE,
                                         methods=("GET", "POST"), post=_training_plan_post),
    "knowledge:training-agent": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_training_agents),
    "knowledge:training-shadowing": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_training_agents, write=Cap.RECORD_TRAINING,
                                              methods=("POST",), post=_shadowing_post),
    "knowledge:training-nesting": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_training_agents, write=Cap.RECORD_TRAINING,
                                            methods=("POST",), post=_nesting_post),
    "knowledge:assessments": RouteSpec(read=Cap.VIEW_OWN_NUMBERS),
    "knowledge:assessment-start": RouteSpec(read=Cap.VIEW_OWN_NUMBERS, obj=_training_programs,
                                            write=Cap.VIEW_OWN_NUMBERS, methods=("POST",),
                                            kwargs=lambda w: {"assessment": "matrix"}),
    "knowledge:attempt": RouteSpec(read=Cap.VIEW_OWN_NUMBERS, obj=_attempts, write=Cap.VIEW_OWN_NUMBERS,
                                   methods=("GET", "POST"), post=_attempt_post,
                                   notes="an agent's own only; another agent of the same partner: tests/knowledge"),
    "training-plan-list": RouteSpec(read=Cap.VIEW_KNOWLEDGE, api=True, methods=("GET", "POST"),
                                    write=Cap.EDIT_KNOWLEDGE, target=_training_target, post=_training_plan_api_post),
    "training-results": RouteSpec(read=Cap.RECORD_TRAINING, api=True, methods=("POST",), write=Cap.RECORD_TRAINING,
                                  target=_training_agent_target, post=_result_api_post),
    "training-shadowing": RouteSpec(read=Cap.RECORD_TRAINING, api=True, methods=("POST",), write=Cap.RECORD_TRAINING,
                                    target=_training_agent_target, post=_shadowing_api_post),
    "training-certifications": RouteSpec(read=Cap.VIEW_ADOPTION, api=True),
    "training-readiness": RouteSpec(read=Cap.VIEW_ADOPTION, api=True),
    # transition plans: the client's admins (and a plan's client owner) edit; the partner named reads and comments
    "knowledge:transitions": RouteSpec(read=Cap.VIEW_ADOPTION),
    "knowledge:transition-new": RouteSpec(read=Cap.VIEW_ADOPTION, write=Cap.EDIT_KNOWLEDGE, methods=("GET", "POST"),
                                          post=_new_plan_post, extra={"client_only_write": True}),
    "knowledge:transition": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_transition_plans),
    "knowledge:transition-edit": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_transition_plans, write=Cap.EDIT_KNOWLEDGE,
                                           methods=("GET", "POST"), post=_transition_plan_post,
                                           extra={"client_only_write": True}),
    "knowledge:transition-svg": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_transition_plans),
    "knowledge:transition-comment": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_transition_plans, write=Cap.VIEW_ADOPTION,
                                              methods=("POST",), post=lambda w, obj=None: {"text": "Matrix comment"}),
    "knowledge:transition-decision": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_go_lives, write=Cap.EDIT_KNOWLEDGE,
                                               methods=("POST",), post=_decision_post,
                                               extra={"client_only_write": True}),
    "knowledge:transition-due": RouteSpec(read=Cap.VIEW_ADOPTION, obj=_go_lives, write=Cap.EDIT_KNOWLEDGE,
                                          methods=("POST",), post=lambda w, obj=None: {"due": "2026-04-15"},
                                          extra={"client_only_write": True}),
    "knowledge-transition-list": RouteSpec(read=Cap.VIEW_ADOPTION, api=True, methods=("GET", "POST"),
                                           write=Cap.EDIT_KNOWLEDGE, post=_new_plan_api_post,
                                           extra={"client_only_write": True}),
    "knowledge-transition-detail": RouteSpec(read=Cap.VIEW_ADOPTION, api=True, obj=_transition_plans),
    "knowledge-transition-comment": RouteSpec(read=Cap.VIEW_ADOPTION, api=True, obj=_transition_plans,
                                              methods=("POST",), write=Cap.VIEW_ADOPTION,
                                              post=lambda w, obj=None: {"text": "Matrix comment"}),
    "knowledge-transition-decision": RouteSpec(read=Cap.VIEW_ADOPTION, api=True, obj=_go_lives, methods=("POST",),
                                               write=Cap.EDIT_KNOWLEDGE, post=_decision_post,
                                               extra={"client_only_write": True}),
    # notifications: one's own inbox only
    "notifications:inbox": RouteSpec(read=None),
    "notifications:read": RouteSpec(read=None, methods=("POST",), notes="marks only one's own notices"),
    # a client admin's webhooks (client-level: no partner's object); a public literal address, so no DNS is needed
    "notifications:webhooks": RouteSpec(read=Cap.MANAGE_WEBHOOKS),
    "notifications:webhook-create": RouteSpec(
        read=Cap.MANAGE_WEBHOOKS,
        write=Cap.MANAGE_WEBHOOKS,
        methods=("GET", "POST"),
        post=lambda w, obj=None: {"name": "Ops chat", "url": "https://8.8.8.8/hook", "kinds": "", "active": "on"},
    ),
    "notifications:webhook-edit": RouteSpec(
        read=Cap.MANAGE_WEBHOOKS,
        write=Cap.MANAGE_WEBHOOKS,
        methods=("GET", "POST"),
        kwargs=lambda w: {"pk": _webhook(w).pk},
        post=lambda w, obj=None: {"name": "Renamed", "url": "https://8.8.4.4/hook", "kinds": "governance."},
    ),
    **{
        f"notifications:webhook-{verb}": RouteSpec(
            read=Cap.MANAGE_WEBHOOKS,
            write=Cap.MANAGE_WEBHOOKS,
            methods=("POST",),
            kwargs=lambda w: {"pk": _webhook(w).pk},
        )
        for verb in ("delete", "test", "secret")
    },
})  # fmt: skip


#: Namespaces not walked here, and why.
EXCLUDED_NAMESPACES = {
    "admin": "Django admin: staff only, checked by test_admin_refuses_non_staff",
}
