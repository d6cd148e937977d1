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

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from data_sources import TableNotFoundError, UnknownRegionError, catalogue, read_table, table_meta
from projections import SCENARIOS, ModelConfig, ProjectionResult, clear_cache, fit, project
from projections.api import available_base_years
from projections.needs import Assumptions, NeedsAssumptionError, NeedsResult, compute_needs
from projections.needs.indicators import STAFFED_SECTORS, indicator_arrays

log = logging.getLogger("kommunefram")

# Age groups shown everywhere (inclusive bounds; None = open-ended).
AGE_GROUPS: dict[str, tuple[int, int]] = {
    "total": (0, 105),
    "0_5": (0, 5),
    "6_15": (6, 15),
    "16_66": (16, 66),
    "67_79": (67, 79),
    "80p": (80, 105),
    "20_66": (20, 66),
}
KEY_YEARS: tuple[int, ...] = (2030, 2040, 2050)
DEFAULT_SCENARIO = "MMMM"
# Low and high national growth: the spread SSB draws as its uncertainty band.
BAND_SCENARIOS: tuple[str, ...] = ("LLML", "HHMH")
SSB_SOURCE = "SSB"
# Indicator names of projections.needs (projections/needs/indicators.py).
PRESSURE_INDICATOR = "bemanningspress_pleie_og_omsorg"
CARE_RATIO_INDICATOR = "forsorgerbrok_20_66_per_80p"
# Needs results kept for user-edited assumption sets (each ~2 MB for all kommuner).
USER_NEEDS_CACHE = 4
# Region frames per cache (each a few kB; 13 scenarios x a few hundred regions in use).
REGION_CACHE = 1024
# Frames rebuilt from cached arrays (``series``, ``pressure_series``: 6-8 kB each, ~0.3 ms a
# miss) need fewer entries than the arrays themselves (1-4 kB each).
FRAME_CACHE = 256
# Tidy needs frames are bigger (~800 rows, ~80 kB): fewer of them.
NEEDS_FRAME_CACHE = 96
USER_FRAME_CACHE = 32


class ProjectionsUnavailable(RuntimeError):
    """Kept for callers written before the typed API: the projection package is a dependency
    now, so this is never raised."""


class UnknownScenarioError(ValueError):
    """A scenario the dashboard does not offer (pages normalise the URL value first)."""


# -- regions ---------------------------------------------------------------------------------
def region_or_none(code: Any) -> Any:
    """The catalogue region for ``code`` or None (never raises)."""
    if code is None or not isinstance(code, str | int) or isinstance(code, bool):
        return None
    text = str(code)
    if len(text) > 8:  # the longest code is 4 digits; do not search long input
        return None
    try:
        return catalogue().get(text)
    except UnknownRegionError:
        return None


def region_name(code: str, lang: str = "nb") -> str:
    region = region_or_none(code)
    if region is None:
        return str(code)
    if region.level == "norge":
        return {"nb": "Hele landet", "nn": "Heile landet", "en": "Norway"}.get(lang, region.name)
    return region.name


@lru_cache(maxsize=1)
def kommune_index() -> dict[str, int]:
    return {c: i for i, c in enumerate(catalogue().kommune_codes)}


@lru_cache(maxsize=512)
def region_members(code: str) -> np.ndarray:
    """Positions (in catalogue order) of the kommuner making up a region."""
    idx = kommune_index()
    return np.array([idx[c] for c in catalogue().kommuner_in(code)], dtype=int)


# -- observed population ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def history_array() -> tuple[np.ndarray, np.ndarray]:
    """Observed population as (years, array[Y, K, 2, 106]) in catalogue kommune order.

    float32 (persons are whole numbers, exact in float32): half the memory; sums are float64.
    """
    pop = read_table("population", columns=["year", "kommune_code", "sex", "age", "persons"])
    years = np.sort(pop["year"].unique())
    codes = catalogue().kommune_codes
    k = pd.Index(codes).get_indexer(pop["kommune_code"])
    y = np.searchsorted(years, pop["year"].to_numpy())
    s = pop["sex"].to_numpy() - 1
    a = np.clip(pop["age"].to_numpy(), 0, 105)
    values = pop["persons"].to_numpy(dtype=float)
    shape = (len(years), len(codes), 2, 106)
    flat = np.ravel_multi_index((y, k, s, a), shape)
    # bincount sums duplicates (if any) and is ~10x faster than np.add.at.
    arr = np.bincount(flat, weights=values, minlength=math.prod(shape)).reshape(shape)
    del pop
    out = arr.astype(np.float32)
    out.setflags(write=False)
    return years.astype(int), out


