"""The accuracy and smoothness targets of issue 18, measured on held-out origins.

Held out = not used to choose anything: origins after ``backtest.SELECTION_ORIGINS`` (5 years:
2013-2021, 10 years: 2012-2016). Norway's five-year error is given for every origin
2008-2021, as the issue asks. Smoothness: for every kommune over 10 000 inhabitants at the
base year, the largest year-to-year change of the yearly growth rate divided by the median
change, 2026-2045; the figure is the median over those kommuner (a kink in a path is one
large change).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources import read_table
from projections.api import ModelConfig, project
from projections.backtest import (
    BASELINES,
    SELECTION_ORIGINS,
    SIZE_CLASSES,
    Backtest,
    at_or_below,
)
from projections.inputs import population_data

SMALL = 1_000.0  # "small" kommuner: under 1 000 inhabitants at the origin
SMOOTH_MIN_POP = 10_000.0
SMOOTH_BASE, SMOOTH_LAST = 2026, 2045
NORWAY_ORIGINS = tuple(range(2008, 2022))
TARGETS = {  # issue 18, "Targets, on held-out origins"
    "mape_5": 2.5,
    "mape_10": 3.9,
    "small_bias_5": 1.0,
    "norway_rms_5": 1.2,
    "smoothness": 4.0,
}


def smoothness(totals: np.ndarray, base_population: np.ndarray) -> float:
    """Median over kommuner over 10 000 of max |change of growth| / median |change|.

    ``totals`` (Y, K) yearly totals from the base year; ``base_population`` (K,).
    """
    big = base_population > SMOOTH_MIN_POP
    t = np.asarray(totals, dtype=np.float64)[:, big]
    growth = t[1:] / t[:-1] - 1.0
    change = np.abs(np.diff(growth, axis=0))
    typical = np.median(change, axis=0)
    return float(np.median(change.max(axis=0) / np.maximum(typical, 1e-15)))


def model_smoothness(config: ModelConfig | None = None, scenario: str = "MMMM") -> float:
    res = project(scenario, base_year=SMOOTH_BASE, to_year=SMOOTH_LAST, config=config)
    tot = res.population.sum(axis=(2, 3), dtype=np.float64)
    return smoothness(tot, tot[0])


def ssb_smoothness() -> float:
    """The same figure for SSB's own kommune paths (14288, main alternative)."""
    df = read_table("ssb_projection_kommune")
    df = df[(df["year"] >= SMOOTH_BASE) & (df["year"] <= SMOOTH_LAST)]
    wide = df.pivot_table(index="year", columns="kommune_code", values="persons")
    return smoothness(wide.to_numpy(), wide.to_numpy()[0])


@dataclass(frozen=True)
class TargetFigures:
    mape_5: float  # mean over held-out origins of the kommune-total MAPE, 5 years
    mape_10: float
    mape_5_level_adjusted: float  # the same after removing Norway's error at each origin
    small_bias_5: float  # mean signed 5-year error (%) of kommuner < 1 000, held-out origins
    small_bias_selection_5: float  # the same on the selection origins
    norway_error_5: dict[int, float]  # origin -> Norway's 5-year error (%)
    norway_rms_5: float
    class_lost: tuple[str, ...]  # held-out size classes where a naive baseline beats the model
    smoothness: float
    smoothness_ssb: float
    ssb_2026: tuple[float, float]  # kommune MAPE 2024 -> 2026: ours, SSB 14288 (same start)

    def met(self) -> dict[str, bool]:
        return {
            "mape_5": self.mape_5 <= TARGETS["mape_5"],
            "mape_10": self.mape_10 <= TARGETS["mape_10"],
            "small_bias_5": abs(self.small_bias_5) <= TARGETS["small_bias_5"],
            "norway_rms_5": self.norway_rms_5 <= TARGETS["norway_rms_5"],
            "baselines": not self.class_lost,
            "smoothness": self.smoothness <= TARGETS["smoothness"],
            "ssb": self.ssb_2026[0] < self.ssb_2026[1],
        }


def ssb_comparison(config: ModelConfig | None = None) -> tuple[float, float]:
    """MAPE (%) of kommune totals in 2026 projected from 2024: ours and SSB's 14288 (made
    from the same 1 January 2024 population), against the registered 2026 population."""
    data = population_data()
    obs = data.pop[data.year_index(2026)].sum(axis=(1, 2))
    ours = project("MMMM", base_year=2024, to_year=2026, config=config).population[-1]
    df = read_table("ssb_projection_kommune")
    ssb = df[df["year"] == 2026].set_index("kommune_code")["persons"]
    ssb = ssb.reindex(list(data.kommuner)).to_numpy(dtype=float)
    ok = data.exact[data.year_index(2026)] & data.exact[data.year_index(2024)]

    def mape(x: np.ndarray) -> float:
        return float(np.mean(np.abs(x[ok] / obs[ok] - 1.0)) * 100.0)

    return mape(ours.sum(axis=(1, 2), dtype=np.float64)), mape(ssb)


