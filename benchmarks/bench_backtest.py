"""Backtest speed: every origin (23 cases), cold and warm, with and without the combination.

Run: python benchmarks/bench_backtest.py   (prints seconds; the machine is shared, so the
figures are side by side in one run and the ratio is the robust number)
"""

from __future__ import annotations

import time

from projections import backtest as bt
from projections.api import ModelConfig
from projections.caches import clear_cache


def timed(config: ModelConfig) -> float:
    start = time.perf_counter()
    bt.accuracy(config)
    return time.perf_counter() - start


def main() -> None:
    bt.population_data()  # store read once, outside the timings
    plain = ModelConfig(combination=False)
    rows = []
    for label, cfg in (("combination (default)", ModelConfig()), ("no combination", plain)):
        clear_cache()
        bt.population_data()
        cold = timed(cfg)
        warm = timed(cfg)
        rows.append((label, cold, warm))
    for label, cold, warm in rows:
        print(f"{label:24s} cold {cold:5.2f} s   warm (cached fits) {warm:5.2f} s")
    print(f"cold ratio combination / plain: {rows[0][1] / rows[1][1]:.2f}")


if __name__ == "__main__":
    main()
