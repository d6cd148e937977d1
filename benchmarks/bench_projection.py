"""Benchmark the projection: engine loop, store-to-projection (cold) and peak memory.

    python benchmarks/bench_projection.py [--repeat 7]

(a) the deterministic engine loop for 357 kommuner x 2 sexes x 106 ages, base year to 2050
    (target < 10 ms);
(b) the full pipeline from the Parquet store to a projection with every cache cleared
    (target < 1 s cold) and a warm (cached) call;
(c) peak Python heap (tracemalloc) of one cold pipeline run and the process max RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import data_sources.store_read as store_read
from data_sources import catalogue as _catalogue
from projections import api, engine, inputs


def clear_caches() -> None:
    """Forget every cached table, catalogue, fitted model and projection."""
    store_read._read_cached.cache_clear()
    _catalogue.cache_clear()
    inputs.population_data.cache_clear()
    inputs.national_data.cache_clear()
    inputs.national_population.cache_clear()
    api.fit.cache_clear()
    api._project_cached.cache_clear()


def engine_inputs() -> engine.EngineInputs:
    """The MMMM inputs as project() builds them, captured by wrapping engine.run once."""
    captured: dict[str, engine.EngineInputs] = {}
    original = api.run

    def spy(inp: engine.EngineInputs) -> engine.EngineOutput:
        captured["inp"] = inp
        return original(inp)

    api.run = spy
    try:
        api._project_cached.cache_clear()
        api.project("MMMM")
    finally:
        api.run = original
    return captured["inp"]


def timings_ms(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def median_ms(fn, repeat: int) -> float:
    return statistics.median(timings_ms(fn, repeat))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    # the machine is shared: say how busy it was, the timings scale with it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"cores available: {cores}; load average (1/5/15 min) at start: {load}")

    inp = engine_inputs()
    K, S, A = inp.pop0.shape
    steps = inp.S.shape[0]
    engine.run(inp)  # warm up numpy
    runs = timings_ms(lambda: engine.run(replace(inp)), max(60, args.repeat * 10))
    eng = statistics.median(runs)
    print(
        f"(a) engine loop, {K} kommuner x {S} x {A} ages x {steps} years: {eng:.1f} ms "
        f"(median of {len(runs)}; 10th percentile {np.percentile(runs, 10):.1f} ms)"
    )
    # machine calibration: one whole-array add of the same size (the loop's unit of work)
    x, y, o = np.ones((K, S, A)), np.ones((K, S, A)), np.empty((K, S, A))
    unit = median_ms(lambda: [np.add(x, y, out=o) for _ in range(100)], args.repeat) / 100
    print(
        f"    one {K}x{S}x{A} float64 add here: {unit * 1000:.0f} µs, so the loop costs "
        f"{eng / unit:.0f} such adds ({eng / unit / steps:.0f} per year)"
    )

    def cold() -> None:
        clear_caches()
        api.project("MMMM")

    cold_ms = median_ms(cold, args.repeat)
    warm_ms = median_ms(lambda: api.project("MMMM"), args.repeat * 10)
    print(f"(b) store -> projection, cold (all caches cleared): {cold_ms:.0f} ms (median)")
    print(f"    warm (lru_cache hit): {warm_ms * 1000:.0f} µs (median)")

    clear_caches()
    tracemalloc.start()
    res = api.project("MMMM")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    arrays = sum(
        a.nbytes
        for a in (res.population, res.births, res.deaths, res.net_migration)
        if isinstance(a, np.ndarray)
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at the end: {load}")
    print(
        f"(c) peak traced memory of a cold run: {peak / 2**20:.0f} MiB; "
        f"result arrays {arrays / 2**20:.0f} MiB; process max RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