def group_sums(arr: np.ndarray) -> dict[str, np.ndarray]:
    """Sum the last (age) axis of ``arr`` (… , 2, 106) into AGE_GROUPS, both sexes."""
    both = arr.sum(axis=-2, dtype=np.float64)  # cells are float32
    return {g: both[..., lo : hi + 1].sum(axis=-1) for g, (lo, hi) in AGE_GROUPS.items()}


@lru_cache(maxsize=1)
def history_groups() -> dict[str, np.ndarray]:
    """Observed age-group totals per year and kommune: group -> array[Y, K]."""
    return group_sums(history_array()[1])


@lru_cache(maxsize=REGION_CACHE)
def history_region(code: str) -> np.ndarray:
    """Observed population for a region: array[Y, 2, 106] (float64)."""
    _, arr = history_array()
    return arr[:, region_members(code)].sum(axis=1, dtype=np.float64)


def history_frame(code: str) -> pd.DataFrame:
    """Observed totals per year and age group for a region."""
    years, _ = history_array()
    idx = region_members(code)
    sums = {g: arr[:, idx].sum(axis=1) for g, arr in history_groups().items()}
    return pd.DataFrame({"year": years, **sums})


# -- scenarios -------------------------------------------------------------------------------
def projections_available() -> bool:
    """Always True: ``projections`` is a dependency (kept for callers in the pages)."""
    return True


def needs_available() -> bool:
    """Always True: ``projections.needs`` is a dependency (kept for callers in the pages)."""
    return True


@lru_cache(maxsize=1)
def scenario_codes() -> tuple[str, ...]:
    """Scenario codes in the order ``projections.SCENARIOS`` lists them (main first)."""
    codes = [str(c) for c in SCENARIOS]
    if DEFAULT_SCENARIO in codes:
        codes.remove(DEFAULT_SCENARIO)
        codes.insert(0, DEFAULT_SCENARIO)
    return tuple(codes)


def scenario_info(code: str) -> str | None:
    """The projection package's description of a scenario (or None)."""
    return SCENARIOS.get(code)


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


def _check_scenario(scenario: str) -> str:
    if scenario not in scenario_codes():
        raise UnknownScenarioError(f"Ukjent scenario {str(scenario)[:16]!r} (unknown scenario)")
    return scenario


def projection(scenario: str) -> ProjectionResult:
    """The full projection for all kommuner (from ``project()``'s own cache or computed).

    Only for what needs single-age detail for every year; everything else uses
    ``aggregates()``. The dashboard keeps no reference to it.
    """
    return project(_check_scenario(scenario))


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


# -- needs -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def default_assumptions() -> Assumptions:
    return Assumptions()


def make_assumptions(values: dict[str, Any]) -> Assumptions:
    """Assumptions from edited values; raises ``NeedsAssumptionError`` (a ValueError).

    Only known fields with finite numbers get through, so a crafted callback cannot make the
    needs model fail in an unexpected way.
    """
    allowed = set(Assumptions.__dataclass_fields__)
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            raise NeedsAssumptionError(
                f"Ukjent forutsetning {str(name)[:40]!r} (unknown assumption)"
            )
        clean[name] = value
    try:
        return Assumptions(**clean)
    except TypeError:  # a wrongly typed value (e.g. a list) for a field
        raise NeedsAssumptionError(
            "Ugyldig verdi for forutsetningene (invalid assumption value)"
        ) from None


@lru_cache(maxsize=USER_NEEDS_CACHE)
def _needs_user(scenario: str, assumptions: Assumptions) -> NeedsResult:
    return compute_needs(projection(scenario), assumptions)


def needs(scenario: str, assumptions: Assumptions | None = None) -> NeedsResult:
    """Needs for all kommuner; the default assumptions come from the compact aggregates."""
    if assumptions is None or assumptions == default_assumptions():
        return aggregates(scenario).needs
    return _needs_user(_check_scenario(scenario), assumptions)


@lru_cache(maxsize=NEEDS_FRAME_CACHE)
def _needs_frame_default(scenario: str, code: str) -> pd.DataFrame:
    return needs(scenario).frame(code)


@lru_cache(maxsize=USER_FRAME_CACHE)
def _needs_frame_user(scenario: str, code: str, assumptions: Assumptions) -> pd.DataFrame:
    return needs(scenario, assumptions).frame(code)


