"""Intervals of service needs: users and årsverk at the bounds of the population intervals,
widened by the usage uncertainty of the care services (projections/needs/usage_uncertainty.py).

Needs are linear in the population by age, so the population part of a need's interval is the
need computed on the population with every age group at its bound (``bound_populations``):
0-5, 6-15, 16-66, 67-79, 80-89 and 90+ each scaled by its own interval ratio, all at the same
bound (fully correlated, slightly conservative). The usage part: a kommune's future usage
rate of a care service deviates from today's (or the trend path's) by the spread measured in
the kommune care panel; the two are added in quadrature on the log scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources import catalogue
from projections.intervals_apply import IntervalArrays, interval_arrays
from projections.intervals_backtest import region_codes
from projections.intervals_fit import check_level
from projections.intervals_national import GROUPS, INTERVAL_GROUPS
from projections.needs import Assumptions, NeedsResult, needs_from_population
from projections.needs.usage_uncertainty import usage_half_widths
from projections.result import ProjectionResult

# ages 0..105 -> the age group whose interval ratio scales them (80+ split in 80-89 and 90+)
BOUND_GROUPS = ("0-5", "6-15", "16-66", "67-79", "80-89", "90+")
AGE_GROUP_INDEX = np.zeros(106, dtype=np.intp)
for _g in BOUND_GROUPS:
    _lo, _hi = INTERVAL_GROUPS[_g]
    AGE_GROUP_INDEX[_lo : _hi + 1] = GROUPS.index(_g)


@dataclass(frozen=True)
class BoundPopulation:
    """A population array at one bound, shaped like the projection's (Y, K, 2, 106)."""

    population: np.ndarray
    years: np.ndarray
    kommuner: tuple[str, ...]
    scenario: str
    base_year: int


