"""Backtest: fit on data up to a base year, project, compare with the observed population.

Only data <= base year enter the fit (see ``api.fit``), so the comparison is out of sample.
Kommune-years whose base or target stock is approximate (split kommuner before the split) are
excluded from scoring and counted in ``n_excluded``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from projections.api import InvalidYearError, ModelConfig, project
from projections.inputs import population_data

AGE_GROUPS: dict[str, tuple[int, int]] = {
    "total": (0, 105),
    "0-5": (0, 5),
    "6-15": (6, 15),
    "16-66": (16, 66),
    "67-79": (67, 79),
    "80+": (80, 105),
}
BASELINES = ("constant", "linear", "geometric")
FIRST_COMPLETE_YEAR = 2006  # 2005 lacks Vindafjord and Aure
REPORT_CASES = ((2010, 5), (2015, 5), (2019, 5), (2010, 10), (2015, 10))
# new estimation choices are selected on these cases only; the others are held-out checks
SELECTION_CASES = ((2010, 5), (2015, 5), (2010, 10))
HELD_OUT_CASES = ((2019, 5), (2015, 10))
RESULTS_CSV = Path(__file__).resolve().parent / "data" / "backtest_results.csv"


@dataclass(frozen=True)
class Backtest:
    base_year: int
    horizon: int
    per_kommune: pd.DataFrame  # kommune, measure, method, observed, projected, error, ape
    n_excluded: int
    trend_start: int

    def summary(self) -> pd.DataFrame:
        return summarise(self.per_kommune, self.base_year, self.horizon, self.n_excluded)


def _group_sums(pop: np.ndarray) -> dict[str, np.ndarray]:
    """(K, 2, 106) -> measure -> (K,) totals per age group."""
    by_age = pop.sum(axis=-2, dtype=np.float64)  # projection cells are float32
    return {m: by_age[:, lo : hi + 1].sum(axis=-1) for m, (lo, hi) in AGE_GROUPS.items()}


def run_backtest(
    base_year: int,
    horizon: int,
    config: ModelConfig | None = None,
    scenario: str = "MMMM",
) -> Backtest:
    """Project from ``base_year`` for ``horizon`` years and score against the observed stock."""
    data = population_data()
    target = base_year + horizon
    if target > int(data.years[-1]):
        raise InvalidYearError(
            f"Basisår {base_year} + horisont {horizon} = {target} er etter siste observerte år "
            f"{int(data.years[-1])}. / Target year beyond the data."
        )
    res = project(scenario, base_year=base_year, to_year=target, config=config)
    it, ib = data.year_index(target), data.year_index(base_year)
    trend_start = max(base_year - horizon, FIRST_COMPLETE_YEAR)
    i0 = data.year_index(trend_start)
    ok = data.exact[it] & data.exact[ib] & data.exact[i0]
    obs = _group_sums(data.pop[it])
    proj = _group_sums(res.population[-1])
    frames = []
    codes = np.array(data.kommuner, dtype=object)
    for m in AGE_GROUPS:
        frames.append(
            pd.DataFrame(
                {
                    "kommune": codes,
                    "measure": m,
                    "method": "model",
                    "observed": obs[m],
                    "projected": proj[m],
                }
            )
        )
    # naive baselines on totals, from the previous `horizon` years (not before 2006)
    p_b = data.pop[ib].sum(axis=(1, 2))
    p_0 = data.pop[i0].sum(axis=(1, 2))
    span = base_year - trend_start
    slope = (p_b - p_0) / span
    growth = np.where(p_0 > 0, p_b / np.maximum(p_0, 1e-9), 1.0) ** (1.0 / span)
    base_proj = {
        "constant": p_b,
        "linear": np.maximum(p_b + slope * horizon, 0.0),
        "geometric": p_b * growth**horizon,
    }
    for name, values in base_proj.items():
        frames.append(
            pd.DataFrame(
                {
                    "kommune": codes,
                    "measure": "total",
                    "method": name,
                    "observed": obs["total"],
                    "projected": values,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    keep = np.tile(ok, len(frames))
    df = df[keep].reset_index(drop=True)
    df["error"] = df["projected"] - df["observed"]
    df["ape"] = np.abs(df["error"]) / df["observed"].where(df["observed"] > 0) * 100.0
    df.insert(0, "horizon", horizon)
    df.insert(0, "base_year", base_year)
    return Backtest(base_year, horizon, df, int((~ok).sum()), trend_start)


def summarise(
    per_kommune: pd.DataFrame, base_year: int, horizon: int, n_excluded: int
) -> pd.DataFrame:
    """MAPE, MedAPE, population-weighted APE and share within 5 % per method and measure."""
    rows = []
    for (method, measure), g in per_kommune.groupby(["method", "measure"], sort=False):
        ape = g["ape"].dropna()
        # the same errors after removing Norway's level error (local skill only)
        level = g["observed"].sum() / g["projected"].sum()
        adj = (g["projected"] * level - g["observed"]).abs() / g["observed"] * 100.0
        rows.append(
            {
                "base_year": base_year,
                "horizon": horizon,
                "method": method,
                "measure": measure,
                "n_kommuner": len(g),
                "n_excluded": n_excluded,
                "mape": ape.mean(),
                "medape": ape.median(),
                "wape": g["error"].abs().sum() / g["observed"].sum() * 100.0,
                "within_5pct": (ape <= 5.0).mean() * 100.0,
                "norway_error_pct": g["error"].sum() / g["observed"].sum() * 100.0,
                "mape_level_adjusted": adj.mean(),
                "within_5pct_level_adjusted": (adj <= 5.0).mean() * 100.0,
            }
        )
    return pd.DataFrame(rows)


def report(
    cases: tuple[tuple[int, int], ...] = REPORT_CASES, config: ModelConfig | None = None
) -> pd.DataFrame:
    """Summaries for every (base year, horizon) case, model and baselines side by side."""
    return pd.concat([run_backtest(b, h, config).summary() for b, h in cases], ignore_index=True)


def format_table(summary: pd.DataFrame, measure: str = "total") -> str:
    """Markdown table of totals: model vs the naive baselines, one row per case."""
    s = summary[summary["measure"] == measure]
    lines = [
        "| base | horizon | method | MAPE % | MedAPE % | weighted APE % | within 5 % | Norway error % "
        "| MAPE % / within 5 %, Norway level removed | kommuner (excluded) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in s.itertuples():
        lines.append(
            f"| {r.base_year} | {r.horizon} | {r.method} | {r.mape:.2f} | {r.medape:.2f} | "
            f"{r.wape:.2f} | {r.within_5pct:.1f} | {r.norway_error_pct:+.2f} | "
            f"{r.mape_level_adjusted:.2f} / {r.within_5pct_level_adjusted:.1f} | "
            f"{r.n_kommuner} ({r.n_excluded}) |"
        )
    return "\n".join(lines)


def format_age_table(summary: pd.DataFrame) -> str:
    """Markdown table of the model's MAPE by age group per case."""
    m = summary[summary["method"] == "model"]
    groups = list(AGE_GROUPS)
    lines = [
        "| base | horizon | " + " | ".join(f"MAPE {g}" for g in groups) + " |",
        "|---|---|" + "---|" * len(groups),
    ]
    for (b, h), g in m.groupby(["base_year", "horizon"], sort=False):
        vals = g.set_index("measure")["mape"]
        lines.append(f"| {b} | {h} | " + " | ".join(f"{vals[x]:.2f}" for x in groups) + " |")
    return "\n".join(lines)


def format_measure_table(summary: pd.DataFrame) -> str:
    """Markdown table of the model's scores for totals and every age group."""
    m = summary[summary["method"] == "model"]
    lines = [
        "| base | horizon | measure | MAPE % | MedAPE % | weighted APE % | within 5 % |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in m.itertuples():
        lines.append(
            f"| {r.base_year} | {r.horizon} | {r.measure} | {r.mape:.2f} | {r.medape:.2f} | "
            f"{r.wape:.2f} | {r.within_5pct:.1f} |"
        )
    return "\n".join(lines)
