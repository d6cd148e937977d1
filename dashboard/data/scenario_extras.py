"""Compact per-scenario aggregates for the sections that came after ``model.aggregates``:
prediction intervals, the needs' interval bounds and the "videreført trend" usage path.

Each was computed from a full projection on the request path (and kept in caches of full
results): 60-300 ms a render and, with every scenario in play, a worker past 700 MB. Here they
are computed once per scenario for every kommune, fylke and Norway at once (vectorised numpy
over all kommuner), from the same public functions of ``projections.intervals`` and
``projections.needs``, so a recalibration of the interval model flows through. The numbers are
bit-identical to the per-region computation (tests/test_scenario_extras.py checks Oslo, Utsira,
Bodø, a fylke and Norway against ``intervals.needs_frame_with_intervals``).

About 5 MB per scenario (float64: the bounds travel into CSVs at full precision), computed
beside ``model.aggregates`` in gunicorn's preload so the workers share them copy-on-write.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dashboard.data import model, needs_cache
from data_sources import catalogue
from projections import intervals as iv
from projections.backtest import AGE_GROUPS as INTERVAL_AGE_GROUPS
from projections.needs import Assumptions, NeedsResult, compute_needs, needs_from_population
from projections.needs.indicators import STAFFED_SECTORS, indicator_arrays

BOUND_LEVEL = 80  # the needs' bands and whiskers are 80 % intervals
# the services and sectors the Tjenester charts show (users; årsverk)
USER_SECTORS = ("barnehage", "grunnskole", "hjemmetjenester", "heldogns_omsorg")
ARSVERK_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg")
CARE_SERVICES = ("hjemmetjenester", "institusjon", "bolig_heldogn")
# what the usage table shows (needs_views.usage_table): users by age group and in all
USAGE_MEASURES = ("brukere_0_66", "brukere_67_79", "brukere_80_89", "brukere_90p", "brukere")
# working-age group at the opposite bound for the indicators (as intervals.needs_frame_with_...)
INDICATOR_OPPOSITE = ("16-66",)

# single age -> position of its interval age group (1..5; 0 is "total")
_AGE_OF_GROUP = np.zeros(106, dtype=np.intp)
for _gi, (_lo, _hi) in enumerate(list(INTERVAL_AGE_GROUPS.values())[1:], start=1):
    _AGE_OF_GROUP[_lo : _hi + 1] = _gi


@dataclass(frozen=True, eq=False)
class ScenarioExtras:
    """intervals: level -> IntervalArrays (all regions). bounds: lower/upper (S, Y, R) of the
    needs series ``series`` (sector, measure), R = ``regions``. pressure: lower/upper (Y, R)
    of the staffing-pressure indicator. trend: the trend usage path's needs, care services only.
    """

    scenario: str
    intervals: dict[int, iv.IntervalArrays]
    regions: tuple[str, ...]
    series: tuple[tuple[str, str], ...]
    lower: np.ndarray
    upper: np.ndarray
    pressure_lower: np.ndarray
    pressure_upper: np.ndarray
    trend: NeedsResult

    def region_index(self, code: str) -> int | None:
        return _region_positions(self.regions).get(code)

    @property
    def nbytes(self) -> int:
        arrays = [self.lower, self.upper, self.pressure_lower, self.pressure_upper]
        arrays += [self.trend.values, *self.trend.population.values()]
        for a in self.intervals.values():
            arrays += [a.lower, a.upper]
        arrays.append(self.intervals[BOUND_LEVEL].median)  # shared by the levels
        return int(sum(x.nbytes for x in arrays))


@lru_cache(maxsize=4)
def _region_positions(regions: tuple[str, ...]) -> dict[str, int]:
    return {c: i for i, c in enumerate(regions)}


def bound_population_pairs(
    res: object, ia: iv.IntervalArrays, cols: np.ndarray, opposite: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Populations at the lower and upper bounds, every kommune scaled by the ratios of the
    interval column ``cols[k]`` (its own, its fylke's or Norway's): the arithmetic of
    ``intervals.bound_populations`` for all kommuner at once."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_ratio = np.where(ia.median > 0, ia.lower / ia.median, 1.0)[1:]  # (5, Y, R)
        hi_ratio = np.where(ia.median > 0, ia.upper / ia.median, 1.0)[1:]
    flip = np.array([g in opposite for g in iv.GROUPS[1:]])[:, None, None]
    out = []
    for a, b in ((lo_ratio, hi_ratio), (hi_ratio, lo_ratio)):
        r = np.where(flip, b, a)[:, :, cols]  # (5, Y, K)
        factor = r[_AGE_OF_GROUP - 1]  # (106, Y, K)
        out.append(res.population * np.moveaxis(factor, 0, -1)[:, :, None, :])
    return out[0], out[1]


def _needs_of(
    res: object, population: np.ndarray, assumptions: Assumptions, members: np.ndarray
) -> NeedsResult:
    """Needs of the kommuner ``members`` (taken as ``needs_frame_with_intervals`` takes them:
    the memory layout of the copy decides the order of the sums, so the last bit too)."""
    return needs_from_population(
        population[:, members],
        res.years,
        tuple(res.kommuner[i] for i in members),
        assumptions,
        scenario=str(res.scenario),
    )


def _pressure(n: NeedsResult, region: str | None = None) -> np.ndarray:
    """(Y, R) staffing pressure from summed arrays (every kommune when ``region`` is None)."""
    if region is None:
        vals, pop = n.values, n.population
    else:
        _, vals, pop = n.region_arrays(region)
    keys = list(n.keys)
    arsverk = {s: vals[keys.index((s, "arsverk", "årsverk"))] for s in STAFFED_SECTORS}
    items = {name: v for name, v, _ in indicator_arrays(pop, arsverk)}
    return np.asarray(items[needs_cache.PRESSURE_INDICATOR], dtype=float)


def _bounds(
    res: object,
    ia: iv.IntervalArrays,
    assumptions: Assumptions,
    rows: list[int],
    indicators: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) of every region: (S, Y, R) needs series, or (Y, R) pressure for ``indicators``.

    Three bound-population variants cover all regions: every kommune by its own ratios, every
    kommune by its fylke's ratios (a fylke applies its own to all its kommuner) and every kommune
    by Norway's. Needs are per kommune, so each variant needs one ``compute_needs`` per bound.
    """
    kommuner = list(res.kommuner)
    n_k = len(kommuner)
    regions = ia.regions
    pos = {c: i for i, c in enumerate(regions)}
    fylker = [c for c in regions[n_k:] if c != "0"]
    index = {k: i for i, k in enumerate(kommuner)}
    members = {
        f: np.array([index[k] for k in catalogue().kommuner_in(f) if k in index]) for f in fylker
    }
    fylke_col = np.empty(n_k, dtype=np.intp)
    for f, m in members.items():
        fylke_col[m] = pos[f]
    variants = {
        "kommune": np.arange(n_k),
        "fylke": fylke_col,
        "norge": np.full(n_k, pos["0"]),
    }
    opposite = INDICATOR_OPPOSITE if indicators else ()
    shape = (
        (len(ia.years), len(regions)) if indicators else (len(rows), len(ia.years), len(regions))
    )
    out = [np.full(shape, np.nan), np.full(shape, np.nan)]
    for name, cols in variants.items():
        for j, pop in enumerate(bound_population_pairs(res, ia, cols, opposite)):
            if name == "kommune":  # per kommune: one computation for all of them
                n = _needs_of(res, pop, assumptions, np.arange(n_k))
                if indicators:
                    out[j][:, :n_k] = _pressure(n)
                else:
                    out[j][:, :, :n_k] = n.values[rows]
            elif name == "fylke":
                for f, m in members.items():
                    n = _needs_of(res, pop, assumptions, m)
                    if indicators:
                        out[j][:, pos[f]] = _pressure(n, f)[:, 0]
                    else:
                        out[j][:, :, pos[f]] = n.region_arrays(f)[1][rows, :, 0]
            else:
                n = _needs_of(res, pop, assumptions, np.arange(n_k))
                if indicators:
                    out[j][:, pos["0"]] = _pressure(n, "0")[:, 0]
                else:
                    out[j][:, :, pos["0"]] = n.region_arrays("0")[1][rows, :, 0]
            del pop, n
    return np.minimum(out[0], out[1]), np.maximum(out[0], out[1])