def bound_population_arrays(
    res: ProjectionResult, ia: IntervalArrays, cols: np.ndarray, opposite: Sequence[str] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Populations at the lower and upper bounds, kommune k scaled by the ratios of interval
    column ``cols[k]`` (its own, its fylke's or Norway's). Age groups in ``opposite`` take the
    other bound (16-66 for staffing pressure, whose denominator is the working age)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_ratio = np.where(ia.median > 0, ia.lower / ia.median, 1.0)  # (G, Y, R)
        hi_ratio = np.where(ia.median > 0, ia.upper / ia.median, 1.0)
    flip = np.array([g in opposite for g in GROUPS])[:, None, None]
    out = []
    for a, b in ((lo_ratio, hi_ratio), (hi_ratio, lo_ratio)):
        r = np.where(flip, b, a)[:, :, cols]  # (G, Y, K)
        factor = r[AGE_GROUP_INDEX]  # (106, Y, K)
        out.append(res.population * np.moveaxis(factor, 0, -1)[:, :, None, :])
    return out[0], out[1]


def _columns(res: ProjectionResult, ia: IntervalArrays, region: str) -> np.ndarray:
    _, levels = region_codes()
    K = len(res.kommuner)
    if region == "0" or levels[ia.index(region)] == "fylke":
        return np.full(K, ia.index(region))
    return np.arange(K)


def bound_populations(
    res: ProjectionResult, region: str, level: int = 80, opposite: Sequence[str] = ()
) -> tuple[BoundPopulation, BoundPopulation]:
    """Populations at the lower and upper bound of every age group (for needs intervals).

    For a fylke or Norway the aggregate's own ratios are applied to all its kommuner (an
    aggregate's interval is narrower than the sum of its kommuner's).
    """
    ia = interval_arrays(res, level)
    lo, hi = bound_population_arrays(res, ia, _columns(res, ia, region), opposite)
    return tuple(
        BoundPopulation(p, res.years, tuple(res.kommuner), res.scenario, int(res.base_year))
        for p in (lo, hi)
    )


def _members(code: str) -> list[str]:
    return [code] if len(code) == 4 else list(catalogue().kommuner_in(code))


def combine_usage(
    value: np.ndarray, lo: np.ndarray, hi: np.ndarray, use_hw: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Add a usage half-width (log) in quadrature to the population bounds of ``value``.

    A population bound of zero (no one in the age group at the lower bound) is an infinite
    log distance: the lower bound stays zero. A missing (NaN) or non-positive upper population
    bound carries no population part (the usage part alone). A value <= 0 (e.g. no recruitment
    need in the central path) keeps its population bounds: a usage factor cannot scale zero;
    so does a zero usage half-width (the base year), exactly.
    """
    value, lo, hi, use_hw = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (value, lo, hi, use_hw))
    )
    pos = value > 0
    has_lo, has_hi = pos & (lo > 0), pos & (hi > 0)  # NaN compares False
    down = np.zeros(value.shape)
    up = np.zeros(value.shape)
    down[has_lo] = np.log(value[has_lo] / lo[has_lo])
    up[has_hi] = np.log(hi[has_hi] / value[has_hi])
    lower = value * np.exp(-np.hypot(down, use_hw))
    lower[pos & (lo <= 0)] = 0.0
    upper = value * np.exp(np.hypot(up, use_hw))
    keep = ~pos | (use_hw == 0)  # no usage part: the population bounds exactly
    return np.where(keep, lo, lower), np.where(keep, hi, upper)


def _rows(frame: pd.DataFrame, sector: str, measure: str, region_pos: np.ndarray) -> np.ndarray:
    """Positions of one measure's rows, ordered by region then year (to align two measures)."""
    idx = np.flatnonzero(
        (frame["sector"].to_numpy() == sector) & (frame["measure"].to_numpy() == measure)
    )
    return idx[np.lexsort((frame["year"].to_numpy()[idx], region_pos[idx]))]


def recruitment_with_usage(
    rek: tuple[np.ndarray, np.ndarray],
    arsverk: tuple[np.ndarray, np.ndarray],
    arsverk_pop: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Recruitment bounds (lower, upper) with the usage part of the årsverk bounds.

    Recruitment = max(0, årsverk(t) - årsverk(base) + leavers(t)) (needs/recruitment.py)
    moves one for one with årsverk(t): the widening of the årsverk bounds by usage (beyond
    their population part) is carried over in årsverk; the lower bound stops at zero.
    """
    lower = np.maximum(rek[0] - (arsverk_pop[0] - arsverk[0]), 0.0)
    return lower, rek[1] + (arsverk[1] - arsverk_pop[1])


def needs_frame_with_intervals(
    res: ProjectionResult,
    regions: Sequence[str],
    level: int = 80,
    indicators: bool = False,
    assumptions: Assumptions | None = None,
    usage: bool = True,
) -> pd.DataFrame:
    """The needs (or indicator) frame of ``regions`` with ``lower`` and ``upper`` columns.

    Users and årsverk at the bounds of the age-group intervals, widened by the usage
    uncertainty of the care services (``usage=False``: population only); ratio measures (per
    1 000 aged 20-66) have no bounds (NaN). Indicators use the working-age group at the
    opposite bound and the population part only.
    """
    level = check_level(level)
    frames = []
    index = {k: i for i, k in enumerate(res.kommuner)}
    for region in regions:
        # "all": every kommune with its own ratios, as for any single kommune
        code = res.kommuner[0] if str(region).lower() == "all" else str(region)
        pops = bound_populations(res, code, level, opposite=("16-66",) if indicators else ())
        if str(region).lower() == "all" or code == "0":
            members = np.arange(len(res.kommuner))
        else:
            members = np.array([index[k] for k in _members(code) if k in index])
        kommuner = tuple(res.kommuner[i] for i in members)
        parts: list[NeedsResult] = []
        for pop in (res.population, pops[0].population, pops[1].population):
            parts.append(
                needs_from_population(
                    pop[:, members], res.years, kommuner, assumptions, scenario=res.scenario
                )
            )
        tables = [n.indicators(region) if indicators else n.frame(region) for n in parts]
        base, lo, hi = tables
        a, b = lo["value"].to_numpy(), hi["value"].to_numpy()
        out = base.copy()
        out["lower"] = np.minimum(a, b)
        out["upper"] = np.maximum(a, b)
        if usage and not indicators:
            k = len(parts[0].kommuner)
            w = np.eye(k) if str(region).lower() == "all" else np.ones((k, 1))
            hw = usage_half_widths(parts[0], int(res.base_year), level, w)
            key = list(zip(out["sector"], out["measure"], strict=True))
            yi = np.searchsorted(parts[0].years, out["year"].to_numpy())
            if str(region).lower() == "all":
                pos = {k: i for i, k in enumerate(parts[0].kommuner)}
                ri = out["kommune"].map(pos).to_numpy()
            else:
                ri = np.zeros(len(out), dtype=np.intp)
            zero = np.zeros((len(parts[0].years), len(parts[0].kommuner)))
            u = np.array(
                [hw.get(k, zero)[y, r] for k, y, r in zip(key, yi, ri, strict=True)], dtype=float
            )
            lo_pop, hi_pop = out["lower"].to_numpy(float), out["upper"].to_numpy(float)
            lo_v, hi_v = combine_usage(out["value"].to_numpy(float), lo_pop, hi_pop, u)
            for sector in out.loc[out["measure"] == "arsverk_rekruttering", "sector"].unique():
                if (sector, "arsverk") not in hw:
                    continue
                r, a = (_rows(out, sector, m, ri) for m in ("arsverk_rekruttering", "arsverk"))
                lo_v[r], hi_v[r] = recruitment_with_usage(
                    (lo_v[r], hi_v[r]), (lo_v[a], hi_v[a]), (lo_pop[a], hi_pop[a])
                )
            out["lower"], out["upper"] = lo_v, hi_v
        if not indicators:
            ratio_rows = out["unit"].str.startswith("per ")
            out.loc[ratio_rows, ["lower", "upper"]] = np.nan
        out["level"] = level
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True, eq=False)
class NeedsIntervalArrays:
    """Needs with interval bounds for every region at once: value, lower, upper (M, Y, R) of
    measure keys[m] = (sector, measure, unit); regions as ``region_codes`` (kommuner, fylker,
    "0"). Ratio measures (per 1 000) have NaN bounds."""

    scenario: str
    level: int
    keys: tuple[tuple[str, str, str], ...]
    years: np.ndarray
    regions: list[str]
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def region_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(..., K) @ (K, R) as one 2-D product (a batched 3-D matmul is ~10 times slower)."""
    flat = np.ascontiguousarray(values).reshape(-1, values.shape[-1]) @ weights
    return flat.reshape(*values.shape[:-1], weights.shape[1])


def membership(res: ProjectionResult) -> np.ndarray:
    """(K, R) 0/1: kommune k belongs to region r (itself, its fylke, Norway)."""
    codes, levels = region_codes()
    K = len(res.kommuner)
    w = np.zeros((K, len(codes)))
    w[np.arange(K), np.arange(K)] = 1.0
    index = {k: i for i, k in enumerate(res.kommuner)}
    for r, (code, lv) in enumerate(zip(codes, levels, strict=True)):
        if lv == "fylke":
            w[[index[k] for k in catalogue().kommuner_in(code) if k in index], r] = 1.0
    w[:, -1] = 1.0
    return w


def needs_interval_arrays(
    res: ProjectionResult,
    level: int = 80,
    assumptions: Assumptions | None = None,
    usage: bool = True,
) -> NeedsIntervalArrays:
    """Vectorised ``needs_frame_with_intervals`` for every kommune, fylke and Norway.

    Population part: three bound-population variants (each kommune by its own interval
    ratios, by its fylke's, by Norway's), one needs computation per variant and bound; usage
    part as in ``needs_frame_with_intervals``.
    """
    level = check_level(level)
    ia = interval_arrays(res, level)
    w = membership(res)
    codes, levels = region_codes()
    K = len(res.kommuner)
    base = needs_from_population(res.population, res.years, res.kommuner, assumptions)
    value = region_sums(base.values, w)  # (M, Y, R)
    fylke_col = np.argmax(w[:, K:-1], axis=1) + K
    variants = {"kommune": np.arange(K), "fylke": fylke_col, "norge": np.full(K, len(codes) - 1)}
    bounds = [np.empty_like(value), np.empty_like(value)]
    for name, cols in variants.items():
        sel = levels == name
        for j, pop in enumerate(bound_population_arrays(res, ia, cols)):
            n = needs_from_population(pop, res.years, res.kommuner, assumptions)
            bounds[j][:, :, sel] = n.values @ w[:, sel]
    lower, upper = np.minimum(*bounds), np.maximum(*bounds)
    if usage:
        hw = usage_half_widths(base, int(res.base_year), level, w)
        lower_pop, upper_pop = lower.copy(), upper.copy()
        for m, (s, meas, _) in enumerate(base.keys):
            if (s, meas) in hw:
                lower[m], upper[m] = combine_usage(value[m], lower[m], upper[m], hw[(s, meas)])
        pos = {(s, meas): m for m, (s, meas, _) in enumerate(base.keys)}
        for (s, meas), r in pos.items():
            if meas == "arsverk_rekruttering" and (s, "arsverk") in hw:
                a = pos[(s, "arsverk")]
                lower[r], upper[r] = recruitment_with_usage(
                    (lower[r], upper[r]), (lower[a], upper[a]), (lower_pop[a], upper_pop[a])
                )
    ratio = np.array([u.startswith("per ") for _, _, u in base.keys])
    lower[ratio] = np.nan
    upper[ratio] = np.nan
    return NeedsIntervalArrays(
        str(res.scenario), level, base.keys, res.years, codes, value, lower, upper
    )
