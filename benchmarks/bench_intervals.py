"""Benchmark: intervals for all kommuner, fylker and Norway, all years to 2050, 80 and 95 %,
and the needs bounds with usage uncertainty for every region (``needs_interval_arrays``).

Run: python benchmarks/bench_intervals.py [--repeat 5]
Target: intervals in < 2 s cold. A fresh process (imports, data, projection, intervals) is timed
beside a fresh process that only projects, in the same run (the machine is shared and noisy);
the difference is the intervals' own cold cost (the calibration is read from
projections/data/interval_model.json, not refitted). The projection is cached by the dashboard.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

TARGET_SECONDS = 2.0

COLD_PROJECT = "from projections import project; project('MMMM', to_year=2050)"
# first interval call in a fresh process (imports of the module, calibration JSON, arrays),
# timed after the projection: the intervals' own cold cost without the projection's noise
COLD_FIRST = (
    "import time; from projections import project; r = project('MMMM', to_year=2050); "
    "t0 = time.perf_counter(); from projections.intervals import project_intervals; "
    "df = project_intervals('MMMM', level=[80, 95], to_year=2050); "
    "print(time.perf_counter() - t0)"
)
# the needs bounds of every region, both levels, cold (usage spreads from the committed file)
COLD_NEEDS = (
    "import time; from projections import project; r = project('MMMM', to_year=2050); "
    "t0 = time.perf_counter(); from projections.intervals import needs_interval_arrays; "
    "[needs_interval_arrays(r, lv) for lv in (80, 95)]; print(time.perf_counter() - t0)"
)
COLD_INTERVALS = (
    "from projections.intervals import project_intervals; "
    "df = project_intervals('MMMM', level=[80, 95], to_year=2050); assert len(df) == 373 * 8 * 25 * 2"
)


def _cold(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cold_p, cold_i = [], []
    for _ in range(args.repeat):  # interleaved, so load changes hit both alike
        cold_p.append(_cold(COLD_PROJECT))
        cold_i.append(_cold(COLD_INTERVALS))

    first = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", COLD_FIRST], check=True, cwd=ROOT, capture_output=True, text=True
        )
        first.append(float(out.stdout.strip().splitlines()[-1]))

    needs_cold = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", COLD_NEEDS], check=True, cwd=ROOT, capture_output=True, text=True
        )
        needs_cold.append(float(out.stdout.strip().splitlines()[-1]))

    from projections import project
    from projections.intervals import interval_arrays, needs_interval_arrays, project_intervals

    res = project("MMMM", to_year=2050)
    interval_arrays(res, 80)
    warm_arrays, warm_frame, warm_needs = [], [], []
    for _ in range(args.repeat * 4):
        t0 = time.perf_counter()
        for level in (80, 95):
            interval_arrays(res, level)
        warm_arrays.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        df = project_intervals("MMMM", level=[80, 95], to_year=2050)
        warm_frame.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for level in (80, 95):
            needs_interval_arrays(res, level)
        warm_needs.append(time.perf_counter() - t0)

    med = statistics.median
    print(f"rows (373 regions x 8 age groups x 25 years x 2 levels): {len(df)}")
    print(f"cold process, projection only:          {med(cold_p):.2f} s (median of {args.repeat})")
    print(f"cold process, projection + intervals:   {med(cold_i):.2f} s")
    print(
        f"  intervals' own cold cost (difference): {med(cold_i) - med(cold_p):.2f} s (noise-level)"
    )
    print(
        f"cold, first intervals call after the projection (fresh process): "
        f"{med(first):.2f} s (target < {TARGET_SECONDS} s)"
    )
    print(f"warm, interval arrays, both levels:     {med(warm_arrays) * 1000:.1f} ms")
    print(f"warm, tidy frame, both levels:          {med(warm_frame) * 1000:.1f} ms")
    print(f"cold, needs bounds of every region, both levels: {med(needs_cold):.2f} s")
    print(f"warm, needs bounds of every region, both levels: {med(warm_needs) * 1000:.0f} ms")
    ok = med(first) < TARGET_SECONDS and med(warm_frame) < TARGET_SECONDS
    ok = ok and med(needs_cold) < TARGET_SECONDS
    print("target met" if ok else "target NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
