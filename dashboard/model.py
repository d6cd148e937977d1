"""Thin, cached access to observed data, projections and needs for the pages.

Why a module of its own: pages must stay presentational and switching kommune or scenario must
feel instant. Projections are computed once per scenario for all kommuner (the projection API
is vectorised over kommuner) and kept in an LRU cache; region sums are array slices. No
demography happens here - only aggregation into age groups and ratios for display.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from data_sources import UnknownRegionError, catalogue, read_table

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


class ProjectionsUnavailable(RuntimeError):
    """The projection package is not importable (yet); pages show a friendly notice."""


# -- regions ---------------------------------------------------------------------------------
def region_or_none(code: Any) -> Any:
    """The catalogue region for ``code`` or None (never raises)."""
    if code is None:
        return None
    try:
        return catalogue().get(str(code))
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
    """Observed population as (years, array[Y, K, 2, 106]) in catalogue kommune order."""
    pop = read_table("population", columns=["year", "kommune_code", "sex", "age", "persons"])
    years = np.sort(pop["year"].unique())
    codes = catalogue().kommune_codes
    k = pd.Index(codes).get_indexer(pop["kommune_code"])
    y = np.searchsorted(years, pop["year"].to_numpy())
    s = pop["sex"].to_numpy() - 1
    a = np.clip(pop["age"].to_numpy(), 0, 105)
    values = pop["persons"].to_numpy(dtype=float)
    arr = np.zeros((len(years), len(codes), 2, 106))
    flat = np.ravel_multi_index((y, k, s, a), arr.shape)
    # bincount sums duplicates (if any) and is ~10x faster than np.add.at.
    arr = np.bincount(flat, weights=values, minlength=arr.size).reshape(arr.shape)
    del pop
    return years.astype(int), arr


def group_sums(arr: np.ndarray) -> dict[str, np.ndarray]:
    """Sum the last (age) axis of ``arr`` (… , 2, 106) into AGE_GROUPS, both sexes."""
    both = arr.sum(axis=-2, dtype=np.float64)  # projection cells are float32
    return {g: both[..., lo : hi + 1].sum(axis=-1) for g, (lo, hi) in AGE_GROUPS.items()}


@lru_cache(maxsize=1)
def history_groups() -> dict[str, np.ndarray]:
    """Observed age-group totals per year and kommune: group -> array[Y, K]."""
    return group_sums(history_array()[1])


@lru_cache(maxsize=256)
def history_region(code: str) -> np.ndarray:
    """Observed population for a region: array[Y, 2, 106]."""
    _, arr = history_array()
    return arr[:, region_members(code)].sum(axis=1)


def history_frame(code: str) -> pd.DataFrame:
    """Observed totals per year and age group for a region."""
    years, _ = history_array()
    idx = region_members(code)
    sums = {g: arr[:, idx].sum(axis=1) for g, arr in history_groups().items()}
    return pd.DataFrame({"year": years, **sums})


# -- projections -----------------------------------------------------------------------------
def _projections() -> Any:
    try:
        mod = importlib.import_module("projections")
    except Exception as exc:  # pragma: no cover - depends on the other team's progress
        raise ProjectionsUnavailable(str(exc)) from exc
    if not hasattr(mod, "project"):
        raise ProjectionsUnavailable("projections.project is not available yet")
    return mod


def projections_available() -> bool:
    try:
        _projections()
    except ProjectionsUnavailable:
        return False
    return True


@lru_cache(maxsize=1)
def scenario_codes() -> tuple[str, ...]:
    """Scenario codes in the order the projection package lists them (main first)."""
    try:
        scen = _projections().SCENARIOS
    except (ProjectionsUnavailable, AttributeError):
        return (DEFAULT_SCENARIO,)
    codes = list(scen.keys()) if isinstance(scen, dict) else [getattr(s, "code", s) for s in scen]
    codes = [str(c) for c in codes]
    if DEFAULT_SCENARIO in codes:
        codes.remove(DEFAULT_SCENARIO)
        codes.insert(0, DEFAULT_SCENARIO)
    return tuple(codes)


def scenario_info(code: str) -> Any:
    """The projection package's description object/dict for a scenario (or None)."""
    try:
        scen = _projections().SCENARIOS
    except (ProjectionsUnavailable, AttributeError):
        return None
    if isinstance(scen, dict):
        return scen.get(code)
    for s in scen:
        if getattr(s, "code", s) == code:
            return s
    return None


