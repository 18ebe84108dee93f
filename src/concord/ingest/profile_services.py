"""Ingest profiles: which a person may pick, resolving a name, folding in the options of a run, the wizard's
preview, and the saved profiles the client's people define. A name is only ever a name from the web and the API.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.conf import settings
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.providers.models import Program, Provider, Site

from .engine.profiles import (
    IngestOptions,
    Profile,
    ProfileError,
    builtin_profiles,
    load_profile,
    missing_required,
    profile_from_dict,
    with_options,
)
from .models import SavedProfile


class IngestRefused(ValueError):
    """A request that cannot be ingested at all (unknown profile, too many rows); the message says why."""

    def __init__(self, message: str, *, field: str = "profile", unknown: bool = False):
        super().__init__(message)
        self.field = field  # the form field the message belongs to
        self.unknown = unknown  # the request names a profile or program that does not exist (for the caller)


def profile_names() -> list[tuple[str, str]]:
    """(name, label) of every profile a person may pick: built-in ones, then saved ones."""
    out = [(name, f"{name} (built-in, {p.table})") for name, p in sorted(builtin_profiles().items())]
    out += [(p.name, f"{p.name} (saved, {p.table})") for p in SavedProfile.objects.order_by("name")]
    return out


def resolve_profile(name: str, *, allow_file: bool = False) -> Profile:
    """A built-in or saved profile by name; ``IngestRefused`` naming the known ones otherwise.

    Only the local operator's command line (``allow_file``) may name a YAML/JSON file: from the
    web and the API a name is only ever a name, so no request can make the server open a path
    (and echo its keys back in an error).
    """
    builtins = builtin_profiles()
    if name in builtins:
        return builtins[name]
    saved = SavedProfile.objects.filter(name=name).first()
    if saved is not None:
        try:
            return profile_from_dict({"format": "csv", **saved.definition, "name": saved.name})
        except ProfileError as exc:
            raise IngestRefused(str(exc)) from None
    if allow_file and Path(name).suffix in (".yaml", ".yml", ".json") and Path(name).exists():
        try:
            return load_profile(Path(name))
        except ProfileError as exc:
            raise IngestRefused(str(exc)) from None
    known = ", ".join(n for n, _ in profile_names())
    raise IngestRefused(f"unknown profile {name[:64]!r}; known profiles: {known}", unknown=True)


def default_timezone(provider: Provider | None) -> str:
    """Zone of naive timestamps when none is given: the provider's one site zone, else the reporting zone."""
    if provider is not None:
        zones = set(Site.objects.filter(provider=provider).values_list("timezone", flat=True))
        if len(zones) == 1:
            return zones.pop()
    return settings.REPORTING_TIMEZONE


def profile_for_run(
    name: str, options: IngestOptions | None, provider: Provider | None, *, allow_file: bool = False
) -> Profile:
    """``name`` with the ingest-time options folded in; refused when a required value is still missing.

    Checked before any run is recorded, so a person is asked for the program
    (or time zone) up front instead of reading it in every rejected row.
    """
    profile = resolve_profile(name, allow_file=allow_file)
    options = options or IngestOptions()
    if options.program:
        # a partner's upload names only their own programs, and learns no other's
        served = provider.programs.all() if provider is not None else Program.objects.all()
        if not served.filter(code=options.program).exists():
            known = ", ".join(served.order_by("code").values_list("code", flat=True))
            whose = f"{provider.code} serves" if provider is not None else "known programs:"
            raise IngestRefused(
                f"unknown program {options.program!r}; {whose} {known or 'none'}.", field="program", unknown=True
            )
    if options.timezone is None and profile.timezone is None:
        options = dataclasses.replace(options, timezone=default_timezone(provider))
    try:
        profile = with_options(profile, options)
    except ProfileError as exc:
        raise IngestRefused("; ".join(exc.problems)) from None
    missing = missing_required(profile, provider_bound=provider is not None)
    if missing:
        from .engine.run import ASK_FOR

        asks = " and ".join(ASK_FOR.get(m, repr(m)) for m in missing)
        raise IngestRefused(f"profile {profile.name!r} needs {asks}: the file does not say.", field=None)
    return profile


def wizard_preview(*, actor, sample: Path, table: str, options: IngestOptions, provider: Provider | None = None,
                   columns: dict | None = None):
    """The wizard's step: a mapping for ``sample`` (suggested unless given) and its first 20 rows as they would land.

    Returns ``(definition, preview)``; nothing is written. Only the client's
    people define profiles, so only they may use it.
    """
    from .engine.preview import WIZARD_FORMATS, preview, suggest_columns
    from .engine.readers import IngestError, open_csv

    _check_profile_writer(actor)
    try:
        detected = open_csv(sample, threads=False).columns
    except IngestError as exc:
        raise IngestRefused(str(exc)) from None
    definition = {
        "table": table,
        "format": "csv",
        "source": "custom",
        "timestamp_formats": WIZARD_FORMATS,
        "unknown_agents": "flag",
        "columns": columns if columns is not None else suggest_columns(detected, table),
    }
    if not definition["columns"]:
        raise IngestRefused(f"no column of {sample.name} matches a column Concord knows; map them by hand.")
    if options.timezone:  # kept as the saved profile's default
        definition["timezone"] = options.timezone
    if options.program:
        definition["columns"] = {**definition["columns"], "program": {"const": options.program}}
    try:
        profile = with_options(profile_from_dict({**definition, "name": "wizard"}), options)
    except ProfileError as exc:
        raise IngestRefused("; ".join(exc.problems)) from None
    bound = provider.code if provider is not None else None
    return definition, preview(sample, profile, bound_provider=bound, customer_key_secret=settings.CUSTOMER_KEY_SECRET)


def builtin_profile_text(name: str) -> str | None:
    """A built-in profile's YAML without its name: the start of a new saved profile."""
    if name not in builtin_profiles():
        return None
    from .engine.profiles import BUILTIN_DIR

    lines = (BUILTIN_DIR / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("name:")) + "\n"


def _check_profile_writer(actor) -> None:
    access.require(actor, Cap.INGEST)
    if actor.provider_id is not None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Saved profiles are defined by the client's people; a partner may use them.")


@transaction.atomic
def saved_profile_create(*, actor, name: str, definition: dict, description: str = "") -> SavedProfile:
    _check_profile_writer(actor)
    _check_not_builtin(name)
    return audit.create(
        actor=actor,
        instance=SavedProfile(name=name, definition=definition, description=description, created_by=actor),
    )


@transaction.atomic
def saved_profile_update(*, actor, profile: SavedProfile, **changes) -> SavedProfile:
    _check_profile_writer(actor)
    unknown = set(changes) - {"name", "definition", "description"}
    if unknown:
        raise ValueError(f"SavedProfile has no editable field {', '.join(sorted(unknown))}")
    if "name" in changes:
        _check_not_builtin(changes["name"])
    return audit.update(actor=actor, instance=profile, changes=changes)


def _check_not_builtin(name: str) -> None:
    from django.core.exceptions import ValidationError

    if name in builtin_profiles():
        raise ValidationError({"name": f"{name!r} is the name of a built-in profile; choose another name."})
