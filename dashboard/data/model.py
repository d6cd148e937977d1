"""Cached access to observed data, projections and needs for the pages.

The dashboard's one door to the engine: it calls the typed public APIs ``projections.project``
and ``projections.needs.compute_needs`` and nothing else. Pages stay presentational, and
switching kommune or scenario must feel instant for every scenario the picker offers.

Cache design (see docs/deploy.md for the figures):

* Per scenario, one compact ``ScenarioAggregates`` for all kommuner (age-group totals,
  components, single-age population in the pyramid's default years, the default-assumption
  needs): about 5 MB each, computed once per worker (or before the fork with gunicorn
  ``preload_app``) and kept for every scenario in ``SCENARIOS``. So a scenario switch never
  re-runs a projection, however many scenarios are in play.
* Beside them, ``dashboard.data.scenario_extras`` keeps per scenario what the later sections need
  (prediction intervals of every region, the needs' 80 % bounds, the trend usage path): about
  4.5 MB each, computed in the same preload.
* Full single-age projections (``ProjectionResult``, ~15 MB each) are only used for what needs
  them: pyramid years other than the defaults, CSV downloads, needs under user assumptions.
  They come from ``project()``, whose own LRU keeps two; the dashboard holds none itself.
* Needs under user-edited assumptions: an LRU of ``USER_NEEDS_CACHE`` results (~2 MB each).
* Per region: small frames in LRUs of bounded size.

There is no ``gc.collect()`` on the request path: a collection of the big heap costs 25-45 ms.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.history import group_sums, history_array, history_groups, history_region
from dashboard.data.regions import region_members
from projections import (
    MORTALITY_ALTERNATIVES,
    SCENARIOS,
    ModelConfig,
    ProjectionResult,
    clear_cache,
    fit,
    project,
)
from projections.age_groups import BACKTEST_KEYS
from projections.api import available_base_years
from projections.needs import Assumptions, NeedsResult, compute_needs

log = logging.getLogger("kommunefram")

KEY_YEARS: tuple[int, ...] = (2030, 2040, 2050)
DEFAULT_SCENARIO = "MMMM"
# Low and high national growth: the spread SSB draws as its uncertainty band.
BAND_SCENARIOS: tuple[str, ...] = ("LLML", "HHMH")
SSB_SOURCE = "SSB"
# Region frames per cache (each a few kB; 13 scenarios x a few hundred regions in use).
REGION_CACHE = 1024
# Frames rebuilt from cached arrays (``series``, ``pressure_series``: 6-8 kB each, ~0.3 ms a
# miss) need fewer entries than the arrays themselves (1-4 kB each).
FRAME_CACHE = 256


class UnknownScenarioError(ValueError):
    """A scenario the dashboard does not offer (pages normalise the URL value first)."""


# -- scenarios -------------------------------------------------------------------------------
def projections_available() -> bool:
    """Always True: ``projections`` is a dependency (kept for callers in the pages)."""
    return True


def needs_available() -> bool:
    """Always True: ``projections.needs`` is a dependency (kept for callers in the pages)."""
    return True


@lru_cache(maxsize=1)
def scenario_codes() -> tuple[str, ...]:
    """Scenario codes in the order ``projections.SCENARIOS`` lists them (main first), then
    the old-age mortality alternatives (``MMMM-P``), so care planners see that range too."""
    codes = [str(c) for c in SCENARIOS]
    if DEFAULT_SCENARIO in codes:
        codes.remove(DEFAULT_SCENARIO)
        codes.insert(0, DEFAULT_SCENARIO)
    codes += [str(c) for c in MORTALITY_ALTERNATIVES if c not in codes]
    return tuple(codes)


def scenario_info(code: str) -> str | None:
    """The projection package's description of a scenario (or None)."""
    return SCENARIOS.get(code) or MORTALITY_ALTERNATIVES.get(code)


def normalise_scenario(value: Any) -> tuple[str, bool]:
    """Return (scenario, was_valid); unknown values fall back to the main alternative."""
    if value is None or value == "":
        return DEFAULT_SCENARIO, True
    if not isinstance(value, str) or len(value) > 16:
        return DEFAULT_SCENARIO, False
    v = value.strip().upper()
    if v in scenario_codes():
        return v, True
    return DEFAULT_SCENARIO, False


def check_scenario(scenario: str) -> str:
    if scenario not in scenario_codes():
        raise UnknownScenarioError(f"Ukjent scenario {str(scenario)[:16]!r} (unknown scenario)")
    return scenario


