"""Metric results computed by one process are served to another through Redis (CACHE_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest
import redis
from django.test import override_settings

from concord.env import cache_settings
from concord.metrics import MetricRequest
from concord.metrics.synthetic import build_lake
from concord.performance import cache as result_cache

URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module", autouse=True)
def redis_server():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must run on 127.0.0.1:6379 under CI (.ci/run starts it)")
        pytest.skip("no Redis on 127.0.0.1:6379 (start one: see .ci/production)")


def _web_process_env(tmp_path) -> dict[str, str]:
    """The environment of another web process of the same deployment: the same Redis (CACHE_URL)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        "DJANGO_SETTINGS_MODULE": "concord.settings",
        "CACHE_URL": URL,
        "CONCORD_VAR_DIR": str(tmp_path / "var"),
    }


def test_a_result_computed_in_one_process_is_a_hit_in_another(tmp_path):
    # given a lake and a result computed here, with CACHE_URL pointing at Redis
    lake = build_lake(tmp_path / "lake", 400, seed=3)
    request = MetricRequest(["aht", "contacts_offered"], start=date(2026, 3, 1), end=date(2026, 4, 1))
    with override_settings(CACHES=cache_settings(URL)):
        here = result_cache.run(request, lake)
    assert here.rows[0].values["contacts_offered"].volume > 0
    # when another process asks for the same request with its engine disabled
    script = textwrap.dedent(f"""
        import django, sys
        django.setup()
        from datetime import date
        from concord import engine
        from concord.lake.store import Lake
        from concord.metrics import MetricRequest
        from concord.performance import cache as result_cache

        def refuse(*args, **kwargs):
            sys.exit("the engine ran: the result was not shared")
        engine.run = refuse
        request = MetricRequest(["aht", "contacts_offered"], start=date(2026, 3, 1), end=date(2026, 4, 1))
        result = result_cache.run(request, Lake({str(lake.uri)!r}))
        print(result.rows[0].values["aht"].value, result.rows[0].values["contacts_offered"].value)
    """)
    env = _web_process_env(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    # then it answers from the cache with the same numbers
    assert done.returncode == 0, done.stderr
    aht, offered = done.stdout.split()
    assert float(aht) == here.rows[0].values["aht"].value
    assert float(offered) == here.rows[0].values["contacts_offered"].value


def test_two_processes_opening_one_cold_view_compute_it_once(tmp_path):
    # given a lake no process has computed anything over, and two web processes sharing Redis whose engine
    # takes a while (as a cold page at millions of rows does) and notes each time it runs
    lake = build_lake(tmp_path / "lake", 400, seed=4)
    ran = tmp_path / "engine-ran.txt"
    script = textwrap.dedent(f"""
        import django, time
        django.setup()
        from datetime import date
        from concord import engine
        from concord.lake.store import Lake
        from concord.metrics import MetricRequest
        from concord.performance import cache as result_cache

        real = engine.run
        def slow(*args, **kwargs):
            with open({str(ran)!r}, "a") as noted:
                noted.write("ran\\n")
            time.sleep(3)
            return real(*args, **kwargs)
        engine.run = slow
        request = MetricRequest(["aht", "contacts_offered"], start=date(2026, 3, 1), end=date(2026, 4, 1))
        result = result_cache.run(request, Lake({str(lake.uri)!r}))
        print(result.rows[0].values["aht"].value, result.rows[0].values["contacts_offered"].value)
    """)
    env = _web_process_env(tmp_path)
    # when both open it at the same moment
    processes = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=180) for p in processes]
    # then the engine ran once, and both answered the same numbers
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    assert ran.read_text().splitlines() == ["ran"]
    assert outputs[0][0] == outputs[1][0] and outputs[0][0].strip()


def test_a_claim_left_by_a_process_that_died_delays_the_view_but_does_not_block_it(tmp_path, monkeypatch):
    # given a lake, and a claim on the view's key left in Redis by a process that died while computing it
    lake = build_lake(tmp_path / "lake", 400, seed=5)
    request = MetricRequest(["contacts_offered"], start=date(2026, 3, 1), end=date(2026, 4, 1))
    monkeypatch.setattr(result_cache, "WAIT_SECONDS", 1)
    with override_settings(CACHES=cache_settings(URL)):
        from django.core.cache import cache

        k = result_cache.key(result_cache.pinned(request, lake), lake)
        cache.add(k + ":computing", 1, 1)
        # when a viewer opens it
        result = result_cache.run(request, lake)
        # then it is computed once the claim has expired, kept, and the claim is gone
        assert result.rows[0].values["contacts_offered"].volume > 0
        assert cache.get(k) is not None
        assert cache.get(k + ":computing") is None
