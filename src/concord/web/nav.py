"""The navigation: one explicit list that grows as domains land.

Each entry names the capability it needs, so nobody sees a link to a page
that would refuse them.
"""

from __future__ import annotations

from dataclasses import dataclass

from concord.accounts.roles import Cap


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: Cap
    section: str  # the URL namespace, to mark the current section


NAV: list[NavItem] = [
    NavItem("Providers", "providers:list", Cap.VIEW_PROVIDERS, "providers"),
    NavItem("Roster", "providers:agents", Cap.VIEW_ROSTER, "providers-roster"),
    NavItem("Programs", "providers:programs", Cap.VIEW_PROVIDERS, "providers-programs"),
    NavItem("Ingest", "ingest:runs", Cap.INGEST, "ingest"),
    NavItem("Planning", "planning:index", Cap.VIEW_PLANNING, "planning"),
    NavItem("Performance", "performance:portfolio", Cap.VIEW_PERFORMANCE, "performance"),
    NavItem("Contracts", "contracts:list", Cap.VIEW_CONTRACTS, "contracts"),
    NavItem("Audit log", "accounts:audit", Cap.VIEW_AUDIT, "accounts-audit"),
    NavItem("Users", "accounts:users", Cap.MANAGE_USERS, "accounts-users"),
]
