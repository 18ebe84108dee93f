"""Drive a running production Concord over HTTP as a person would (stdlib only).

Signs in as the demo admin, fetches every page reachable from the start page (links and
htmx partials, admin excepted) and the API docs, uploads a file and waits until the
worker has ingested it. Exits non-zero naming every failure. Requests carry
``X-Forwarded-Proto: https`` as the TLS-terminating proxy in front of gunicorn would, so the
production security settings (HTTPS redirect, secure cookies, CSRF referer) apply as deployed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PASSWORD = "concord-demo-2026"  # noqa: S105 - the demo's published password (README)
SKIP = ("/accounts/logout", "/admin/", "/static/", "/api/schema/")
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
PAGE_LIMIT = 600
VARIANTS_PER_PATH = 2  # query-string variants of one path (filters, pages): two show the same view works


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{urllib.parse.urlsplit(self.base).netloc}{path}",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310 - the URL is built from http://127.0.0.1 only
        try:
            response = self.opener.open(req, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response.status, response.headers, response.read()

    def csrf(self, path: str) -> str:
        status, _, body = self.request(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf(path), **fields}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in (files or {}).items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(head.encode() + b"Content-Type: text/csv\r\n\r\n" + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def wait_ready(browser: Browser, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            status, _, body = browser.request("/readyz")
            if status == 200:
                print("ready:", body.decode())
                return
            last = body.decode()
        except OSError as exc:
            last = str(exc)
        time.sleep(1)
    raise SystemExit(f"the server was not ready within {seconds:.0f} s: {last}")


def sign_in(browser: Browser, username: str) -> None:
    status, _headers, _ = browser.post_form("/accounts/login/", {"username": username, "password": PASSWORD})
    if status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"signing in as {username} failed: {status}")


def crawl(browser: Browser) -> tuple[int, list[str]]:
    seen: set[str] = set()
    variants: dict[str, int] = {}
    queue = ["/"]
    failures = []
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.pop(0)
        bare = urllib.parse.urlsplit(path).path
        if path in seen or bare.startswith(SKIP):
            continue
        if "?" in path:
            if variants.get(bare, 0) >= VARIANTS_PER_PATH:
                continue
            variants[bare] = variants.get(bare, 0) + 1
        seen.add(path)
        status, headers, body = browser.request(path)
        if status >= 400:  # the admin sees everything: a link it follows must work
            failures.append(f"{status} {path}")
            continue
        if status in (301, 302) and headers.get("Location", "").startswith("/accounts/login"):
            failures.append(f"signed out by {path}")
            continue
        if "text/html" in headers.get("Content-Type", ""):
            for link in LINK.findall(body.decode("utf-8", "replace")):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
    return len(seen), failures


def upload_and_wait(browser: Browser, seconds: float) -> dict:
    _, _, body = browser.request("/api/providers/")
    provider = json.loads(body)["results"][0]["code"]
    _, _, body = browser.request("/api/programs/")
    program = json.loads(body)["results"][0]["code"]
    stamp = uuid.uuid4().hex[:8]
    rows = [
        f"ci-{stamp},ci-{stamp}-{i},{provider},{program},voice,2026-01-05T10:{i:02d}:00Z,2026-01-05T10:{i:02d}:00Z"
        for i in range(25)
    ]
    content = ("source,external_id,provider,program,channel,created_at,updated_at\n" + "\n".join(rows) + "\n").encode()
    status, headers, body = browser.post_form(
        "/ingest/upload/", {"profile": "canonical-csv"}, {"file": (f"ci-{stamp}.csv", content)}
    )
    location = headers.get("Location", "")
    match = re.search(r"/ingest/runs/(\d+)/", location)
    if status != 302 or not match:
        raise SystemExit(f"the upload was refused: {status} {body[:500]!r}")
    run_id = match.group(1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, _, body = browser.request(f"/api/ingest/runs/{run_id}/")
        run = json.loads(body)
        if run["status"] in ("succeeded", "failed"):
            break
        time.sleep(1)
    else:
        raise SystemExit(f"the worker did not finish ingest run {run_id} within {seconds:.0f} s: {run}")
    if run["status"] != "succeeded" or run["inserted"] != len(rows):
        raise SystemExit(f"ingest run {run_id} did not insert {len(rows)} rows: {run}")
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8199")
    parser.add_argument("--user", default="admin")
    args = parser.parse_args()
    browser = Browser(args.base)
    wait_ready(browser, 120)
    sign_in(browser, args.user)
    started = time.monotonic()
    pages, failures = crawl(browser)
    print(f"fetched {pages} pages in {time.monotonic() - started:.0f} s")
    for path in ("/api/docs/", "/api/schema/"):
        status, _, body = browser.request(path)
        if status != 200 or len(body) < 500:
            failures.append(f"{status} {path}")
    if failures:
        print("failing pages:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    run = upload_and_wait(browser, 120)
    print(f"the worker ingested run {run['id']}: {run['inserted']} rows inserted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
