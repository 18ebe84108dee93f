"""The access matrix: every route, every persona, own and other partner's objects.

Rules (DESIGN.md): another partner's object -> 404; a missing role -> 403;
a refused write changes nothing. A new route without a rule in routes.py fails
``test_every_route_has_an_access_rule``.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from concord.accounts import access
from concord.accounts.models import ApiToken, User
from concord.accounts.roles import Cap
from concord.accounts.services import token_create
from concord.providers.models import ContactType, Program, Provider

from .routes import EXCLUDED_NAMESPACES, ROUTES

PERSONAS = ["anonymous", "client_admin", "client_viewer", "partner_a_lead", "partner_b_lead", "partner_a_agent"]


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def route_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_route_has_an_access_rule():
    names = route_names()
    assert not {n for n in names if "<unnamed" in n}, "every route needs a name so the matrix can reach it"
    assert names - ROUTES.keys() == set(), "add these routes to tests/access/routes.py"
    assert ROUTES.keys() - names == set(), "these rules name routes that no longer exist"


def _owner_providers(obj) -> set[int] | None:
    """Which providers may see ``obj``; None: the client's side only decides (everyone with the role)."""
    if isinstance(obj, Provider):
        return {obj.pk}
    if isinstance(obj, Program):
        return set(obj.providers.values_list("pk", flat=True))
    if isinstance(obj, ContactType):
        return set(obj.program.providers.values_list("pk", flat=True))
    if isinstance(getattr(obj, "program", None), Program) or hasattr(obj, "scorecard"):  # per-program records
        return _owner_providers(obj.scorecard if hasattr(obj, "scorecard") else obj.program)
    if hasattr(obj, "provider_id"):
        return {obj.provider_id}
    if hasattr(obj, "contract"):  # SLAs and outage windows belong to their contract's provider
        return {obj.contract.provider_id}
    if hasattr(obj, "statement"):  # disputes belong to their statement's contract's provider
        return {obj.statement.contract.provider_id}
    return None


def visible(user, obj) -> bool:
    if isinstance(obj, ApiToken):
        return obj.user_id == user.pk
    owners = _owner_providers(obj)
    return user.provider_id is None or owners is None or user.provider_id in owners


CONCORD_APPS = {
    "accounts",
    "providers",
    "ingest",
    "performance",
    "contracts",
    "planning",
    "quality",
    "governance",
    "notifications",
    "knowledge",
}


