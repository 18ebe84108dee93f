"""Benchmark: a quarterly strategic review pack for one provider over the demo lake, page and PDF, cold.

Each run is a fresh Python process (empty metric cache, no warm chart renderer): it builds the pack
from live data (every section, charts drawn as SVG), then GETs its page and its PDF through Django's
test client as the client admin. Prints each run's wall and CPU seconds and the min/median/max.
The target (issue 14): at most 5 s for page and PDF together.

    CONCORD_VAR_DIR=/tmp/governance-var .venv/bin/concord demo --no-serve   # once
    CONCORD_VAR_DIR=/tmp/governance-var .venv/bin/python bench/governance_pack.py --provider ATLAS --period 2026-Q3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

ONE_RUN = r"""
import json, os, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
import django
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.test import Client
from concord import periods
from concord.accounts.models import User
from concord.governance.packs.build import pack_for
from concord.providers.models import Provider
t_setup = time.perf_counter()
admin = User.objects.get(username="admin")
start = periods.parse(sys.argv[2], "quarter")
pack = pack_for(user=admin, provider=Provider.objects.get(code=sys.argv[1]), cadence_kind="strategic",
                grain="quarter", period_start=start)
t_built = time.perf_counter()
c = Client()
c.force_login(admin)
page = c.get(f"/governance/packs/{pack.pk}/")
pdf = c.get(f"/governance/packs/{pack.pk}/pdf/")
t_end = time.perf_counter()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"setup": t_setup - t0, "build": t_built - t_setup, "page_pdf": t_end - t_built,
                  "pack": t_end - t_setup, "cpu": time.process_time() - c0 + children.ru_utime + children.ru_stime,
                  "page_status": page.status_code, "pdf_status": pdf.status_code, "pdf_bytes": len(pdf.content),
                  "sections": list(pack.sections), "charts": len(pack.svgs)}))
pack.delete()
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--provider", default="ATLAS")
    ap.add_argument("--period", default="2026-Q3", help="A quarter, e.g. 2026-Q3.")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    runs = []
    for i in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", ONE_RUN, args.provider, args.period], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(r)
        print(
            f"run {i + 1}: pack (build + page + PDF) {r['pack']:.2f} s wall [build {r['build']:.2f}, "
            f"page+PDF {r['page_pdf']:.2f}], Django start {r['setup']:.2f} s, CPU {r['cpu']:.2f} s, "
            f"page {r['page_status']}, PDF {r['pdf_status']} ({r['pdf_bytes']:,} bytes), {r['charts']} charts"
        )
    walls = sorted(r["pack"] for r in runs)
    print(
        f"pack cold, {args.provider} {args.period}: min {walls[0]:.2f} s, median {statistics.median(walls):.2f} s, "
        f"max {walls[-1]:.2f} s (target <= 5 s); sections: {', '.join(runs[0]['sections'])}"
    )


if __name__ == "__main__":
    main()
