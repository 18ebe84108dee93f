"""Who an article version is for: its audience, and whether a roster agent is in it (no Django ORM).

An audience is a mapping of dimension -> allowed values; a missing or empty dimension admits
everyone. Provider, site and team are matched by code, roles by roster role, languages against
the languages of the agent's site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DIMENSIONS = ("providers", "sites", "teams", "roles", "languages")


class AudienceError(ValueError):
    pass


def clean(raw: object) -> dict[str, list[str]]:
    """The audience as stored, or ``AudienceError`` saying what is wrong in the author's terms."""
    if raw in (None, "", {}):
        return {}
    if not isinstance(raw, Mapping):
        raise AudienceError("Audience must be a mapping such as {providers: [ATLAS], roles: [agent]}.")
    unknown = sorted(set(raw) - set(DIMENSIONS))
    if unknown:
        raise AudienceError(f"Audience has an unknown key {unknown[0]!r}: use {', '.join(DIMENSIONS)}.")
    cleaned: dict[str, list[str]] = {}
    for key in DIMENSIONS:
        values = raw.get(key) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise AudienceError(f"Audience {key} must be a list of codes.")
        if values:
            cleaned[key] = sorted({v.strip() for v in values})
    return cleaned


@dataclass(frozen=True)
class Person:
    """What the audience is matched against: one roster agent."""

    provider: str
    site: str
    team: str
    role: str
    languages: frozenset[str]


def admits(audience: Mapping[str, Iterable[str]], person: Person) -> bool:
    for key, values in audience.items():
        allowed = set(values)
        if not allowed:
            continue
        if key == "languages":
            if not (person.languages & allowed):
                return False
        elif {"providers": person.provider, "sites": person.site, "teams": person.team, "roles": person.role}[
            key
        ] not in allowed:
            return False
    return True


def admits_provider(audience: Mapping[str, Iterable[str]], provider_code: str) -> bool:
    """Whether anyone at this provider can be in the audience (for partner staff who are not agents)."""
    providers = set(audience.get("providers") or [])
    return not providers or provider_code in providers
