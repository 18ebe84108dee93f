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
    _calibration_score_post,
    _closed_sessions,
    _evaluate_post,
    _evaluation_patch,
    _evaluation_save_post,
    _evaluation_start_post,
    _evaluations,
    _form_create_post,
    _form_revise_post,
    _open_sessions,
    _qa_agents,
    _qa_form,
    _qa_target,
    _scored_sessions,
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
    "providers:agent-external-id": RouteSpec(read=Cap.VIEW_ROSTER, obj=_agent, write=Cap.EDIT_ROSTER, methods=("POST",),
                                             post=lambda w, obj=None: {"source": "acd", "external_id": "x-1"}),
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
        read=Cap.VIEW_ASSIGNED_VOLUME, obj=_assignments, write=Cap.COMMIT_CAPACITY, methods=("GET", "POST"),
        post=lambda w, obj=None: {"fte": 12, "note": "Three hires start Monday"},
    ),
    "planning:forecast-assign": RouteSpec(
        read=Cap.VIEW_PLANNING, obj=_forecasts, write=Cap.EDIT_PLANNING, methods=("GET", "POST"),
        post=lambda w, obj=None: {"provider": w.partner_b.pk, "share": 30},
    ),
    "planning-assignment-list": RouteSpec(read=Cap.VIEW_ASSIGNED_VOLUME, api=True),
    "planning-assignment-commit": RouteSpec(
        read=Cap.VIEW_ASSIGNED_VOLUME, obj=_assignments, write=Cap.COMMIT_CAPACITY, api=True, methods=("POST",),
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
    "ingest:upload": RouteSpec(read=Cap.INGEST, write=Cap.INGEST, methods=("GET", "POST"), post=_upload_post,
                               extra={"run_tasks": True}),
    "ingest:template": RouteSpec(read=Cap.INGEST, kwargs=lambda w: {"table": "interactions"}),
    "ingest:run": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:run-status": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:quarantine": RouteSpec(read=Cap.INGEST, obj=_ingest_runs),
    "ingest:run-retry": RouteSpec(read=Cap.INGEST, obj=_ingest_runs, write=Cap.INGEST, methods=("POST",)),
    "ingest:profiles": RouteSpec(read=Cap.INGEST),
    "ingest:profile-create": RouteSpec(
        read=Cap.INGEST, write=Cap.INGEST, methods=("GET", "POST"), extra={"client_only_write": True},
        post=lambda w, obj=None: {"name": "matrix-new", "definition": _PROFILE_YAML},
    ),
    "ingest:profile-wizard": RouteSpec(
        read=Cap.INGEST, write=Cap.INGEST, methods=("GET", "POST"), extra={"client_only_write": True},
        post=lambda w, obj=None: {"table": "interactions", "file": _wizard_sample()},
        notes="previews a mapping; writes nothing",
    ),
    "ingest:profile-edit": RouteSpec(
        read=Cap.INGEST, obj=_saved_profile, write=Cap.INGEST, methods=("GET", "POST"),
        extra={"client_only_write": True},
        post=lambda w, obj=None: {"name": obj.name, "description": "edited", "definition": _PROFILE_YAML},
    ),
    "ingest-batch": RouteSpec(
        read=Cap.INGEST, api=True, methods=("POST",), write=Cap.INGEST,
        # m/1 is partner B's in the lake (test_matrix._B_FACT); each lead has a row of its own to load
        # (a batch accepting none is a 400)
        post=lambda w, obj=None: {"profile": "canonical-jsonl", "rows": [{
            "source": "m", "external_id": str(i), "provider": code, "program": "SHARED", "channel": "chat",
            "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z"}
            for i, code in ((1, "PA"), (2, "PB"), (3, "PA"))]},
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
        read=Cap.VIEW_OWN_EVALUATIONS, obj=_evaluations, write=Cap.EVALUATE, methods=("POST",),
        post=_evaluation_save_post, extra={"evaluator_only_write": True},
    ),
    "quality-form-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS, api=True, methods=("GET", "POST"), write=Cap.EDIT_QA_FORMS,
        post=_form_create_post, extra={"client_only_write": True},
    ),
    "quality-form-detail": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS, api=True, obj=_qa_form, methods=("GET", "POST"), write=Cap.EDIT_QA_FORMS,
        post=_form_revise_post, extra={"client_only_write": True},
    ),
    "quality-evaluation-list": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS, api=True, methods=("GET", "POST"), write=Cap.EVALUATE,
        target=_qa_target, post=_evaluation_start_post,
    ),
    "quality:calibrations": RouteSpec(read=Cap.VIEW_QUALITY),
    "quality:calibration": RouteSpec(read=Cap.VIEW_QUALITY, obj=_open_sessions, notes="blind: see tests/quality"),
    "quality:calibration-score": RouteSpec(
        read=Cap.VIEW_QUALITY, obj=_open_sessions, write=Cap.EVALUATE, methods=("POST",),
        post=_calibration_score_post, notes="each persona with EVALUATE grades its own partner's session here",
    ),
    "quality:calibration-submit": RouteSpec(
        read=Cap.VIEW_QUALITY, obj=_scored_sessions, write=Cap.EVALUATE, methods=("POST",)
    ),
    "quality:calibration-close": RouteSpec(
        read=Cap.VIEW_QUALITY, obj=_open_sessions, write=Cap.EVALUATE, methods=("POST",),
        extra={"client_only_write": True}, notes="the client admin set these up; a partner closes only its own",
    ),
    "quality-calibration-list": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, methods=("GET", "POST"), write=Cap.EVALUATE,
        target=_qa_target, post=_calibration_create_post,
    ),
    "quality-calibration-detail": RouteSpec(read=Cap.VIEW_QUALITY, api=True, obj=_open_sessions),
    "quality-calibration-results": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, obj=_closed_sessions, notes="closed: all see; blind before: tests/quality"
    ),
    "quality-calibration-scores": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, obj=_open_sessions, methods=("POST",), write=Cap.EVALUATE,
        post=_calibration_api_score_post,
    ),
    "quality-calibration-submit": RouteSpec(
        read=Cap.VIEW_QUALITY, api=True, obj=_scored_sessions, methods=("POST",), write=Cap.EVALUATE
    ),
    "quality-evaluation-detail": RouteSpec(
        read=Cap.VIEW_OWN_EVALUATIONS, api=True, obj=_evaluations, methods=("GET", "PATCH"), write=Cap.EVALUATE,
        post=_evaluation_patch, extra={"evaluator_only_write": True},
    ),
}

#: Namespaces not walked here, and why.
EXCLUDED_NAMESPACES = {
    "admin": "Django admin: staff only, checked by test_admin_refuses_non_staff",
}
