"""Providers, sites, teams, programs, contact types and demo users."""

from __future__ import annotations

from concord.accounts import services as account_services
from concord.accounts.models import User
from concord.accounts.roles import Role
from concord.providers import services
from concord.providers.models import Provider, Site, Team

from .context import DEMO_PASSWORD, DemoContext

#: code, name, legal name, kind, monthly attrition, target headcount at scale 1, sites
PROVIDERS = [
    (
        "NWI",
        "Northwind In-house",
        "Northwind Retail S.L.",
        Provider.Kind.INTERNAL,
        0.012,
        60,
        [
            ("MAD", "Madrid HQ", "Madrid", "ES", "Europe/Madrid", "es,en", 80),
        ],
    ),
    (
        "ATLAS",
        "Atlas CX",
        "Atlas Customer Experience Inc.",
        Provider.Kind.VENDOR,
        0.055,
        150,
        [
            ("MNL", "Manila Ortigas", "Manila", "PH", "Asia/Manila", "en,tl", 140),
            ("CEB", "Cebu IT Park", "Cebu City", "PH", "Asia/Manila", "en", 60),
        ],
    ),
    (
        "BRAVO",
        "Bravo Contact",
        "Bravo Contact Center S.A.S.",
        Provider.Kind.VENDOR,
        0.028,
        110,
        [
            ("BOG", "Bogotá Chapinero", "Bogotá", "CO", "America/Bogota", "es,en", 90),
            ("MDE", "Medellín El Poblado", "Medellín", "CO", "America/Bogota", "es", 40),
        ],
    ),
    (
        "CORA",
        "Cora Services",
        "Cora Services Sp. z o.o.",
        Provider.Kind.VENDOR,
        0.02,
        80,
        [
            ("KRK", "Kraków Zabłocie", "Kraków", "PL", "Europe/Warsaw", "pl,de,en", 70),
            ("CPT", "Cape Town Foreshore", "Cape Town", "ZA", "Africa/Johannesburg", "en,af", 30),
        ],
    ),
]

PROGRAMS = [
    (
        "RETAIL",
        "Retail Care",
        "Orders, deliveries, returns and billing for retail customers.",
        ["NWI", "ATLAS", "BRAVO", "CORA"],
        [
            ("ORDER", "Order status", "voice", "low"),
            ("RETURN", "Returns and refunds", "chat", "medium"),
            ("BILLING", "Billing question", "email", "medium"),
        ],
    ),
    (
        "TECH",
        "Tech Support",
        "Device set-up, troubleshooting and warranty claims.",
        ["NWI", "ATLAS", "CORA"],
        [
            ("TROUBLE", "Troubleshooting", "voice", "high"),
            ("SETUP", "Device set-up", "chat", "medium"),
            ("WARRANTY", "Warranty claim", "email", "high"),
        ],
    ),
]


def build_organisation(ctx: DemoContext) -> None:
    admin = User(
        username="admin",
        email="admin@northwind.example",
        role=Role.CLIENT_ADMIN,
        first_name="Ana",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    ctx.actor = admin
    providers = {}
    for code, name, legal, kind, attrition, headcount, sites in PROVIDERS:
        provider = services.provider_create(
            actor=admin, code=code, name=name, legal_name=legal, kind=kind, status=Provider.Status.ACTIVE
        )
        site_objs = []
        for s_code, s_name, city, country, tz, langs, seats in sites:
            site = services.create_for_provider(
                actor=admin,
                model=Site,
                provider=provider,
                code=s_code,
                name=s_name,
                city=city,
                country=country,
                timezone=tz,
                languages=langs,
                seats=round(seats * max(ctx.scale, 0.2)),
            )
            site_objs.append(site)
        teams = []
        for site in site_objs:
            for n in range(1, 3 if len(site_objs) > 1 else 4):
                teams.append(
                    services.create_for_provider(
                        actor=admin,
                        model=Team,
                        provider=provider,
                        code=f"{site.code}-T{n}",
                        name=f"{site.name.split()[0]} team {n}",
                        site=site,
                    )
                )
        providers[code] = {
            "provider": provider,
            "sites": site_objs,
            "teams": teams,
            "attrition": attrition,
            "headcount": headcount,
        }
    ctx.made["providers"] = providers
    programs = {}
    for code, name, description, served_by, contact_types in PROGRAMS:
        program = services.program_create(
            actor=admin,
            code=code,
            name=name,
            description=description,
            providers=[providers[c]["provider"] for c in served_by],
        )
        for ct_code, ct_name, channel, complexity in contact_types:
            services.contact_type_create(
                actor=admin, program=program, code=ct_code, name=ct_name, channel=channel, complexity=complexity
            )
        programs[code] = program
    ctx.made["programs"] = programs
    ctx.progress(f"{len(providers)} providers, {len(programs)} programs")


#: username, role, provider code (None: client), first name, last name
USERS = [
    ("manager", Role.MANAGER, None, "Marta", "Manager"),
    ("analyst", Role.ANALYST, None, "Ari", "Analyst"),
    ("viewer", Role.VIEWER, None, "Vera", "Viewer"),
    ("atlas.lead", Role.PROVIDER_LEAD, "ATLAS", "Andres", "Reyes"),
    ("atlas.qa", Role.PROVIDER_QA, "ATLAS", "Queenie", "Santos"),
    ("atlas.agent", Role.AGENT, "ATLAS", "Paolo", "Cruz"),
    ("bravo.lead", Role.PROVIDER_LEAD, "BRAVO", "Beatriz", "Gómez"),
    ("cora.lead", Role.PROVIDER_LEAD, "CORA", "Kasia", "Nowak"),
]


def build_users(ctx: DemoContext) -> list[tuple[str, str, str]]:
    providers = ctx.made["providers"]
    logins = [("admin", DEMO_PASSWORD, "client admin: sees and changes everything")]
    for username, role, provider_code, first, last in USERS:
        provider = providers[provider_code]["provider"] if provider_code else None
        account_services.user_create(
            actor=ctx.actor,
            username=username,
            email=f"{username}@{(provider_code or 'northwind').lower()}.example",
            role=role,
            provider=provider,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        who = f"{Role(role).label.lower()} of {provider.name}" if provider else f"client {Role(role).label.lower()}"
        logins.append((username, DEMO_PASSWORD, who))
    return logins


def demo_logins() -> list[tuple[str, str, str]]:
    """The logins of an already loaded demo, for printing again."""
    logins = [("admin", DEMO_PASSWORD, "client admin: sees and changes everything")]
    for username, role, provider_code, _, _ in USERS:
        if User.objects.filter(username=username).exists():
            who = f"{Role(role).label.lower()}" + (f" of {provider_code}" if provider_code else " (client)")
            logins.append((username, DEMO_PASSWORD, who))
    return logins
