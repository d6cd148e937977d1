"""CPU per request on the load test's request path, in-process (no server, no sockets).

    python benchmarks/profile_requests.py                # ~1 minute after the warm-up
    python benchmarks/profile_requests.py --profile 25   # plus cProfile's top 25 functions

Replays bench_load.py's client loop (open a page, switch kommune, switch scenario; the
recorded browser bodies of benchmarks/fixtures/callback_traffic.json, all scenarios) through
Flask's test client after the production warm-up, and prints milliseconds per request type
(page-content callbacks per page), the mean per request and the share of the total. With
50 closed-loop clients on 2 cores the load test's latency follows from this mean: it is
the figure to cut.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("KOMMUNEFRAM_WARM", "0")

import bench_load  # noqa: E402  (the load test's fixture, substitutions and page mix)


def request_kind(method: str, path: str, body: str | None) -> str:
    if method == "GET":
        return "GET /_dash-layout" if path.startswith("/_dash-layout") else "GET page HTML"
    data = json.loads(body or "{}")
    output = str(data.get("output", ""))
    if "_pages_content" in output:
        path = next(i.get("value") for i in data["inputs"] if i.get("property") == "pathname")
        parts = str(path).strip("/").split("/")
        page = parts[2] if len(parts) > 2 else ("oversikt" if parts[0] == "kommune" else parts[0])
        return f"page content: {page}"
    if "site-header" in output:
        return "shell (header, nav, picker)"
    return output.split("@")[0].strip(".")[:40]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iterations", type=int, default=200, help="client loops measured")
    ap.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    args = ap.parse_args()

    import app
    from dashboard.data import model
    from data_sources import catalogue

    t0 = time.perf_counter()
    app.warm_all()
    print(f"warm-up (gunicorn preload) {time.perf_counter() - t0:.1f} s")
    steps = bench_load.load_steps()
    codes = list(catalogue().kommune_codes)
    every = model.scenario_codes()
    client = app.server.test_client()
    headers = {"Accept-Encoding": "gzip"}
    times: dict[str, list[float]] = defaultdict(list)
    errors = 0

    def request(method: str, path: str, body: str | None = None) -> None:
        nonlocal errors
        t = time.perf_counter()
        if method == "GET":
            r = client.get(path, headers=headers)
        else:
            r = client.post(path, data=body, content_type="application/json", headers=headers)
        times[request_kind(method, path, body)].append((time.perf_counter() - t) * 1000)
        errors += r.status_code >= 400

    def post_step(step: str, k_from: str, k_to: str, subs: dict[str, str]) -> None:
        for text in steps.get(step, []):
            request("POST", "/_dash-update-component", bench_load.fill(text, k_from, k_to, subs))

    rng = random.Random(0)

    def loop(n: int) -> None:  # the load test's client loop, one client, every scenario
        for _ in range(n):
            bench_load.visit(rng, codes, every, request, post_step)

    loop(100)  # warm the per-worker caches, as the load test's warm-up does
    times.clear()
    errors = 0
    prof = cProfile.Profile() if args.profile else None
    cpu0, t0 = time.process_time(), time.perf_counter()
    if prof:
        prof.enable()
    loop(max(1, args.iterations))
    if prof:
        prof.disable()
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    n = sum(len(v) for v in times.values())
    total = sum(sum(v) for v in times.values())
    print(
        f"{args.iterations} client loops, {n} requests, {errors} errors: "
        f"{wall / n * 1000:.2f} ms wall, {cpu / n * 1000:.2f} ms CPU per request"
        + (" (under cProfile)" if prof else "")
    )
    print(f"  {'request':36s} {'count':>6s} {'mean ms':>8s} {'p95 ms':>7s} {'share':>6s}")
    for kind, ms in sorted(times.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"  {kind:36s} {len(ms):6d} {sum(ms) / len(ms):8.2f} {bench_load.pct(ms, 95):7.1f} "
            f"{sum(ms) / total * 100:5.1f}%"
        )
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
