"""Forecast combination: the cohort model's kommune totals blended with naive trends.

Method family: forecast combination (Bates & Granger 1969, "The combination of forecasts"; for
small-area populations e.g. Wilson 2015, Population, Space and Place, who finds averages of
simple extrapolative models hard to beat). Over the first
ten projection years each kommune's total is pulled toward a mix of its constant population and
the linear trend of its total over the ten years before the base year, with weights by size
class and horizon chosen on the early backtest origins only (docs/backtest.md). After ten years
the combined total grows with the cohort model.

The combination never touches the cohort detail directly: the difference is carried as an
extra net migration per kommune and year, spread over sex and age in proportion to survivors
times a migration propensity, so the engine's accounting identity stays exact and every age and
sex cell is a consistent cohort-component result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from projections.inputs import N_AGE, PopulationData

YEARS = 10  # the combination acts on the first ten projection years (the backtested horizon)
TREND_YEARS = 10  # the linear trend uses the ten years before the base year ...
FIRST_TREND_YEAR = 2005  # ... but not before the first stock in the store
# Size classes by total population at the base year (lower bound inclusive) and weights
# (model, linear trend, constant population) at 5 and 10 years ahead, selected by grid search
# (steps of 0.1) on the backtest origins 2008-2012 (5 years) and 2008-2011 (10 years) only;
# later origins are held out (docs/backtest.md, "Forecast combination").
CLASS_BOUNDS = (2_000.0, 10_000.0, 50_000.0)
WEIGHTS: dict[int, tuple[tuple[float, float, float], ...]] = {
    5: ((0.3, 0.0, 0.7), (0.7, 0.0, 0.3), (0.0, 1.0, 0.0), (0.0, 1.0, 0.0)),
    10: ((0.4, 0.0, 0.6), (0.6, 0.0, 0.4), (0.0, 1.0, 0.0), (0.0, 0.9, 0.1)),
}
ITERATIONS = 3  # engine passes to absorb second-order effects (migrants' deaths and births)


def weights(base_population: np.ndarray, horizon: int) -> np.ndarray:
    """(K, 3) weights (model, linear, constant) ``horizon`` years after the base year.

    Years 1-5 use the 5-year weights, 6-10 move linearly to the 10-year weights.
    """
    cls = np.searchsorted(CLASS_BOUNDS, base_population, side="right")
    w5, w10 = np.array(WEIGHTS[5]), np.array(WEIGHTS[10])
    f = float(np.clip((horizon - 5) / 5.0, 0.0, 1.0))
    return ((1 - f) * w5 + f * w10)[cls]


def trend_start(pop: PopulationData, base_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each kommune's total at the trend start, the span in years, and whether both ends are
    exact stocks (data <= base year only).

    A kommune missing in the start year (Vindafjord and Aure in 2005) starts a year later. A
    kommune whose start or base stock is approximate (Ålesund and Haram before 2024, the 2020
    splits before 2020) has no usable trend: it keeps the cohort model's total.
    """
    start = max(base_year - TREND_YEARS, FIRST_TREND_YEAR, int(pop.years[0]))
    i0 = pop.year_index(start)
    p0 = pop.pop[i0].sum(axis=(1, 2))
    span = np.full(len(p0), float(base_year - start))
    missing = ~(pop.pop[i0] > 0).any(axis=(1, 2))
    exact = pop.exact[i0] & pop.exact[pop.year_index(base_year)]
    if missing.any() and start < base_year - 1:
        p0 = np.where(missing, pop.pop[i0 + 1].sum(axis=(1, 2)), p0)
        span = np.where(missing, span - 1.0, span)
        exact = np.where(missing, pop.exact[i0 + 1] & pop.exact[pop.year_index(base_year)], exact)
    return p0, np.maximum(span, 1.0), exact


def targets(pop: PopulationData, base_year: int, model_totals: np.ndarray) -> np.ndarray:
    """Combined totals (H+1, K) for the years base..base+H from the model's (H+1, K) totals."""
    p_b = pop.pop[pop.year_index(base_year)].sum(axis=(1, 2))
    p_0, span, usable = trend_start(pop, base_year)
    slope = (p_b - p_0) / span
    out = np.empty_like(model_totals)
    out[0] = p_b
    for h in range(1, len(model_totals)):
        if h <= YEARS:
            w = np.where(usable[:, None], weights(p_b, h), np.array([1.0, 0.0, 0.0]))
            linear = np.maximum(p_b + slope * h, 0.0)
            out[h] = w[:, 0] * model_totals[h] + w[:, 1] * linear + w[:, 2] * p_b
        else:  # beyond the backtested horizon: grow with the cohort model
            out[h] = out[h - 1] * model_totals[h] / np.maximum(model_totals[h - 1], 1e-9)
    return out


def cell_profile(pop0: np.ndarray, domestic_count: np.ndarray) -> np.ndarray:
    """(K, 2, 106) shares, summing to 1 per kommune: where the extra migration goes.

    Proportional to the kommune's stock in the cell times a national migration propensity by
    sex and age (sum over kommuner of |net domestic migration| / stock), so the extra moves
    follow the age pattern of movers (young adults) and scale with the local population.
    Age 0 is empty (infant moves are in the fertility index).
    """
    stock = np.asarray(pop0, dtype=np.float64)
    moved = np.abs(domestic_count).sum(axis=0)
    propensity = np.divide(
        moved, stock.sum(axis=0), out=np.zeros_like(moved), where=stock.sum(axis=0) > 0
    )
    prof = stock * propensity[None]
    prof[..., 0] = 0.0
    tot = prof.reshape(len(prof), -1).sum(axis=1)
    flat = np.full(prof.shape, 0.0)
    flat[..., 1:N_AGE] = 1.0 / (2 * (N_AGE - 1))
    return np.where(tot[:, None, None] > 0, prof / np.maximum(tot, 1e-12)[:, None, None], flat)


def adjustment(
    pop: PopulationData,
    base_year: int,
    profile: np.ndarray,
    run_totals: Callable[[np.ndarray | None], np.ndarray],
    population_share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Extra net migration per kommune and year (YEARS, K) that moves the model onto the
    combined totals; the cells are ``x[:, :, None, None] * profile`` (see ``cells``).

    ``run_totals(extra_cells)`` runs the engine for ``YEARS`` steps with the extra migration
    (None = plain model) and returns the (YEARS+1, K) totals. The yearly extra per kommune is
    the gap in growth between target and run, refined over ``ITERATIONS`` passes. Returned as
    a domestic part (summing to zero over kommuner every year) and an international part (the
    national sum, spread by ``population_share`` (K,)), so scenarios can scale them like the
    migration they belong to.
    """
    model = run_totals(None)
    target = targets(pop, base_year, model)
    x = np.zeros((YEARS, len(profile)))
    current = model
    for _ in range(ITERATIONS):
        gap = target - current  # (YEARS+1, K), 0 at the base year
        x = x + np.diff(gap, axis=0)
        current = run_totals(cells(x, profile))
    intl = x.sum(axis=1, keepdims=True) * population_share[None, :]
    return x - intl, intl


def cells(per_kommune: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """(n, K) persons per kommune and year -> (n, K, 2, 106) cells by the kommune's profile."""
    return per_kommune[:, :, None, None] * profile[None]
