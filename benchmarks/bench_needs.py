"""Benchmark: needs for all 357 kommuner, all years to 2050, all sectors (target < 0.5 s).

Run: python benchmarks/bench_needs.py [--repeat 20]
The projection itself and the one-off rate estimation from the care panel are timed separately;
the target applies to compute_needs with the rates cached (what the dashboard does per change).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

TARGET_SECONDS = 0.5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scenario", default="MMMM")
    args = parser.parse_args()

    from projections import project
    from projections.needs import Assumptions, compute_needs, estimate_care_rates

    res = project(args.scenario, to_year=2050)
    t0 = time.perf_counter()
    estimate_care_rates(Assumptions().rate_window_years)
    cold = time.perf_counter() - t0

    times = []
    frame_times = []
    for i in range(args.repeat):
        a = Assumptions(home_care_coverage_multiplier=1.0 + i * 1e-6)  # defeat any caching
        t0 = time.perf_counter()
        needs = compute_needs(res, a)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        needs.frame("0")
        needs.indicators("0")
        frame_times.append(time.perf_counter() - t0)
    trend_times = []
    if "usage_path" in {f.name for f in dataclasses.fields(Assumptions)}:
        compute_needs(res, Assumptions(usage_path="trend"))  # the backtest picks the damping once
        for i in range(args.repeat):
            a = Assumptions(usage_path="trend", home_care_coverage_multiplier=1.0 + i * 1e-6)
            t0 = time.perf_counter()
            compute_needs(res, a)
            trend_times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(
        f"kommuner={len(res.kommuner)} years={res.years[0]}-{res.years[-1]} "
        f"measures={needs.values.shape[0]}"
    )
    print(f"rate estimation from panel (once, cached): {cold:.3f} s")
    print(
        f"compute_needs median over {args.repeat}: {med * 1000:.1f} ms (max {max(times) * 1000:.1f} ms)"
    )
    if trend_times:
        print(
            f"compute_needs, usage path 'trend', median: {statistics.median(trend_times) * 1000:.1f} ms"
        )
    print(f"frame('0') + indicators('0') median: {statistics.median(frame_times) * 1000:.1f} ms")
    ok = med < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS} s: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
