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
    #: view-name prefixes of the pages that belong to this entry ("ingest" means "ingest:*")
    section: str | tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        prefixes = (f"{self.section}:",) if isinstance(self.section, str) else self.section
        return view_name == self.url_name or any(view_name.startswith(p) for p in prefixes)


NAV: list[NavItem] = [
    NavItem(
        "Providers",
        "providers:list",
        Cap.VIEW_PROVIDERS,
        ("providers:detail", "providers:edit", "providers:create", "providers:site", "providers:team"),
    ),
    NavItem("Roster", "providers:agents", Cap.VIEW_ROSTER, ("providers:agent",)),
    NavItem("Programs", "providers:programs", Cap.VIEW_PROVIDERS, ("providers:program", "providers:contact-type")),
    NavItem("Ingest", "ingest:runs", Cap.INGEST, "ingest"),
    NavItem("Planning", "planning:index", Cap.VIEW_ASSIGNED_VOLUME, "planning"),  # partners: assigned volume
    NavItem(
        "Performance",
        "performance:portfolio",
        Cap.VIEW_PERFORMANCE,
        ("performance:provider", "performance:scorecard", "performance:line"),
    ),
    NavItem("Drift", "performance:drift-alerts", Cap.VIEW_PERFORMANCE, ("performance:drift",)),
    NavItem("My numbers", "performance:own", Cap.VIEW_OWN_NUMBERS),
    NavItem("Contracts", "contracts:list", Cap.VIEW_CONTRACTS, "contracts"),
    NavItem("Quality", "quality:index", Cap.VIEW_OWN_EVALUATIONS, "quality"),
    NavItem("Knowledge", "knowledge:index", Cap.VIEW_KNOWLEDGE, "knowledge"),
    NavItem("Governance", "governance:index", Cap.VIEW_GOVERNANCE, "governance"),
    NavItem("Audit log", "accounts:audit", Cap.VIEW_AUDIT),
    NavItem("Users", "accounts:users", Cap.MANAGE_USERS, ("accounts:user",)),
    NavItem("Webhooks", "notifications:webhooks", Cap.MANAGE_WEBHOOKS, ("notifications:webhook",)),
]