def projection(scenario: str) -> ProjectionResult:
    """The full projection for all kommuner (from ``project()``'s own cache or computed).

    Only for what needs single-age detail for every year; everything else uses
    ``aggregates()``. The dashboard keeps no reference to it.
    """
    return project(check_scenario(scenario))


def release_memory() -> None:
    """Hand freed heap back to the OS after start-up (glibc keeps it otherwise).

    Not for the request path: it is called once after warm-up.
    """
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# -- compact per-scenario aggregates ---------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ScenarioAggregates:
    """What the pages need of one scenario, for all kommuner, without single-age detail.

    groups: age group -> (Y, K) totals. flows: population, births, deaths, net_migration ->
    (Y, K), flows NaN in the last year (a stock but no flows). key_population: year ->
    (K, 2, 106) single-age population in the pyramid's default years. needs: the default-
    assumption needs result.
    """

    scenario: str
    years: np.ndarray
    groups: dict[str, np.ndarray]
    flows: dict[str, np.ndarray]
    key_population: dict[int, np.ndarray]
    needs: NeedsResult

    @property
    def base_year(self) -> int:
        return int(self.years[0])

    @property
    def nbytes(self) -> int:
        arrays = [*self.groups.values(), *self.flows.values(), *self.key_population.values()]
        arrays += [self.needs.values, *self.needs.population.values()]
        return int(sum(a.nbytes for a in arrays))


def summarise(res: ProjectionResult, needs_result: NeedsResult) -> ScenarioAggregates:
    """Compact aggregates of a projection (pure: arrays in, arrays out).

    Deaths come from the accounting identity (deaths = P[t] + births + net migration -
    P[t+1], infant deaths included), so the full deaths-by-age array is never built.
    """
    f8 = np.float64
    pop = res.population
    groups = group_sums(pop)
    total = groups["total"]
    births = res.births.sum(axis=2, dtype=f8)
    nm = res.net_migration.sum(axis=(2, 3), dtype=f8)
    deaths = total[:-1] + births + nm - total[1:]
    nan_row = np.full((1, total.shape[1]), np.nan)
    flows = {
        "population": total,
        "births": np.vstack([births, nan_row]),
        "deaths": np.vstack([deaths, nan_row]),
        "net_migration": np.vstack([nm, nan_row]),
    }
    years = np.asarray(res.years, dtype=int)
    key_population = {
        int(y): np.array(pop[i]) for i, y in enumerate(years) if int(y) in (*KEY_YEARS, years[0])
    }
    for arr in (*groups.values(), *flows.values(), *key_population.values()):
        arr.setflags(write=False)
    return ScenarioAggregates(res.scenario, years, groups, flows, key_population, needs_result)


@lru_cache(maxsize=64)  # keys are only codes in SCENARIOS (checked): bounded by their number
def aggregates(scenario: str) -> ScenarioAggregates:
    """The compact aggregates of a scenario, computed once (projection + default needs)."""
    res = projection(scenario)
    return summarise(res, compute_needs(res, Assumptions()))


def warm_all_scenarios() -> float:
    """Compute the aggregates of every scenario (start-up; gunicorn preload shares them).

    Returns the megabytes held.
    """
    return sum(aggregates(s).nbytes for s in scenario_codes()) / 1e6


def drop_full_projections() -> None:
    """After warm-up: forget the full projections computed for the aggregates.

    ``project()`` keeps up to six (15-23 MB each) in its own LRU; with gunicorn's preload
    they would sit in every worker's RSS although the pages use the aggregates. This clears
    the projection API's caches (``projections.clear_cache``) and refits once, so the fitted
    rates stay warm and shared; full results are then computed on demand (30-50 ms) and none
    is kept in the shared pages (15 MB each).
    """
    clear_cache()
    fit(available_base_years()[-1], ModelConfig())  # the key project() asks fit() with


