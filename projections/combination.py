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

YEARS = 20  # the combination acts on the first twenty projection years (then: cohort model)
HOLD = 5  # the 5-year weights hold for the first five years ...
TREND_YEARS = 10  # the linear trend uses the ten years before the base year ...
FIRST_TREND_YEAR = 2005  # ... but not before the first stock in the store
# Size classes by total population at the base year (lower bound inclusive) and weights
# (model, linear trend, constant population) of the first five years' growth, selected by grid
# search (steps of 0.1) on the backtest origins 2008-2012 (5 years) only; later origins are held
# out (docs/backtest.md, "Forecast combination").
CLASS_BOUNDS = (2_000.0, 10_000.0, 50_000.0)
WEIGHTS: tuple[tuple[float, float, float], ...] = (
    (0.3, 0.0, 0.7),
    (0.7, 0.0, 0.3),
    (0.0, 1.0, 0.0),
    (0.0, 1.0, 0.0),
)
ITERATIONS = 3  # engine passes to absorb second-order effects (migrants' deaths and births)


def weights(
    base_population: np.ndarray,
    horizon: int,
    table: tuple[tuple[float, float, float], ...] = WEIGHTS,
    end: int = YEARS,
) -> np.ndarray:
    """(K, 3) weights (model, linear, constant) of the growth ``horizon`` years ahead.

    Years 1-``HOLD`` use the table; then the weights move linearly to the cohort model alone
    at ``end`` years, so yearly growth changes gradually, without a step (issue 18).
    """
    cls = np.searchsorted(CLASS_BOUNDS, base_population, side="right")
    f = float(np.clip((horizon - HOLD) / max(end - HOLD, 1), 0.0, 1.0))
    return ((1 - f) * np.array(table) + f * np.array([1.0, 0.0, 0.0]))[cls]


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


def targets(
    pop: PopulationData,
    base_year: int,
    model_totals: np.ndarray,
    table: tuple[tuple[float, float, float], ...] = WEIGHTS,
    end: int = YEARS,
    shares: np.ndarray | None = None,
) -> np.ndarray:
    """Combined totals (H+1, K) for the years base..base+H from the model's (H+1, K) totals.

    Each year's growth is a weighted mix of the model's growth rate (applied to the combined
    total), the linear trend's yearly change and none (constant population); weights from
    ``weights``. The totals are then scaled every year to the model's national total: the
    trends carry Norway's past immigration level, the model the stated one
    (projections/immigration.py).
    """
    p_b = pop.pop[pop.year_index(base_year)].sum(axis=(1, 2))
    p_0, span, usable = trend_start(pop, base_year)
    slope = (p_b - p_0) / span
    growth = model_totals[1:] / np.maximum(model_totals[:-1], 1e-9) - 1.0
    out = np.empty_like(model_totals)
    out[0] = p_b
    for h in range(1, len(model_totals)):
        w = np.where(usable[:, None], weights(p_b, h, table, end), np.array([1.0, 0.0, 0.0]))
        step = w[:, 0] * growth[h - 1] * out[h - 1] + w[:, 1] * slope
        out[h] = np.maximum(out[h - 1] + step, 0.0)
    # kommuner with a usable trend absorb the difference, the others keep the model's totals
    out = np.where(usable[None, :], out, model_totals)
    if shares is not None:  # the excess taken where immigrants settle
        sh = np.where(usable, shares, 0.0)
        sh = sh / sh.sum()
        excess = out.sum(axis=1) - model_totals.sum(axis=1)
        return np.maximum(out - excess[:, None] * sh[None, :], 0.0)
    rest = np.where(usable[None, :], 0.0, model_totals).sum(axis=1)
    scale = (model_totals.sum(axis=1) - rest) / np.maximum(out.sum(axis=1) - rest, 1e-9)
    return np.where(usable[None, :], out * scale[:, None], out)


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
    table: tuple[tuple[float, float, float], ...] = WEIGHTS,
    end: int = YEARS,
    shares: np.ndarray | None = None,
) -> np.ndarray:
    """Extra net migration per kommune and year (n, K) that moves the model onto the
    combined totals; the cells are ``x[:, :, None, None] * profile`` (see ``cells``).

    ``run_totals(extra_cells)`` runs the engine for n steps with the extra migration (None =
    plain model) and returns the (n+1, K) totals. The combined totals have the model's national
    total (``targets``), and the yearly extra is the gap in growth between target and run,
    refined over ``ITERATIONS`` passes and made to sum to zero over kommuner (the remainder
    spread by ``population_share`` (K,) over the kommuner with a usable trend): it is domestic
    migration, and the national net immigration stays the stated assumption exactly. The
    extra for a year depends only on earlier years, so a shorter run gives the same first years.
    """
    model = run_totals(None)
    target = targets(pop, base_year, model, table, end, shares)
    usable = trend_start(pop, base_year)[2]
    share = np.where(usable, population_share, 0.0)
    share = share / share.sum()
    x = np.zeros((len(model) - 1, len(profile)))
    current = model
    for _ in range(ITERATIONS):
        gap = target - current  # (n+1, K), 0 at the base year
        x = x + np.diff(gap, axis=0)
        x = x - x.sum(axis=1, keepdims=True) * share[None, :]
        current = run_totals(cells(x, profile))
    return x


def cells(per_kommune: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """(n, K) persons per kommune and year -> (n, K, 2, 106) cells by the kommune's profile."""
    return per_kommune[:, :, None, None] * profile[None]
