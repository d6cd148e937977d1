"""The data behind each chart, one function per chart.

Pages draw a chart *and* its "Vis som tabell" table from the same frame, and the chart's CSV
download is rebuilt from the key that names the frame - so a download always equals what the
chart shows. Column names are English and stable (they are also the CSV header).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data import model, needs_cache, scenario_extras
from dashboard.state import CARE_SERVICES, USAGE_PATHS
from dashboard.views import intervals, ssb_figures
from data_sources import catalogue
from projections.age_groups import BACKTEST_KEYS

GROUPS = BACKTEST_KEYS  # the groups every chart offers (projections.age_groups)


def index_table(code: str, scenario: str) -> pd.DataFrame:
    s = model.series(scenario, code)
    by = model.base_year(scenario)
    cols = ["year", *GROUPS[1:]]
    out = s[s["year"] >= by][cols].reset_index(drop=True)
    out.insert(1, "scenario", scenario)
    return out


def population_table(code: str, scenario: str, group: str, shown: tuple[str, ...]) -> pd.DataFrame:
    """year, observed, <scenario>, each shown alternative, and the low-high band.

    The band spans the scenarios low and high national growth (LLML-HHMH) together with the
    chosen scenario: assumptions, not uncertainty. The prediction intervals (lower_80 ...
    upper_95, dashboard.ui.uncertainty) are the uncertainty.
    """
    return pd.DataFrame(population_columns(code, scenario, group, shown))


def population_columns(
    code: str, scenario: str, group: str, shown: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """The columns of ``population_table`` as arrays.

    Arrays, not merges: this runs on every Befolkning render (a merge-built frame cost
    ~15 ms). The chart draws from these columns, so chart, table and CSV stay the same.
    """
    group = group if group in GROUPS else "total"
    main = model.series(scenario, code)
    years = main["year"].to_numpy()
    future = years >= model.base_year(scenario)
    valid = set(model.scenario_codes())
    wanted = [scenario, *[x for x in shown if x != scenario and x in valid]]
    band_codes = [scenario, *[x for x in model.BAND_SCENARIOS if x in valid]]
    values = {sc: scenario_values(sc, code, group, years) for sc in {*wanted, *band_codes}}
    kind = main["kind"].to_numpy()
    cols: dict[str, np.ndarray] = {
        "year": years,
        "observed": np.where(kind == "observed", main[group].to_numpy(), np.nan),
    }
    for sc in wanted:
        cols[sc] = np.where(future, values[sc], np.nan)
    if len(band_codes) > 1:
        band = np.stack([values[sc] for sc in band_codes])
        cols["band_low"] = np.where(future, np.fmin.reduce(band), np.nan)  # NaN-skipping
        cols["band_high"] = np.where(future, np.fmax.reduce(band), np.nan)
    interval_years, bounds = intervals.interval_values(code, scenario, group)
    for name, arr in bounds.items():
        cols[name] = intervals.on_years(years, interval_years, arr)
    ssb = ssb_figures.ssb_series(code, group)
    if ssb is not None:
        cols[ssb_figures.SSB_COLUMN] = intervals.on_years(
            years, ssb.index.to_numpy(), ssb.to_numpy(dtype=float)
        )
    return cols


def scenario_values(scenario: str, code: str, group: str, years: np.ndarray) -> np.ndarray:
    """One age group of ``model.series`` (history joined to the projection) as an array."""
    s = model.series(scenario, code)
    if not np.array_equal(s["year"].to_numpy(), years):
        raise ValueError(f"scenario {scenario} has other years than the chosen scenario")
    return s[group].to_numpy()


def pyramid_arrays(code: str, scenario: str, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(2, 106) population by sex and age in ``year`` and in the base year."""
    return model.population_in(scenario, code, year), model.population_in(
        scenario, code, model.base_year(scenario)
    )


def pyramid_table(code: str, scenario: str, year: int) -> pd.DataFrame:
    return pyramid_frame(*pyramid_arrays(code, scenario, year), year, model.base_year(scenario))


def pyramid_frame(cur: np.ndarray, base: np.ndarray, year: int, base_year: int) -> pd.DataFrame:
    """age, year, male, female, male_<base year>, female_<base year> from the arrays."""
    return pd.DataFrame(
        {
            "age": np.arange(cur.shape[1]),
            "year": year,
            "male": cur[0],
            "female": cur[1],
            f"male_{base_year}": base[0],
            f"female_{base_year}": base[1],
        }
    )


def components_table(code: str, scenario: str) -> pd.DataFrame:
    """year, scenario, population, births, deaths, net_migration, change (one frame built
    from the columns: copying and inserting into a frame cost ~2 ms a render)."""
    c = model.components(scenario, code)
    cols = {name: c[name].to_numpy() for name in c.columns}
    cols["change"] = cols["births"] - cols["deaths"] + cols["net_migration"]
    return pd.DataFrame({"year": cols.pop("year"), "scenario": scenario, **cols})


USER_SECTORS = scenario_extras.USER_SECTORS
ARSVERK_SECTORS = scenario_extras.ARSVERK_SECTORS


