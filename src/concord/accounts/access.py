"""The one place that decides what a user may see and do.

Selectors scope every read through ``scope``; services check every write with
``require`` / ``require_for_provider``; views and the API look objects up with
``get_visible_or_404`` so another provider's object is indistinguishable from
one that does not exist.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .roles import ROLE_CAPABILITIES, Cap, Role

M = TypeVar("M", bound=Model)


def capabilities(user) -> frozenset[Cap]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    try:
        return ROLE_CAPABILITIES[Role(user.role)]
    except ValueError:
        return frozenset()


def can(user, cap: Cap) -> bool:
    return cap in capabilities(user)


def require(user, cap: Cap) -> None:
    if not can(user, cap):
        raise PermissionDenied(f"Your role does not allow this ({cap.value.replace('_', ' ')}).")


def provider_scope(user) -> int | None:
    """The provider id a user is confined to, or None for the client's people (all providers)."""
    return None if user.provider_id is None else user.provider_id


def scope(user, queryset: QuerySet[M], provider_field: str = "provider") -> QuerySet[M]:
    """Only the rows this user may see. ``provider_field`` is the lookup path to the provider."""
    if not capabilities(user):
        return queryset.none()
    confined = provider_scope(user)
    if confined is None:
        return queryset
    if provider_field == "pk":  # the Provider table itself
        return queryset.filter(pk=confined)
    return queryset.filter(**{provider_field: confined})


def require_for_provider(user, cap: Cap, provider_id: int | None) -> None:
    """A write touching ``provider_id``'s data: the capability, and it must be the user's own provider."""
    require(user, cap)
    confined = provider_scope(user)
    if confined is not None and confined != provider_id:
        # Same answer as a missing object: a partner learns nothing about others.
        raise Http404("No such object.")


def get_visible_or_404(user, queryset: QuerySet[M], provider_field: str = "provider", **lookup) -> M:
    try:
        return scope(user, queryset, provider_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("No such object.") from exc


#: the source under which an agent's roster entry records their Concord username (``AgentExternalId``)
LOGIN_SOURCE = "concord-login"


def own_agent(user):
    """The roster entry of the agent who is logged in: the only one whose numbers they may see.

    Another role gets 403; an agent whose login no roster entry of their provider names gets 404.
    """
    require(user, Cap.VIEW_OWN_NUMBERS)
    from concord.providers.models import Agent  # accounts does not load providers at import time

    agent = (
        Agent.objects.select_related("provider")
        .filter(
            provider_id=user.provider_id,
            external_ids__source=LOGIN_SOURCE,
            external_ids__external_id=user.username,
        )
        .first()
    )
    if agent is None:
        raise Http404("Your login is not linked to a roster entry yet: ask your team lead to link it.")
    return agent


def scope_to_person(user, queryset: QuerySet[M], provider_field: str = "provider", agent_field: str = "agent"):
    """Records about one person (QA evaluations): as ``scope``, and an agent sees only their own.

    An agent is tied to their roster entry as ``own_agent`` ties them (the entry's external id under
    ``LOGIN_SOURCE`` is their username); an agent login with no such tie sees nothing.
    """
    if can(user, Cap.VIEW_QUALITY):
        return scope(user, queryset, provider_field)
    if can(user, Cap.VIEW_OWN_EVALUATIONS):
        return scope(user, queryset, provider_field).filter(
            **{
                f"{agent_field}__provider_id": user.provider_id,
                f"{agent_field}__external_ids__source": LOGIN_SOURCE,
                f"{agent_field}__external_ids__external_id": user.username,
            }
        )
    return queryset.none()


def get_person_record_or_404(user, queryset: QuerySet[M], provider_field="provider", agent_field="agent", **lookup):
    try:
        return scope_to_person(user, queryset, provider_field, agent_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("No such object.") from exc