def database_state() -> dict:
    """Every row of Concord's own tables: a refused action must leave all of it as it was."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in CONCORD_APPS:
            state[model._meta.label] = sorted(
                json.dumps(row, sort_keys=True, default=str) for row in model.objects.values()
            )
    return state


#: partner B's fact in the lake, under the very key the ingest routes' payloads send (source m, id 1), and
#: older than them: no write route, as a partner's or a refused persona, may change it (#9.1: writes scoped
#: like reads). The client's people may move a fact between providers (audited), so their allowed writes may.
_B_FACT = {"source": "m", "external_id": "1", "provider": "PB", "program": "SHARED", "channel": "voice", "csat": 2}


def _seed_lake() -> None:
    import datetime as dt

    import pyarrow as pa

    from concord.lake.schemas import TABLES
    from concord.lake.write import commit_batches

    row = {name: None for name in TABLES["interactions"].schema.names}
    row.update(
        _B_FACT,
        created_at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC),
        created_month="2026-01",
        ingest_run="matrix",
        resolved=False,
        reopened=False,
        transferred=False,
        abandoned=False,
        escalated=False,
    )
    row = {k: v for k, v in row.items() if k in TABLES["interactions"].schema.names}
    batch = pa.RecordBatch.from_pylist([row], schema=TABLES["interactions"].schema)
    commit_batches(_lake(), "interactions", [batch])


def _lake():
    from django.conf import settings

    from concord.lake.store import Lake

    return Lake(settings.LAKE_URI)


def other_providers_facts(user) -> list[dict]:
    """The lake rows of every provider but ``user``'s own, every column (the scorecard's inputs)."""
    own = user.provider.code if user is not None and user.provider_id else None
    table = _lake().read_arrow("interactions")
    return sorted((r for r in table.to_pylist() if r["provider"] != own), key=lambda r: str(r["external_id"]))


def _url(name, spec, world, obj):
    kwargs = dict(spec.kwargs(world)) if spec.kwargs else {}
    if obj is not None:
        kwargs["pk"] = obj.pk
    return reverse(name, kwargs=kwargs or None)


def _expected(spec, user, obj, method, world) -> str:
    """'ok', 'login', 401, 403 or 404: what this persona must get."""
    if user is None:
        if spec.public:
            return "ok"
        return 401 if spec.api else "login"
    caps = access.capabilities(user)
    if spec.read is not None and spec.read not in caps:
        return 403
    if obj is not None and not visible(user, obj):
        return 404
    if spec.extra.get("walker_or_adoption_read") and obj.user_id != user.pk and Cap.VIEW_ADOPTION not in caps:
        return 404  # someone else's walk, for a person who does not see adoption (an agent)
    # a page's edit form refuses on GET too; an API detail route reads on GET
    needs_write = method != "GET" or not spec.api
    if needs_write and spec.write is not None and spec.write not in caps:
        return 403
    if needs_write and spec.extra.get("client_only_write") and user.provider_id is not None:
        return 403
    if needs_write and spec.extra.get("evaluator_only_write") and obj.evaluator_id != user.pk:
        return 403  # only an evaluation's own grader changes it
    if needs_write and spec.extra.get("partner_only_write") and user.provider_id is None:
        return 403
    if needs_write and spec.extra.get("walker_only_write") and obj.user_id != user.pk:
        return 403  # only the person walking a tree answers it
    if method != "GET" and spec.target is not None and not visible(user, spec.target(world)):
        return 404
    return "ok"


def _request(client, method, url, spec, world, obj):
    if method == "GET":
        return client.get(url)
    data = spec.post(world, obj) if spec.post else {}
    if spec.api:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _cases():
    for name, spec in sorted(ROUTES.items()):
        for method in spec.methods:
            yield pytest.param(name, method, id=f"{name}-{method}")


@pytest.fixture
def tokens(world):
    return (
        token_create(actor=world.users["partner_a_lead"], name="a")[0],
        token_create(actor=world.users["partner_b_lead"], name="b")[0],
    )


@pytest.mark.parametrize(("name", "method"), list(_cases()))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, world, tokens, name, method, persona, settings, django_capture_on_commit_callbacks):
    spec = ROUTES[name]
    user: User | None = None if persona == "anonymous" else world.users[persona]
    if method != "GET":  # seeded first, so objects computed from the lake (SLA results) read this version
        _seed_lake()
    if name == "accounts:token-revoke":
        objects = list(tokens)
    else:
        objects = list(spec.obj(world)) if spec.obj else [None]
    if method != "GET":
        if spec.target is not None:  # a target that seeds the lake does it before the snapshot, not mid-request
            spec.target(world)
        facts = other_providers_facts(user)
    for obj in objects:
        if user is not None:
            client.force_login(user)
        url = _url(name, spec, world, obj)
        expected = _expected(spec, user, obj, method, world)
        before = database_state() if method != "GET" else None
        if spec.extra.get("run_tasks"):  # the write happens in a task once the request commits: run it
            settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
            with django_capture_on_commit_callbacks(execute=True):
                response = _request(client, method, url, spec, world, obj)
        else:
            response = _request(client, method, url, spec, world, obj)
        where = f"{persona} {method} {url}"
        client_move = user is not None and user.provider_id is None and expected == "ok"
        if method != "GET" and not client_move:  # allowed or refused, no write changes another's facts
            assert other_providers_facts(user) == facts, f"{where}: another provider's facts in the lake changed"
        if expected == "ok":
            assert response.status_code < 400, f"{where}: expected success, got {response.status_code}"
        elif expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
        else:
            assert response.status_code == expected, f"{where}: expected {expected}, got {response.status_code}"
            if before is not None:
                assert database_state() == before, f"{where}: a refused write changed the database"
        client.logout()


def test_admin_refuses_non_staff(client, world):
    for persona in ("client_viewer", "partner_a_lead"):
        client.force_login(world.users[persona])
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