def summarise_extras(res: object, default_needs: NeedsResult) -> ScenarioExtras:
    """The extras of one projection (pure apart from the cached interval model and rates)."""
    intervals = {lv: iv.interval_arrays(res, lv) for lv in iv.LEVELS}
    ia = intervals[BOUND_LEVEL]
    for lv, other in intervals.items():  # one median for both levels (the same projection)
        if other is not ia and np.array_equal(other.median, ia.median):
            intervals[lv] = dataclasses.replace(other, median=ia.median)
    assumptions = needs_cache.default_assumptions()
    shown = {*((s, "brukere") for s in USER_SECTORS), *((s, "arsverk") for s in ARSVERK_SECTORS)}
    rows = [i for i, (s, m, _) in enumerate(default_needs.keys) if (s, m) in shown]
    series = tuple((default_needs.keys[i][0], default_needs.keys[i][1]) for i in rows)
    lower, upper = _bounds(res, ia, assumptions, rows, indicators=False)
    p_lower, p_upper = _bounds(res, ia, assumptions, rows, indicators=True)
    trend_full = compute_needs(res, Assumptions(usage_path="trend"))
    care = [
        i
        for i, (s, m, _) in enumerate(trend_full.keys)
        if s in CARE_SERVICES and m in USAGE_MEASURES
    ]
    trend = dataclasses.replace(
        trend_full,
        keys=tuple(trend_full.keys[i] for i in care),
        values=np.ascontiguousarray(trend_full.values[care]),
        population={},  # the usage table needs users only
    )
    for a in (lower, upper, p_lower, p_upper, trend.values):
        a.setflags(write=False)
    return ScenarioExtras(
        scenario=str(res.scenario),
        intervals=intervals,
        regions=tuple(ia.regions),
        series=series,
        lower=lower,
        upper=upper,
        pressure_lower=p_lower,
        pressure_upper=p_upper,
        trend=trend,
    )


@lru_cache(maxsize=64)  # keys are only codes in SCENARIOS (checked): bounded by their number
def extras(scenario: str) -> ScenarioExtras:
    """The extras of a scenario, computed once (one full projection, then dropped)."""
    return summarise_extras(model.projection(scenario), model.aggregates(scenario).needs)


def warm_all_extras() -> float:
    """Compute the extras of every scenario (start-up); returns the megabytes held."""
    return sum(extras(s).nbytes for s in model.scenario_codes()) / 1e6


def usage_needs(scenario: str, usage: str) -> NeedsResult:
    """Default-assumption needs for a usage path: "today" is the default itself."""
    if usage == needs_cache.default_assumptions().usage_path:
        return model.aggregates(scenario).needs
    if usage == "trend":
        return extras(scenario).trend
    raise ValueError(f"unknown usage path: {str(usage)[:16]!r}")


def warm_all_scenarios() -> float:
    """``model.aggregates`` and the extras of every scenario, one projection each (start-up).

    Returns the megabytes held.
    """
    held = 0
    for s in model.scenario_codes():
        held += model.aggregates(s).nbytes + extras(s).nbytes
    return held / 1e6
