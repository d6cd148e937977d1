"""Memory under many distinct user assumption sets (the caches for them must be bounded).

    python benchmarks/bench_load_assumptions.py          # ~1-2 minutes

In one process with the Flask test client: warm every scenario, replay the recorded
"edit assumption" callback of the services page with N distinct assumption sets over random
kommuner and scenarios, and print the RSS before, after N/2 and after N (target: flat after the
LRUs fill, well under 400 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from dashboard.data import needs_cache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KOMMUNEFRAM_WARM", "0")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=600)
    args = ap.parse_args()
    n = max(10, min(args.n, 2000))

    import app
    from dashboard.data import model
    from data_sources import catalogue

    app.warm_all()
    client = app.server.test_client()
    records = json.loads((ROOT / "benchmarks/fixtures/callback_traffic.json").read_text("utf-8"))
    body = next(r["body"] for r in records if r["step"] == "edit_assumption")
    codes = list(catalogue().kommune_codes)
    rng = random.Random(7)
    before = rss_mb()
    marks = []
    t0 = time.perf_counter()
    for i in range(n):
        b = json.loads(json.dumps(body))
        values = b["inputs"][0]
        for item in values:
            item["value"] = rng.choice(range(60, 145, 5))
        b["state"][0]["value"] = {
            "code": rng.choice(codes),
            "scenario": rng.choice(model.scenario_codes()),
            "lang": "nb",
        }
        resp = client.post("/_dash-update-component", json=b)
        assert resp.status_code == 200, resp.status_code
        if i + 1 in (n // 2, n):
            marks.append(rss_mb())
    took = time.perf_counter() - t0
    print(f"{n} distinct assumption sets in {took:.0f} s ({took / n * 1000:.0f} ms each)")
    print(
        f"  RSS before {before:.0f} MB, after {n // 2}: {marks[0]:.0f} MB, after {n}: {marks[1]:.0f} MB"
    )
    print(
        f"  needs cache {needs_cache._needs_user.cache_info().currsize}/{needs_cache.USER_NEEDS_CACHE}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