def normalise_scenario(value: Any) -> tuple[str, bool]:
    """Return (scenario, was_valid); unknown values fall back to the main alternative."""
    if value is None or value == "":
        return DEFAULT_SCENARIO, True
    v = str(value).strip().upper()
    if v in scenario_codes():
        return v, True
    return DEFAULT_SCENARIO, False


@lru_cache(maxsize=3)
def projection(scenario: str) -> Any:
    """The full projection result for all kommuner under ``scenario``.

    Only a few are kept (each holds stocks and flows by single-year age, ~50 MB); the
    compact age-group totals below are kept for every scenario.
    """
    res = _projections().project(scenario)
    release_memory()
    return res


def release_memory() -> None:
    """Hand freed heap back to the OS after big temporary arrays (glibc keeps it otherwise)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@lru_cache(maxsize=32)
def projection_groups(scenario: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(years, group -> array[Y, K]) age-group totals of a scenario, for all kommuner."""
    res = projection(scenario)
    return np.asarray(res.years, dtype=int), group_sums(np.asarray(res.population))


@lru_cache(maxsize=256)
def projection_region(scenario: str, code: str) -> tuple[np.ndarray, np.ndarray]:
    """(years, array[Y, 2, 106]) of a region's projected population."""
    res = projection(scenario)
    return np.asarray(res.years, dtype=int), np.asarray(res.region(code), dtype=float)


def base_year(scenario: str = DEFAULT_SCENARIO) -> int:
    try:
        return int(projection(scenario).years[0])
    except ProjectionsUnavailable:
        return int(history_array()[0][-1])


@lru_cache(maxsize=1024)
def series(scenario: str, code: str) -> pd.DataFrame:
    """History joined to the projection: year, source (observed/projected) and age groups."""
    hist = history_frame(code)
    hist["kind"] = "observed"
    try:
        years, groups = projection_groups(scenario)
    except ProjectionsUnavailable:
        return hist
    idx = region_members(code)
    sums = {g: arr[:, idx].sum(axis=1) for g, arr in groups.items()}
    proj = pd.DataFrame({"year": years, **sums})
    proj["kind"] = "projected"
    proj = proj[proj["year"] > hist["year"].max()]
    return pd.concat([hist, proj], ignore_index=True)


@lru_cache(maxsize=1024)
def components(scenario: str, code: str) -> pd.DataFrame:
    """Births, deaths and net migration per year for a region (from the projection API)."""
    df = projection(scenario).components_frame(code)
    keep = [c for c in ("year", "population", "births", "deaths", "net_migration") if c in df]
    # The last year has a stock but no flows (NaN): drop it rather than show zeros.
    return df[keep].dropna().reset_index(drop=True)


def pyramid(scenario: str, code: str, year: int) -> pd.DataFrame:
    """Population by sex and single-year age in ``year`` (observed or projected)."""
    hist_years, _ = history_array()
    if year in hist_years:
        arr = history_region(code)[list(hist_years).index(year)]
    else:
        years, proj = projection_region(scenario, code)
        arr = proj[list(years).index(year)]
    return pd.DataFrame({"age": np.arange(106), "male": arr[0], "female": arr[1]})


# -- needs -----------------------------------------------------------------------------------
def _needs_module() -> Any:
    try:
        mod = importlib.import_module("projections.needs")
    except Exception as exc:  # pragma: no cover
        raise ProjectionsUnavailable(str(exc)) from exc
    if not hasattr(mod, "compute_needs"):
        raise ProjectionsUnavailable("projections.needs.compute_needs is not available yet")
    return mod


def needs_available() -> bool:
    try:
        _needs_module()
    except ProjectionsUnavailable:
        return False
    return True


def default_assumptions() -> Any:
    return _needs_module().Assumptions()


def make_assumptions(values: dict[str, Any]) -> Any:
    """Assumptions from edited values; raises the needs package's validation error."""
    return _needs_module().Assumptions(**values)


@lru_cache(maxsize=32)
def needs(scenario: str, assumptions: Any = None) -> Any:
    """Needs for all kommuner (Assumptions are frozen and hashable, so they key the cache)."""
    mod = _needs_module()
    return mod.compute_needs(projection(scenario), assumptions or mod.Assumptions())


@lru_cache(maxsize=1024)
def needs_frame(scenario: str, code: str, assumptions: Any = None) -> pd.DataFrame:
    return needs(scenario, assumptions).frame(code)


