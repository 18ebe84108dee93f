"""Probes for load balancers and orchestrators: public, no session, no data.

``/healthz`` says the process answers (restart it if not). ``/readyz`` says it can serve:
the database, the cache and the lake answer, and in production the static files are
collected. A failing check is named but not explained (the reason goes to the log), so
the public answer gives nothing away about the infrastructure.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from concord.lake.schemas import TABLES
from concord.lake.store import Lake

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key, value = f"concord:readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


def _lake() -> None:
    lake = Lake(settings.LAKE_URI)
    for name in TABLES:
        lake.version(name)  # reads the Delta log; a table never written yet is fine


def _static() -> None:
    read_manifest = getattr(staticfiles_storage, "read_manifest", None)
    if read_manifest is not None and read_manifest() is None:
        raise RuntimeError("static files are not collected: run concord manage collectstatic")


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache, "lake": _lake, "static": _static}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "alive"})


@never_cache
@require_GET
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            log.exception("readiness check %s failed", name)
            results[name] = "failing"
    ready = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