def services_table(code: str, scenario: str, measure: str, assumptions: Any = None) -> pd.DataFrame:
    """year x sector for one measure ("brukere" or "arsverk"), each sector's 80 % bounds."""
    result = needs_cache.needs(scenario, assumptions)
    _, vals, _ = result.region_arrays(code)  # the numbers of .frame(code), without the frame
    sectors = USER_SECTORS if measure == "brukere" else ARSVERK_SECTORS
    position = {(s, m): i for i, (s, m, _) in enumerate(result.keys)}
    cols: dict[str, np.ndarray] = {"year": np.asarray(result.years, dtype=int)}
    for sector in sectors:
        if (sector, measure) in position:
            cols[sector] = vals[position[(sector, measure)], :, 0]
    return intervals.add_service_interval_columns(
        pd.DataFrame(cols), code, scenario, measure, assumptions
    )


def pressure_table(code: str, scenario: str, assumptions: Any = None) -> pd.DataFrame:
    df = needs_cache.pressure_key_years(scenario, code, assumptions)
    return intervals.add_pressure_interval_columns(df, code, scenario, assumptions)


def compare_table(codes: tuple[str, ...], scenario: str, metric: str) -> pd.DataFrame:
    """year x region for a comparison metric (index, share_80p, pressure)."""
    by = model.base_year(scenario)
    cols = {}
    for c in codes:
        s = model.series(scenario, c).set_index("year")
        s = s[s.index >= by]
        if metric == "index":
            cols[c] = s["total"] / s.at[by, "total"] * 100
        elif metric == "share_80p":
            cols[c] = s["80p"] / s["total"] * 100
        elif metric == "pressure":
            p = needs_cache.pressure_series(scenario, c).set_index("year")["per_1000"]
            cols[c] = p[p.index >= by]
    out = pd.DataFrame(cols)
    out.index.name = "year"
    return out.reset_index()


def map_table(scenario: str, year: int, indicator: str) -> pd.DataFrame:
    """One value per kommune for the map.

    From the per-scenario arrays (age-group totals of every kommune), not a frame of every
    kommune filtered and joined on kommune: this runs on every Kart render. A year outside
    the projection raises ValueError.
    """
    by = model.base_year(scenario)
    years, groups = model.projection_groups(scenario)
    at = {int(y): i for i, y in enumerate(years)}
    if int(year) not in at:
        raise ValueError(f"Året {int(year)} er utenfor framskrivingen (year out of range)")
    now = {g: arr[at[by]] for g, arr in groups.items()}
    then = {g: arr[at[int(year)]] for g, arr in groups.items()}
    if indicator == "growth":
        value = (then["total"] / now["total"] - 1) * 100
    elif indicator == "growth_80p":
        value = (then["80p"] / _zero_as_nan(now["80p"]) - 1) * 100
    elif indicator == "share_80p":
        value = then["80p"] / then["total"] * 100
    elif indicator == "care_ratio":
        value = model.care_ratio(then["20_66"], then["80p"])
    elif indicator in MAP_NEEDS_INDICATORS:  # services, staffing and cost (every kommune)
        ind = needs_cache.map_indicator_result(scenario)
        order = {k: i for i, k in enumerate(ind.kommuner)}
        at = ind.at(MAP_NEEDS_INDICATORS[indicator], int(year))
        value = np.array([at[order[k]] for k in _kommune_names()[0]], dtype=float)
    else:  # population
        value = then["total"]
    codes, names = _kommune_names()
    cols: dict[str, Any] = {
        "kommune": codes,
        "name": names,
        "year": year,
        "scenario": scenario,
        "indicator": indicator,
        "value": value,
    }
    if indicator in MAP_INTERVAL_GROUP and year > by:  # how sure we are, where it follows
        group = MAP_INTERVAL_GROUP[indicator]
        lo, hi = intervals.kommune_bounds(scenario, int(year), codes, group)
        if indicator != "population":  # growth in %: the bounds over today's registered number
            base = _zero_as_nan(now[group])
            lo, hi = (lo / base - 1) * 100, (hi / base - 1) * 100
        cols["lower_80"], cols["upper_80"] = lo, hi
    return pd.DataFrame(cols)


def _zero_as_nan(values: np.ndarray) -> np.ndarray:
    return np.where(values == 0, np.nan, values)