@lru_cache(maxsize=1024)
def indicators(scenario: str, code: str, assumptions: Any = None) -> pd.DataFrame:
    return needs(scenario, assumptions).indicators(code)


# -- key figures -----------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyFigure:
    key: str
    base: float
    values: dict[int, float]  # year -> value
    kind: str = "count"  # count | ratio


def care_ratio(df: pd.DataFrame) -> pd.Series:
    """Persons 20-66 per person 80+ (from summed counts, never averaged)."""
    return df["20_66"] / df["80p"].replace(0, np.nan)


@lru_cache(maxsize=1024)
def key_figures(scenario: str, code: str) -> tuple[KeyFigure, ...]:
    """Key figures in the base year and KEY_YEARS."""
    df = series(scenario, code).set_index("year")
    by = base_year(scenario)
    years = [y for y in KEY_YEARS if y in df.index]
    out = [
        KeyFigure(g, float(df.at[by, g]), {y: float(df.at[y, g]) for y in years})
        for g in ("total", "0_5", "6_15", "16_66", "67_79", "80p")
    ]
    ratio = care_ratio(df)
    out.append(
        KeyFigure("care_ratio", float(ratio[by]), {y: float(ratio[y]) for y in years}, "ratio")
    )
    return tuple(out)


def safe_float(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


def all_regions_frame(scenario: str, years: Iterable[int]) -> pd.DataFrame:
    """Age-group totals for every kommune in the given years (for the map and comparisons)."""
    yrs_arr, groups = projection_groups(scenario)
    yrs = list(yrs_arr)
    codes = catalogue().kommune_codes
    rows = []
    for y in years:
        if y not in yrs:
            continue
        i = yrs.index(y)
        rows.append(
            pd.DataFrame({"year": y, "kommune": codes, **{g: a[i] for g, a in groups.items()}})
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


# Indicator names the needs API may use for the staffing-pressure measure; the first found wins.
PRESSURE_NAMES: tuple[str, ...] = (
    "bemanningspress_pleie_og_omsorg",
    "care_arsverk_per_1000_20_66",
    "staffing_pressure",
    "care_arsverk_per_1000",
)
CARE_RATIO_NAMES: tuple[str, ...] = (
    "forsorgerbrok_20_66_per_80p",
    "care_ratio",
    "carer_ratio",
    "persons_20_66_per_80p",
)


def _pick(names: Sequence[str], available: Iterable[str]) -> str | None:
    avail = list(available)
    for n in names:
        if n in avail:
            return n
    return None


@lru_cache(maxsize=1024)
def pressure_series(scenario: str, code: str, assumptions: Any = None) -> pd.DataFrame:
    """year, per_1000 (care årsverk per 1000 aged 20-66), care_ratio (20-66 per 80+)."""
    ind = indicators(scenario, code, assumptions)
    names = ind["indicator"].to_numpy(dtype=object)
    values = ind["value"].to_numpy(dtype=float)
    years_all = ind["year"].to_numpy(dtype=int)
    available = set(names)

    def column(name: str | None) -> tuple[np.ndarray, np.ndarray] | None:
        if name is None:
            return None
        mask = names == name
        order = np.argsort(years_all[mask])
        return years_all[mask][order], values[mask][order]

    p = column(_pick(PRESSURE_NAMES, available))
    r = column(_pick(CARE_RATIO_NAMES, available))
    years = p[0] if p else (r[0] if r else np.unique(years_all))
    out = pd.DataFrame({"year": years})
    out["per_1000"] = p[1] if p else np.nan
    if r:
        out["care_ratio"] = r[1]
    else:
        s = series(scenario, code).set_index("year")
        out["care_ratio"] = care_ratio(s).reindex(out["year"]).to_numpy()
    return out


def pressure_key_years(scenario: str, code: str, assumptions: Any = None) -> pd.DataFrame:
    df = pressure_series(scenario, code, assumptions)
    years = [base_year(scenario), *KEY_YEARS]
    return df[df["year"].isin(years)].reset_index(drop=True)


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
    from data_sources import table_meta

    year = int(history_array()[0][-1])
    try:
        meta = table_meta("population")
        table = (meta.get("ssb_tables") or ["07459"])[0]
        raw = str((meta.get("ssb_updated") or {}).get(table, ""))[:10]
        date = ".".join(reversed(raw.split("-"))) if raw else ""
    except Exception:
        table, date = "07459", ""
    return year, table, date