def needs_frame(scenario: str, code: str, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Tidy needs of a region (~80 kB): edited assumption sets get a smaller cache of their own."""
    if assumptions is None or assumptions == default_assumptions():
        return _needs_frame_default(scenario, code)
    return _needs_frame_user(scenario, code, assumptions)


@lru_cache(maxsize=NEEDS_FRAME_CACHE)
def indicators(scenario: str, code: str, assumptions: Assumptions | None = None) -> pd.DataFrame:
    return needs(scenario, assumptions).indicators(code)


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
    cols = {g: df[g] for g in ("total", "0_5", "6_15", "16_66", "67_79", "80p")}
    out = [
        KeyFigure(g, float(col[by]), {y: float(col[row[y]]) for y in years})
        for g, col in cols.items()
    ]
    ratio = care_ratio(df["20_66"], cols["80p"])
    out.append(
        KeyFigure("care_ratio", float(ratio[by]), {y: float(ratio[row[y]]) for y in years}, "ratio")
    )
    return tuple(out)


def safe_float(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


@lru_cache(maxsize=REGION_CACHE)
def pressure_arrays(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> dict[str, np.ndarray]:
    """year, per_1000 (care årsverk per 1000 aged 20-66), care_ratio (20-66 per 80+).

    The two indicators of ``NeedsResult.indicators``, computed the same way (the needs
    package's ``indicator_arrays`` on the region's summed arrays) without building the tidy
    frame of every indicator; read-only arrays (~0.6 kB), as the Oversikt card reads them.
    """
    result = needs(scenario, assumptions)
    _, vals, pop = result.region_arrays(code)
    position = {(s, m): i for i, (s, m, _) in enumerate(result.keys)}
    arsverk = {sector: vals[position[(sector, "arsverk")]] for sector in STAFFED_SECTORS}
    items = {name: np.array(v[:, 0], dtype=float) for name, v, _ in indicator_arrays(pop, arsverk)}
    data = {
        "year": np.asarray(result.years, dtype=int),
        "per_1000": items[PRESSURE_INDICATOR],
        "care_ratio": items[CARE_RATIO_INDICATOR],
    }
    for values in data.values():
        values.flags.writeable = False  # shared by every caller through the cache
    return data


@lru_cache(maxsize=FRAME_CACHE)
def pressure_series(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    """``pressure_arrays`` as a frame (the Tjenester comparison, the report)."""
    return pd.DataFrame(pressure_arrays(scenario, code, assumptions))


def pressure_key_arrays(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> dict[str, np.ndarray]:
    """``pressure_arrays`` in the base year and KEY_YEARS (the Oversikt card)."""
    data = pressure_arrays(scenario, code, assumptions)
    keep = np.isin(data["year"], [base_year(scenario), *KEY_YEARS])
    return {c: values[keep] for c, values in data.items()}


def pressure_key_years(
    scenario: str, code: str, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    return pd.DataFrame(pressure_key_arrays(scenario, code, assumptions))


# -- map -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def geojson_kommuner() -> dict[str, Any]:
    """Kartverket kommune boundaries as a FeatureCollection with id = kommune number."""
    geo = read_table("geo_kommuner")
    features = [
        {
            "type": "Feature",
            "id": str(r.code),
            "properties": {"name": r.name},
            "geometry": json.loads(r.geometry),
        }
        for r in geo.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def geojson_text() -> str:
    return json.dumps(geojson_kommuner(), separators=(",", ":"))


def similar_regions(code: str, n_fylke: int = 3, n_size: int = 3) -> list[str]:
    """Kommuner like ``code``: nearest in size within the fylke, then nearest in size nationwide."""
    cat = catalogue()
    region = region_or_none(code)
    if region is None or region.level != "kommune":
        return ["0301", "4601", "5001", "1103"][: n_fylke + n_size]
    size = region.population_2026
    others = [k for k in cat.kommuner if k.code != code]
    same = sorted(
        (k for k in others if k.fylke_code == region.fylke_code),
        key=lambda k: abs(math.log(max(k.population_2026, 1) / max(size, 1))),
    )[:n_fylke]
    chosen = {k.code for k in same}
    alike = sorted(
        (k for k in others if k.code not in chosen and k.fylke_code != region.fylke_code),
        key=lambda k: abs(math.log(max(k.population_2026, 1) / max(size, 1))),
    )[:n_size]
    return [k.code for k in (*same, *alike)]


@lru_cache(maxsize=1)
def data_vintage() -> tuple[int, str, str]:
    """(last observed year, SSB table, SSB's update date dd.mm.yyyy) of the population data."""
    year = int(history_array()[0][-1])
    try:
        meta = table_meta("population")
    except TableNotFoundError:
        log.warning("no provenance record for the population table")
        return year, "07459", ""
    table = (meta.get("ssb_tables") or ["07459"])[0]
    raw = str((meta.get("ssb_updated") or {}).get(table, ""))[:10]
    date = ".".join(reversed(raw.split("-"))) if raw else ""
    return year, table, date
