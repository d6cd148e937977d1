"""Backtest errors of the projection for the interval model (docs/uncertainty.md).

Why a module of its own: the errors are the data the interval model is fitted on and scored
with; fitting (``intervals_fit``), applying (``intervals_apply``) and scoring
(``intervals_score``) all read them, and the region order (kommuner, fylker, Norway) they
share is defined here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from projections.api import InvalidYearError, project
from projections.inputs import population_data
from projections.intervals_national import GROUPS, group_sums

FIRST_ORIGIN = 2006  # first base year project() accepts
MAX_FIT_HORIZON = 10


def aggregate_regions(x: np.ndarray, fylke_index: np.ndarray, n_fylker: int) -> np.ndarray:
    """(..., K) kommune values -> (..., K + F + 1): kommuner, fylker, Norway."""
    lead = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    onehot = (fylke_index[:, None] == np.arange(n_fylker)[None, :]).astype(np.float64)
    out = np.concatenate([flat, flat @ onehot, flat.sum(axis=1, keepdims=True)], axis=1)
    return out.reshape(*lead, out.shape[-1])


def region_codes() -> tuple[list[str], np.ndarray]:
    """Codes of kommuner, fylker and Norway in the order of ``aggregate_regions``, and their
    levels ("kommune" | "fylke" | "norge")."""
    d = population_data()
    codes = [*d.kommuner, *d.fylker, "0"]
    levels = np.array(["kommune"] * len(d.kommuner) + ["fylke"] * len(d.fylker) + ["norge"])
    return codes, levels


def origin_growth(base_year: int) -> np.ndarray:
    """(R,) log growth of each region's total over the five years before ``base_year`` (fewer
    when the store starts later, scaled to five years): decliners and growers err more."""
    d = population_data()
    io = d.year_index(base_year)
    k = min(5, io)
    now = aggregate_regions(d.pop[io].sum(axis=(1, 2)), d.fylke_index, len(d.fylker))
    if k == 0:
        return np.zeros_like(now)
    before = aggregate_regions(d.pop[io - k].sum(axis=(1, 2)), d.fylke_index, len(d.fylker))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(now / before) * 5.0 / k
    return np.where(np.isfinite(g), g, 0.0)


def backtest_errors(
    origins: Iterable[int], max_horizon: int = MAX_FIT_HORIZON, last_target: int | None = None
) -> pd.DataFrame:
    """Log errors of MMMM projections from each origin, 1..max_horizon years ahead.

    Columns: origin, horizon, level (kommune|fylke|norge), region, age_group, size (total
    population of the region at the origin), growth (``origin_growth``), projected, observed, log_error,
    national_log_error (Norway's). Kommune-years whose origin or target stock is approximate
    are left out (as in the backtest). Only data up to ``last_target`` are scored.
    """
    d = population_data()
    last = int(d.years[-1]) if last_target is None else min(int(last_target), int(d.years[-1]))
    codes, levels = region_codes()
    codes_arr = np.array(codes, dtype=object)
    n_f = len(d.fylker)
    frames = []
    for o in origins:
        to = min(o + max_horizon, last)
        if to <= o:
            continue
        res = project("MMMM", base_year=o, to_year=to)
        proj = aggregate_regions(group_sums(res.population), d.fylke_index, n_f)  # (G, H+1, R)
        io = d.year_index(o)
        size = aggregate_regions(d.pop[io].sum(axis=(1, 2)), d.fylke_index, n_f)
        growth = origin_growth(o)
        for h in range(1, to - o + 1):
            it = d.year_index(o + h)
            obs = aggregate_regions(group_sums(d.pop[it]), d.fylke_index, n_f)  # (G, R)
            ok = np.concatenate([d.exact[it] & d.exact[io], np.ones(n_f + 1, dtype=bool)])
            with np.errstate(divide="ignore", invalid="ignore"):
                e = np.log(proj[:, h] / obs)
            for gi, g in enumerate(GROUPS):
                keep = ok & np.isfinite(e[gi])
                frames.append(
                    pd.DataFrame(
                        {
                            "origin": o,
                            "horizon": h,
                            "level": levels[keep],
                            "region": codes_arr[keep],
                            "age_group": g,
                            "size": size[keep],
                            "growth": growth[keep],
                            "projected": proj[gi, h][keep],
                            "observed": obs[gi][keep],
                            "log_error": e[gi][keep],
                            "national_log_error": e[gi, -1],
                        }
                    )
                )
    if not frames:
        raise InvalidYearError(
            "Ingen backtestfeil å tilpasse intervallene til. / No backtest errors to fit on."
        )
    return pd.concat(frames, ignore_index=True)
