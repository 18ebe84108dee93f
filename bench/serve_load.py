"""Load on loopback against a running Concord (e.g. the production recipe: gunicorn + Redis).

Each simulated user signs in once as one persona, then requests the scorecard page of a
provider it may see, the portfolio and the API's scorecard list in turn, as fast as the
server answers, for ``--seconds``. Prints p50/p95/p99 and errors per route. Half the users
are a partner's lead (atlas.lead), half a client manager.

    concord serve --production --port 8108 &        # with the demo loaded (see README)
    .venv/bin/python bench/serve_load.py --base http://127.0.0.1:8108 --users 50 --seconds 60

The HTTP client is the CI recipe's (``.ci/production_check.py``): same proxy headers, same
cookie handling, so the load passes through the production security settings as deployed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / ".ci"))
from production_check import Browser, sign_in, wait_ready

PERSONAS = ("atlas.lead", "manager")


def _routes(browser: Browser) -> dict[str, str]:
    _, _, body = browser.request("/api/providers/")
    provider = json.loads(body)["results"][0]["id"]
    return {
        "scorecard page": f"/performance/providers/{provider}/",
        "portfolio": "/performance/",
        "API scorecard list": "/api/scorecards/",
        "API site list": "/api/sites/",
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8108")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    wait_ready(Browser(args.base), 60)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    users = []
    for i in range(args.users):
        browser = Browser(args.base)
        sign_in(browser, PERSONAS[i % len(PERSONAS)])
        users.append((browser, _routes(browser)))
    # one request per route first: the cold views are timed apart from the steady load
    for name, path in users[0][1].items():
        started = time.perf_counter()
        status, _, _ = users[0][0].request(path)
        print(f"first view of {name} ({PERSONAS[0]}): {time.perf_counter() - started:.2f} s, HTTP {status}")
    stop = time.monotonic() + args.seconds

    def user(browser: Browser, routes: dict[str, str]) -> None:
        while time.monotonic() < stop:
            for name, path in routes.items():
                started = time.perf_counter()
                try:
                    status, _, _ = browser.request(path)
                    problem = None if status == 200 else f"HTTP {status}"
                except OSError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                with lock:
                    timings[name].append(time.perf_counter() - started)
                    if problem:
                        errors[name].append(problem)

    threads = [threading.Thread(target=user, args=u) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{args.users} users for {args.seconds:.0f} s against {args.base}")
    print(f"{'route':<20} {'requests':>8} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} {'errors':>6}")
    for name, values in timings.items():
        print(
            f"{name:<20} {len(values):>8} {statistics.median(values):>7.3f} {_percentile(values, 95):>7.3f} "
            f"{_percentile(values, 99):>7.3f} {len(errors[name]):>6}"
        )
        for problem in sorted(set(errors[name]))[:3]:
            print(f"    e.g. {problem}")
    print()
    print(_markdown(timings, errors, args))
    return 1 if any(errors.values()) else 0


def _markdown(timings: dict[str, list[float]], errors: dict[str, list[str]], args) -> str:
    """The figures as a Markdown table, ready to quote in a closing note."""
    every = [v for values in timings.values() for v in values]
    lines = [
        f"Load: {args.users} users ({' and '.join(PERSONAS)}) for {args.seconds:.0f} s against {args.base}, "
        f"{len(every)} requests, {sum(map(len, errors.values()))} errors.",
        "",
        "| route | requests | p50 (s) | p95 (s) | p99 (s) | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows = [*timings.items(), ("all routes", every)]
    for name, values in rows:
        failed = sum(map(len, errors.values())) if name == "all routes" else len(errors[name])
        lines.append(
            f"| {name} | {len(values)} | {statistics.median(values):.3f} | {_percentile(values, 95):.3f} "
            f"| {_percentile(values, 99):.3f} | {failed} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
