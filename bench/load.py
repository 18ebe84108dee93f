"""Load: N signed-in users for D seconds over the scorecard, portfolio and API list routes, against a running
Concord on loopback; reports p50/p95/p99 latency and errors per route group.

    .venv/bin/concord demo --no-serve            # once: the demo operation
    .venv/bin/concord manage runserver 127.0.0.1:8102 --noreload &
    .venv/bin/python bench/load.py --base http://127.0.0.1:8102 --users 50 --seconds 60

Half the users are the client's people (admin, manager, analyst), half partner leads (atlas, bravo,
cora), so scoped reads are measured too. An error is a 5xx or a failed connection; a 4xx other than
the expected ones is counted apart. Loopback only: the tool refuses any other host.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

CLIENT_PERSONAS = ("admin", "manager", "analyst")
PARTNER_PERSONAS = ("atlas.lead", "bravo.lead", "cora.lead")
PASSWORD = "concord-demo-2026"
API_LISTS = (
    "/api/providers/",
    "/api/sites/",
    "/api/agents/",
    "/api/programs/",
    "/api/contact-types/",
    "/api/scorecards/",
    "/api/contracts/",
    "/api/ingest/runs/",
)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, group: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[group].append(seconds)
            self.statuses[group][status] += 1


class User:
    """One person's browser: a cookie jar with a session, signed in through the login form."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def login(self) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data, headers={"Referer": self.base})
        with self.opener.open(request, timeout=60) as response:
            if "/accounts/login/" in response.url:
                raise SystemExit(f"{self.username} could not sign in: is the demo loaded?")

    def routes(self) -> list[tuple[str, str]]:
        """(group, path): the scorecard of every provider this user sees, the portfolio, the API lists."""
        _, body = self.get("/api/providers/")
        providers = [p["id"] for p in json.loads(body)["results"]]
        routes = [("portfolio", "/performance/")]
        routes += [("scorecard", f"/performance/providers/{pk}/") for pk in providers]
        routes += [("api list", path) for path in API_LISTS]
        return routes


def _loopback(base: str) -> str:
    host = urllib.parse.urlsplit(base).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"{base}: this load test runs against loopback only")
    return base.rstrip("/")


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _row(values: list[float]) -> str:
    return " ".join(f"{1000 * _percentile(values, q):>8.0f}" for q in (50, 95, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    base = _loopback(args.base)

    personas = [(CLIENT_PERSONAS + PARTNER_PERSONAS)[i % 6] for i in range(args.users)]
    users = [User(base, name) for name in personas]
    print(f"signing in {len(users)} users ...", flush=True)
    for user in users:
        user.login()
    routes = {name: User(base, name) for name in set(personas)}
    for name, probe in routes.items():
        probe.login()
        routes[name] = probe.routes()

    results = Results()
    deadline = time.monotonic() + args.seconds

    def run(n: int, user: User) -> None:
        rng = random.Random(args.seed + n)
        mine = routes[user.username]
        while time.monotonic() < deadline:
            group, path = rng.choice(mine)
            start = time.perf_counter()
            try:
                status, _ = user.get(path)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                with results.lock:
                    results.failures.append(f"{path}: {exc}")
                continue
            results.add(group, time.perf_counter() - start, status)

    print(f"{args.users} users for {args.seconds:.0f} s against {base} ...", flush=True)
    threads = [threading.Thread(target=run, args=(n, u)) for n, u in enumerate(users)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began

    print(f"\n{'route group':<12} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    every = []
    errors = len(results.failures)
    for group in sorted(results.latencies):
        values = results.latencies[group]
        every += values
        statuses = dict(sorted(results.statuses[group].items()))
        errors += sum(n for s, n in statuses.items() if s >= 500)
        print(f"{group:<12} {len(values):>9} {_row(values)}  {statuses}")
    if every:
        print(f"{'all':<12} {len(every):>9} {_row(every)}  {len(every) / elapsed:.1f} requests/s")
    print(f"errors (5xx or failed connections): {errors}")
    for failure in results.failures[:10]:
        print("  ", failure)


if __name__ == "__main__":
    main()
