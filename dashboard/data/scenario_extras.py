"""Compact per-scenario aggregates for the sections that came after ``model.aggregates``:
prediction intervals, the needs' interval bounds and the second usage path.

Each was computed from a full projection on the request path (and kept in caches of full
results): 60-300 ms a render and, with every scenario in play, a worker past 700 MB. Here they
are computed once per scenario for every kommune, fylke and Norway at once (vectorised numpy
over all kommuner) by the public functions of ``projections.intervals``
(``needs_interval_arrays``: population and usage uncertainty) and ``projections.needs``, so a
recalibration of the interval model flows through; tests/integration/test_scenario_extras.py checks Oslo,
Utsira, Bodø, a fylke and Norway against ``intervals.needs_frame_with_intervals``.

About 5 MB per scenario (float64: the bounds travel into CSVs at full precision), computed
beside ``model.aggregates`` in gunicorn's preload so the workers share them copy-on-write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dashboard.data import model, needs_cache
from data_sources import catalogue
from projections import intervals as iv
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


def _pressure_bounds(
    res: object, ia: iv.IntervalArrays, assumptions: Assumptions
) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi), each (Y, R), of the staffing pressure of every region: working ages at the
    opposite bound (``projections.intervals.bound_population_arrays``).

    Three bound-population variants cover all regions: every kommune by its own ratios, every
    kommune by its fylke's ratios (a fylke applies its own to all its kommuner) and every kommune
    by Norway's. Needs are per kommune, so each variant needs one computation per bound.
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
    shape = (len(ia.years), len(regions))
    out = [np.full(shape, np.nan), np.full(shape, np.nan)]
    for name, cols in variants.items():
        for j, pop in enumerate(iv.bound_population_arrays(res, ia, cols, INDICATOR_OPPOSITE)):
            if name == "kommune":  # per kommune: one computation for all of them
                out[j][:, :n_k] = _pressure(_needs_of(res, pop, assumptions, np.arange(n_k)))
            elif name == "fylke":
                for f, m in members.items():
                    out[j][:, pos[f]] = _pressure(_needs_of(res, pop, assumptions, m), f)[:, 0]
            else:
                n = _needs_of(res, pop, assumptions, np.arange(n_k))
                out[j][:, pos["0"]] = _pressure(n, "0")[:, 0]
            del pop
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
    # users and årsverk: population and usage uncertainty, every region at once (projections)
    nia = iv.needs_interval_arrays(res, BOUND_LEVEL, assumptions)
    if list(nia.regions) != list(ia.regions) or tuple(nia.keys) != tuple(default_needs.keys):
        raise ValueError("the needs bounds and the aggregates disagree on regions or measures")
    lower = np.ascontiguousarray(nia.lower[rows])
    upper = np.ascontiguousarray(nia.upper[rows])
    p_lower, p_upper = _pressure_bounds(res, ia, assumptions)
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
    # the population bounds kept in float32: statistical bounds to 7 significant digits (the
    # pages round them to 3); 17 MB less for 14 scenarios in every worker
    intervals = {
        lv: dataclasses.replace(
            a, lower=a.lower.astype(np.float32), upper=a.upper.astype(np.float32)
        )
        for lv, a in intervals.items()
    }
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


def usage_needs(scenario: str, usage: str) -> NeedsResult:
    """Default-assumption needs for a usage path: "today" is the default itself."""
    if usage == needs_cache.default_assumptions().usage_path:
        return model.aggregates(scenario).needs
    if usage == "trend":
        return extras(scenario).trend
    raise ValueError(f"unknown usage path: {str(usage)[:16]!r}")


def warm_all_scenarios(scenarios: Iterable[str] | None = None) -> float:
    """``model.aggregates`` and the extras of every scenario (or of ``scenarios``), one
    projection each (start-up).

    Returns the megabytes held.
    """
    held = 0
    for s in model.scenario_codes() if scenarios is None else scenarios:
        held += model.aggregates(s).nbytes + extras(s).nbytes
    return held / 1e6