@lru_cache(maxsize=1)
def _kommune_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes, names) of the kommuner in catalogue order (~30 kB, once per process)."""
    cat = catalogue()
    codes = tuple(cat.kommune_codes)
    return codes, tuple(cat.get(c).name for c in codes)


# map indicator -> the age group whose interval it follows (ratios have none of their own)
MAP_INTERVAL_GROUP = {"growth": "total", "growth_80p": "80p", "population": "total"}


# -- care users by finer age group (Tjenester) -----------------------------------------------
USAGES = USAGE_PATHS  # the view state's vocabulary (dashboard.state)
CARE_AGE_GROUPS = ("0_66", "67_79", "80_89", "90p")


def _needs(scenario: str, usage: str, assumptions: Any = None) -> Any:
    """Needs of a usage path: with today's standard from the per-scenario aggregates (no
    projection here), with edited assumptions computed with them (the page's own state)."""
    if assumptions is None:
        return scenario_extras.usage_needs(scenario, usage)
    return needs_cache.needs(scenario, dataclasses.replace(assumptions, usage_path=usage))


def usage_table(
    code: str, scenario: str, usage: str, service: str, assumptions: Any = None
) -> pd.DataFrame:
    """year x age group (and total) of one care service's users, for one usage path.

    The `usage` and `service` columns say what the table shows (they travel into the CSV).
    """
    return pd.DataFrame(usage_columns(code, scenario, usage, service, assumptions))


def usage_columns(
    code: str, scenario: str, usage: str, service: str, assumptions: Any = None
) -> dict[str, Any]:
    """The columns of ``usage_table`` (one frame built at the end, not a column at a time).

    Both paths' totals come along: the chart draws the span between them as a band of its
    own (the usage paths are choices, not uncertainty) and the CSV carries what it draws."""
    if usage not in USAGES or service not in CARE_SERVICES:
        raise ValueError(f"unknown usage path or service: {usage!r}, {service!r}")
    measures = [f"brukere_{g}" for g in CARE_AGE_GROUPS] + ["brukere"]
    years, chosen = _service_rows(code, scenario, usage, service, measures, assumptions)
    cols: dict[str, Any] = {"usage": usage, "service": service, "year": years}
    cols |= dict(zip([*CARE_AGE_GROUPS, "brukere"], chosen, strict=True))
    for path in USAGES:
        if path == usage:
            cols[f"brukere_{path}"] = cols["brukere"]
        else:
            path_years, (total,) = _service_rows(
                code, scenario, path, service, ["brukere"], assumptions
            )
            if not np.array_equal(path_years, years):
                raise ValueError("the two usage paths cover different years")
            cols[f"brukere_{path}"] = total
    return cols


def _service_rows(
    code: str, scenario: str, usage: str, service: str, measures: list[str], assumptions: Any
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Years, and the rows of ``measures`` of one service on one usage path (the numbers of
    the needs frame, without building the frame)."""
    result = _needs(scenario, usage, assumptions)
    _, vals, _ = result.region_arrays(code)
    position = {(s, m): i for i, (s, m, _) in enumerate(result.keys)}
    rows = [vals[position[(service, m)], :, 0] for m in measures]
    return np.asarray(result.years, dtype=int), rows


# -- costs and recruitment (Tjenester) -------------------------------------------------------
COST_SECTORS = (
    "barnehage",
    "grunnskole",
    "pleie_og_omsorg",
    "pleie_og_omsorg_institusjon",
    "pleie_og_omsorg_hjemmebasert",
)
RECRUIT_SECTORS = ("barnehage", "grunnskole", "pleie_og_omsorg")
RECRUIT_MEASURES = ("arsverk", "arsverk_avgang", "arsverk_rekruttering")


def costs_columns(code: str, scenario: str, assumptions: Any = None) -> dict[str, Any]:
    """year, then ``<sector>_kostnad`` and ``<sector>_demografikostnad`` in kroner per year,
    each sector in the fixed prices of its own unit cost's year (never added up)."""
    result = needs_cache.cost_result(scenario, assumptions)
    _, kost, _ = result.region_arrays(code)  # (S, Y, 1)
    cols: dict[str, Any] = {"year": np.asarray(result.years, dtype=int)}
    for sector in COST_SECTORS:
        values = kost[result.sectors.index(sector), :, 0]
        cols[f"{sector}_kostnad"] = values
        cols[f"{sector}_demografikostnad"] = values - values[0]
    return cols


def cost_price_years(scenario: str) -> dict[str, int]:
    """Sector -> the year whose prices its costs are in."""
    result = needs_cache.cost_result(scenario)
    return {s: result.price_year(s) for s in COST_SECTORS}


def recruitment_columns(code: str, scenario: str, assumptions: Any = None) -> dict[str, Any]:
    """year, then per sector ``<sector>_arsverk`` (needed), ``_arsverk_avgang`` (cumulative
    departures of today's staff) and ``_arsverk_rekruttering`` (growth plus departures)."""
    result = needs_cache.needs(scenario, assumptions)
    _, vals, _ = result.region_arrays(code)
    position = {(s, m): i for i, (s, m, _) in enumerate(result.keys)}
    cols: dict[str, Any] = {"year": np.asarray(result.years, dtype=int)}
    for sector in RECRUIT_SECTORS:
        for measure in RECRUIT_MEASURES:
            cols[f"{sector}_{measure}"] = vals[position[(sector, measure)], :, 0]
    return cols


# map indicator -> the needs package's indicator (today's standard)
MAP_NEEDS_INDICATORS = {
    "press_all": "bemanningspress_alle",
    "press_care": "bemanningspress_pleie_og_omsorg",
    "cost_care": "demografikostnad_per_innbygger_pleie_og_omsorg",
    "cost_school": "demografikostnad_per_innbygger_grunnskole",
    "cost_kindergarten": "demografikostnad_per_innbygger_barnehage",
}
