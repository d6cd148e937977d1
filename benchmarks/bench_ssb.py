"""Benchmark scenario SSB: calibration cost (cold) against a cached call (warm).

    python benchmarks/bench_ssb.py [--repeat 5]

Each round clears every cache, then times, back to back in one process:
(a) project("MMMM") cold (store -> fit -> engine), the reference;
(b) project("SSB") right after (the fit is shared; this is the calibration + one engine run);
(c) project("SSB") again (warm: the cached result);
(d) project("SSB", to_year=2060) (calibration cached, a new engine run only).
Printed as medians and as ratios to (a), so the shared machine's load cancels out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_projection import clear_caches as clear_projection_caches

from projections import api, ssb_scenario


def clear_caches() -> None:
    """bench_projection's cold start, and the SSB calibration too."""
    clear_projection_caches()
    ssb_scenario.calibrate.cache_clear()


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    n = ap.parse_args().repeat
    rows: dict[str, list[float]] = {"a": [], "b": [], "c": [], "d": []}
    for _ in range(n):
        clear_caches()
        rows["a"].append(timed(lambda: api.project("MMMM")))
        rows["b"].append(timed(lambda: api.project("SSB")))
        rows["c"].append(timed(lambda: api.project("SSB")))
        rows["d"].append(timed(lambda: api.project("SSB", to_year=2060)))
    med = {k: statistics.median(v) for k, v in rows.items()}
    labels = {
        "a": "MMMM cold (store, fit, engine)",
        "b": "SSB after MMMM (calibration + engine)",
        "c": "SSB warm (cached result)",
        "d": "SSB to 2060 (cached calibration + engine)",
    }
    print(f"median of {n} rounds")
    for k, label in labels.items():
        print(f"  {label:45s} {med[k] * 1000:9.2f} ms   x{med[k] / med['a']:.4f} of MMMM cold")
    cal = ssb_scenario.calibrate(2026, api.ModelConfig())
    print(f"  calibration: largest miss against 14746 MMMM {cal.max_error_pct:.3f} %")


if __name__ == "__main__":
    main()
