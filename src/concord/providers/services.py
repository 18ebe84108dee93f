"""Every change to providers, sites, teams, the roster and programs.

Keyword-only arguments, the acting user first, one transaction and one audit
record each; the page, the API and the CLI all call these.
"""

from __future__ import annotations

from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from .models import Agent, AgentExternalId, ContactType, Program, Provider, Site, Team

EDITABLE_FIELDS = {
    Provider: ("code", "name", "legal_name", "kind", "status"),
    Site: ("code", "name", "city", "country", "timezone", "languages", "seats", "business_hours", "holidays"),
    Team: ("code", "name", "site"),
    Agent: ("employee_id", "display_name", "site", "team", "role", "status", "hire_date", "exit_date", "exit_reason"),
    Program: ("code", "name", "description"),
    ContactType: ("code", "name", "channel", "complexity", "description"),
}
#: which capability a write to each model needs
_CAPABILITY = {
    Provider: Cap.EDIT_PROVIDERS,
    Site: Cap.EDIT_SITES_TEAMS,
    Team: Cap.EDIT_SITES_TEAMS,
    Agent: Cap.EDIT_ROSTER,
    Program: Cap.EDIT_PROGRAMS,
    ContactType: Cap.EDIT_PROGRAMS,
}


def capability_for(model) -> Cap:
    return _CAPABILITY[model]


def _check_fields(model, fields) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS[model])
    if unknown:
        raise ValueError(f"{model.__name__} has no editable field {', '.join(sorted(unknown))}")


@transaction.atomic
def provider_create(*, actor, **fields) -> Provider:
    access.require_for_provider(actor, Cap.EDIT_PROVIDERS, None)
    _check_fields(Provider, fields)
    return audit.create(actor=actor, instance=Provider(**fields))


@transaction.atomic
def provider_update(*, actor, provider: Provider, **changes) -> Provider:
    access.require_for_provider(actor, Cap.EDIT_PROVIDERS, provider.pk)
    _check_fields(Provider, changes)
    return audit.update(actor=actor, instance=provider, changes=changes)


@transaction.atomic
def create_for_provider(*, actor, model, provider: Provider, **fields):
    """Create a site, team or agent of ``provider``."""
    access.require_for_provider(actor, _CAPABILITY[model], provider.pk)
    _check_fields(model, fields)
    return audit.create(actor=actor, instance=model(provider=provider, **fields))


@transaction.atomic
def update_for_provider(*, actor, instance, **changes):
    """Edit a site, team or agent; only its own provider's people (or the client) may."""
    model = type(instance)
    access.require_for_provider(actor, _CAPABILITY[model], instance.provider_id)
    _check_fields(model, changes)
    return audit.update(actor=actor, instance=instance, changes=changes)


@transaction.atomic
def agent_set_external_id(*, actor, agent: Agent, source: str, external_id: str) -> AgentExternalId:
    access.require_for_provider(actor, Cap.EDIT_ROSTER, agent.provider_id)
    existing = AgentExternalId.objects.filter(agent=agent, source=source).first()
    if existing:
        return audit.update(actor=actor, instance=existing, changes={"external_id": external_id})
    return audit.create(
        actor=actor,
        instance=AgentExternalId(agent=agent, provider_id=agent.provider_id, source=source, external_id=external_id),
    )


@transaction.atomic
def program_create(*, actor, providers=(), **fields) -> Program:
    access.require_for_provider(actor, Cap.EDIT_PROGRAMS, None)
    _check_fields(Program, fields)
    program = audit.create(actor=actor, instance=Program(**fields))
    if providers:
        program.providers.set(providers)
    return program


@transaction.atomic
def program_update(*, actor, program: Program, providers=None, **changes) -> Program:
    access.require_for_provider(actor, Cap.EDIT_PROGRAMS, None)
    _check_fields(Program, changes)
    program = audit.update(actor=actor, instance=program, changes=changes)
    if providers is not None:
        before = sorted(program.providers.values_list("pk", flat=True))
        after = sorted(p.pk for p in providers)
        if before != after:
            program.providers.set(providers)
            audit.record(
                actor=actor,
                action="update",
                instance=program,
                before={"providers": before},
                after={"providers": after},
            )
    return program


@transaction.atomic
def contact_type_create(*, actor, program: Program, **fields) -> ContactType:
    access.require_for_provider(actor, Cap.EDIT_PROGRAMS, None)
    _check_fields(ContactType, fields)
    return audit.create(actor=actor, instance=ContactType(program=program, **fields))


@transaction.atomic
def contact_type_update(*, actor, contact_type: ContactType, **changes) -> ContactType:
    access.require_for_provider(actor, Cap.EDIT_PROGRAMS, None)
    _check_fields(ContactType, changes)
    return audit.update(actor=actor, instance=contact_type, changes=changes)