def small_bias(totals: pd.DataFrame) -> float:
    """Mean signed error (%) of the kommuner under ``SMALL`` inhabitants at the origin, in
    one origin's model totals (``Backtest.per_kommune`` rows)."""
    small = totals[totals["base_population"] < SMALL]
    return float((small["error"] / small["observed"]).mean() * 100.0)


def _held_out(bt: Backtest) -> bool:
    return bt.base_year not in SELECTION_ORIGINS[bt.horizon]


def figures(backtests: list[Backtest], config: ModelConfig | None = None) -> TargetFigures:
    """Every target figure from ``backtest.run_all(config)`` and the base-2026 projection."""
    frames = [bt.per_kommune.assign(held_out=_held_out(bt)) for bt in backtests]
    df = pd.concat(frames, ignore_index=True)
    tot = df[df["measure"] == "total"]
    model = tot[tot["method"] == "model"]
    mape = model.groupby(["horizon", "held_out", "base_year"])["ape"].mean()

    def bias(held: bool) -> float:
        g = model[(model["horizon"] == 5) & (model["held_out"] == held)]
        return float(g.groupby("base_year").apply(small_bias, include_groups=False).mean())

    held5 = model[(model["horizon"] == 5) & model["held_out"]]
    adjusted = []
    for _, g in held5.groupby("base_year"):
        level = g["observed"].sum() / g["projected"].sum()
        adjusted.append(float((np.abs(g["projected"] * level / g["observed"] - 1)).mean() * 100))
    nor = model[model["horizon"] == 5].groupby("base_year")[["error", "observed"]].sum()
    nor_err = {int(b): float(r.error / r.observed * 100.0) for b, r in nor.iterrows()}
    rms = float(np.sqrt(np.mean([nor_err[b] ** 2 for b in NORWAY_ORIGINS if b in nor_err])))
    held = tot[tot["held_out"]]
    by = held.groupby(["horizon", "size_class", "method", "base_year"])["ape"].mean()
    means = by.groupby(level=[0, 1, 2]).mean()
    lost = []
    for h in sorted(held["horizon"].unique()):
        for label, *_ in SIZE_CLASSES:
            best = min(means[(h, label, b)] for b in BASELINES)
            if not at_or_below(means[(h, label, "model")], best):
                lost.append(f"{h}y {label}: {means[(h, label, 'model')]:.2f} vs {best:.2f}")
    return TargetFigures(
        mape_5=float(mape[(5, True)].mean()),
        mape_10=float(mape[(10, True)].mean()),
        mape_5_level_adjusted=float(np.mean(adjusted)),
        small_bias_5=bias(True),
        small_bias_selection_5=bias(False),
        norway_error_5=nor_err,
        norway_rms_5=rms,
        class_lost=tuple(lost),
        smoothness=model_smoothness(config),
        smoothness_ssb=ssb_smoothness(),
        ssb_2026=ssb_comparison(config),
    )


def format_figures(f: TargetFigures) -> str:
    """Markdown table of the issue-18 targets, met or not."""
    ok = f.met()

    def v(key: str) -> str:
        return "**met**" if ok[key] else "**not met**"

    held5 = [b for b in NORWAY_ORIGINS if b not in SELECTION_ORIGINS[5]]
    rows = [
        (
            f"mean 5-year MAPE of kommune totals ≤ 2.5 % (held-out origins {held5[0]}-{held5[-1]})",
            v("mape_5"),
            f"{f.mape_5:.2f} % ({f.mape_5_level_adjusted:.2f} % with Norway's error removed)",
        ),
        (
            "mean 10-year MAPE ≤ 3.9 % (held-out origins 2012-2016)",
            v("mape_10"),
            f"{f.mape_10:.2f} %",
        ),
        (
            "mean signed 5-year error of kommuner < 1 000 within ±1 % (held out)",
            v("small_bias_5"),
            f"{f.small_bias_5:+.2f} % (selection origins: {f.small_bias_selection_5:+.2f} %)",
        ),
        (
            "RMS of Norway's 5-year error, origins 2008-2021 ≤ 1.2 %",
            v("norway_rms_5"),
            f"{f.norway_rms_5:.2f} %",
        ),
        (
            "model ≤ best naive baseline in every size class (held-out means)",
            v("baselines"),
            "all classes" if not f.class_lost else "lost: " + "; ".join(f.class_lost),
        ),
        (
            f"smoothness of yearly paths ≤ 4 (base {SMOOTH_BASE}, {SMOOTH_BASE}-{SMOOTH_LAST})",
            v("smoothness"),
            f"{f.smoothness:.1f} (SSB 14288: {f.smoothness_ssb:.1f})",
        ),
    ]
    rows.append(
        (
            "ahead of SSB's kommune projection from the same start (2024 → 2026, MAPE)",
            v("ssb"),
            f"{f.ssb_2026[0]:.2f} % against SSB 14288 {f.ssb_2026[1]:.2f} %",
        )
    )
    lines = ["| target | result | figure |", "|---|---|---|"]
    lines += [f"| {t} | {r} | {x} |" for t, r, x in rows]
    errs = ", ".join(f"{b}: {e:+.2f}" for b, e in sorted(f.norway_error_5.items()))
    lines += ["", f"Norway's 5-year error by origin (%): {errs}."]
    return "\n".join(lines)