def projection_groups(scenario: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(years, group -> array[Y, K]) age-group totals of a scenario, for all kommuner."""
    agg = aggregates(scenario)
    return agg.years, agg.groups


def projection_years(scenario: str) -> np.ndarray:
    """The projection's years (base year first), without running a projection twice."""
    return aggregates(scenario).years


@lru_cache(maxsize=256)
def projection_region(scenario: str, code: str) -> tuple[np.ndarray, np.ndarray]:
    """(years, array[Y, 2, 106]) of a region's projected population (needs the full result)."""
    res = projection(scenario)
    return np.asarray(res.years, dtype=int), np.asarray(res.region(code), dtype=float)


def base_year(scenario: str = DEFAULT_SCENARIO) -> int:
    """The projection's base year: the last observed year. Never runs a projection."""
    _ = scenario  # every scenario starts from the same registered population
    return int(history_array()[0][-1])


@lru_cache(maxsize=REGION_CACHE)
def _history_sums(code: str) -> dict[str, np.ndarray]:
    idx = region_members(code)
    return {g: arr[:, idx].sum(axis=1) for g, arr in history_groups().items()}


@lru_cache(maxsize=REGION_CACHE)
def series_arrays(scenario: str, code: str) -> dict[str, np.ndarray]:
    """History joined to the projection as read-only arrays: year, then the age groups.

    The Oversikt render reads these directly: with 13 scenarios and 373 regions most renders
    miss the caches, and building a frame costs more than the sums (~4.5 kB per entry).
    """
    hist_years = history_array()[0]
    hist = _history_sums(code)
    agg = aggregates(scenario)
    idx = region_members(code)
    keep = agg.years > hist_years[-1]
    data = {"year": np.concatenate([hist_years, agg.years[keep]])}
    for g, arr in agg.groups.items():
        data[g] = np.concatenate([hist[g], arr[:, idx].sum(axis=1)[keep]])
    for values in data.values():
        values.flags.writeable = False  # shared by every caller through the cache
    return data


@lru_cache(maxsize=FRAME_CACHE)
def series(scenario: str, code: str) -> pd.DataFrame:
    """History joined to the projection: year, age groups, kind (observed/projected)."""
    data: dict[str, Any] = dict(series_arrays(scenario, code))
    observed = data["year"] <= history_array()[0][-1]
    data["kind"] = np.where(observed, "observed", "projected").astype(object)
    return pd.DataFrame(data)


@lru_cache(maxsize=REGION_CACHE)
def components(scenario: str, code: str) -> pd.DataFrame:
    """Births, deaths and net migration per year for a region (sums of kommune flows)."""
    agg = aggregates(scenario)
    idx = region_members(code)
    data = {"year": agg.years}
    for name in ("population", "births", "deaths", "net_migration"):
        data[name] = np.round(agg.flows[name][:, idx].sum(axis=1), 2)
    # The last year has a stock but no flows (NaN): drop it rather than show zeros.
    return pd.DataFrame(data).dropna().reset_index(drop=True)


def population_in(scenario: str, code: str, year: int) -> np.ndarray:
    """(2, 106) float64 population of a region in ``year`` (observed or projected).

    The pyramid's default years come from the aggregates; other years need the region's
    single-age projection (``projection_region``, a bounded cache).
    """
    hist_years, _ = history_array()
    if year in hist_years:
        return history_region(code)[list(hist_years).index(year)]
    agg = aggregates(scenario)
    if year in agg.key_population:
        return agg.key_population[year][region_members(code)].sum(axis=0, dtype=np.float64)
    years, proj = projection_region(scenario, code)
    if year not in years:
        raise ValueError(f"Året {int(year)} er utenfor framskrivingen (year out of range)")
    return proj[list(years).index(year)]


def pyramid(scenario: str, code: str, year: int) -> pd.DataFrame:
    """Population by sex and single-year age in ``year`` (observed or projected)."""
    arr = population_in(scenario, code, year)
    return pd.DataFrame({"age": np.arange(106), "male": arr[0], "female": arr[1]})


# -- key figures -----------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyFigure:
    key: str
    base: float
    values: dict[int, float]  # year -> value
    kind: str = "count"  # count | ratio


def care_ratio(working: Any, older: Any) -> Any:
    """Persons 20-66 per person 80+ (from summed counts, never averaged); NaN with no one 80+.

    Arrays or Series (a Series keeps its index): the key cards read arrays, the map a frame.
    """
    return working / np.where(older == 0, np.nan, older)


@lru_cache(maxsize=REGION_CACHE)
def key_figures(scenario: str, code: str) -> tuple[KeyFigure, ...]:
    """Key figures in the base year and KEY_YEARS.

    Read from the series' columns as arrays: with 13 scenarios and 373 regions most Oversikt
    renders miss this cache.
    """
    df = series_arrays(scenario, code)
    row = {int(y): i for i, y in enumerate(df["year"].tolist())}
    by = row[base_year(scenario)]
    years = [y for y in KEY_YEARS if y in row]
    cols = {g: df[g] for g in BACKTEST_KEYS}
    out = [
        KeyFigure(g, float(col[by]), {y: float(col[row[y]]) for y in years})
        for g, col in cols.items()
    ]
    ratio = care_ratio(df["20_66"], cols["80p"])
    out.append(
        KeyFigure("care_ratio", float(ratio[by]), {y: float(ratio[row[y]]) for y in years}, "ratio")
    )
    return tuple(out)
