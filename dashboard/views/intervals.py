"""The numbers of the prediction intervals for the pages: bounds by region, year and age group,
the track record, and the interval columns of the service and staffing tables.

Numbers come from ``projections.intervals`` (empirical intervals calibrated on backtest errors,
docs/uncertainty.md), read from the per-scenario arrays of ``dashboard.data.scenario_extras``.
Column names of the interval columns are stable (they are also CSV headers):
``lower_80, upper_80, lower_95, upper_95``. Drawing them is ``dashboard.ui.uncertainty``'s job.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data import model, needs_cache, scenario_extras
from dashboard.text.formatting import fmt_number
from dashboard.text.i18n import t
from projections import intervals as iv
from projections.age_groups import BACKTEST_KEYS, label_of
from projections.needs import Assumptions
from projections.small_numbers import is_small_base, whole_interval

# dashboard group key -> projections.intervals age group
GROUP_MAP = {k: label_of(k) for k in BACKTEST_KEYS}  # dashboard key -> interval group


LEVELS = iv.LEVELS


INTERVAL_COLUMNS = tuple(f"{b}_{lv}" for lv in LEVELS for b in ("lower", "upper"))


TRACK_ORIGINS = (2010, 2015, 2019)


TRACK_HORIZON = 5


SMALL_KOMMUNE = 2_000


def interval_arrays(scenario: str, level: int) -> iv.IntervalArrays:
    """Both levels for every region, kept per scenario in ``scenario_extras`` (no projection)."""
    return scenario_extras.extras(scenario).intervals[iv.check_level(level)]


def interval_values(
    code: str, scenario: str, group: str = "total"
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(projected years, {lower_80, upper_80, lower_95, upper_95}) of one region and group.

    Read straight from the cached arrays: the Befolkning chart draws its fan from these on
    every render, without a frame per level.
    """
    g = iv.GROUPS.index(GROUP_MAP.get(group, "total"))
    years = None
    out: dict[str, np.ndarray] = {}
    for lv in LEVELS:
        a = interval_arrays(scenario, lv)
        i = a.index(code)
        years = a.years if years is None else years
        if not np.array_equal(a.years, years):
            raise ValueError("interval levels with different years")
        out[f"lower_{lv}"] = a.lower[g, :, i]
        out[f"upper_{lv}"] = a.upper[g, :, i]
    return np.asarray(years), out


def interval_frame(code: str, scenario: str, group: str = "total") -> pd.DataFrame:
    """year, lower_80, upper_80, lower_95, upper_95 for the projected years."""
    years, bounds = interval_values(code, scenario, group)
    return pd.DataFrame({"year": years, **bounds})


def is_interval_column(name: str) -> bool:
    return any(str(name).endswith(f"_{b}_{lv}") for lv in LEVELS for b in ("lower", "upper"))


def round_sig(x: float, digits: int = 3) -> float:
    """Bounds to 3 significant digits (41 100, not 41 137): no false precision."""
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    return float(round(x, digits - 1 - math.floor(math.log10(abs(x)))))


def _cell_80(code: str, scenario: str, year: int, group: str) -> tuple[float, float, float]:
    """(median, lower, upper) of the 80 % interval of one region, age group and year (the
    last projected year for a later one)."""
    a = interval_arrays(scenario, 80)
    i, g = a.index(code), iv.GROUPS.index(GROUP_MAP[group])
    y = min(int(np.searchsorted(a.years, year)), len(a.years) - 1)
    return float(a.median[g, y, i]), float(a.lower[g, y, i]), float(a.upper[g, y, i])


def relative_half_width(code: str, scenario: str, year: int, group: str = "total") -> float:
    """(upper - lower) / 2 / median of the 80 % interval, in %."""
    median, lower, upper = _cell_80(code, scenario, year, group)
    return (upper - lower) / 2 / median * 100


def small_group_bounds(
    code: str, scenario: str, year: int, group: str
) -> tuple[float, float] | None:
    """Whole 80 % bounds of an age group whose projected number is under 100 people (told as
    counts, ``projections.small_numbers``), else None (told as a percentage)."""
    median, lower, upper = _cell_80(code, scenario, year, group)
    if not bool(is_small_base(median)):
        return None
    _, lo, hi = whole_interval(median, lower, upper)
    return float(lo), float(hi)


# -- track record ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _track_errors() -> pd.DataFrame:
    """Backtest errors from 2010, 2015 and 2019, five years ahead (~1 s, once per process)."""
    e = iv.backtest_errors(TRACK_ORIGINS, TRACK_HORIZON)
    return e[e["horizon"] == TRACK_HORIZON].reset_index(drop=True)


@lru_cache(maxsize=1)
def _track_parts() -> dict[
    int, tuple[dict[str, tuple[float, float, float]], dict[str, float], float, float]
]:
    """Per origin: region -> (log error, projected, observed) of the total, region -> log error
    of 80+, the median absolute kommune error and Norway's error. Split once, so a region's
    track record is a few look-ups rather than filters over every region's errors."""
    e = _track_errors()
    tot = e[e["age_group"] == "total"]
    old = e[e["age_group"] == "80+"]
    parts = {}
    for o in TRACK_ORIGINS:
        t_o = tot[tot["origin"] == o].drop_duplicates("region")  # the first row, as before
        o_o = old[old["origin"] == o].drop_duplicates("region")
        kom = tot[(tot["origin"] == o) & (tot["level"] == "kommune")]
        nor = tot[(tot["origin"] == o) & (tot["level"] == "norge")]
        parts[o] = (
            {
                r: (le, p, ob)
                for r, le, p, ob in zip(
                    t_o["region"], t_o["log_error"], t_o["projected"], t_o["observed"], strict=True
                )
            },
            dict(zip(o_o["region"], o_o["log_error"], strict=True)),
            float(((np.exp(kom["log_error"]) - 1).abs() * 100).median()),
            float((np.exp(nor["log_error"].iloc[0]) - 1) * 100),
        )
    return parts


def _track_record(code: str) -> pd.DataFrame:
    """Per origin: this region's projected and registered population 5 years later, its error,
    and the national figures beside it (median absolute kommune error, Norway's error)."""
    rows = []
    for o, (tot, old, kommune_median, norway) in _track_parts().items():
        here = tot.get(code)
        here80 = old.get(code)
        rows.append(
            {
                "base_year": o,
                "target_year": o + TRACK_HORIZON,
                "projected": float(here[1]) if here is not None else np.nan,
                "observed": float(here[2]) if here is not None else np.nan,
                "error_pct": (np.exp(here[0]) - 1) * 100 if here is not None else np.nan,
                "error_80p_pct": (np.exp(here80) - 1) * 100 if here80 is not None else np.nan,
                "kommuner_median_abs_error_pct": kommune_median,
                "norway_error_pct": norway,
            }
        )
    return pd.DataFrame(rows)


def track_record_frame(code: str) -> pd.DataFrame:
    """Per origin: this region's projected and registered population 5 years later, its error,
    and the national figures beside it (a copy: callers may change it)."""
    return _track_record(code).copy()


# -- services ---------------------------------------------------------------------------------
def _is_default(assumptions: Assumptions | None) -> bool:
    """Today's standard: the bounds come from the precomputed per-scenario arrays."""
    return assumptions is None or assumptions == Assumptions()


@lru_cache(maxsize=16)  # edited assumption sets only: the defaults come from scenario_extras
def _needs_bounds(
    scenario: str, code: str, assumptions: Assumptions, indicators: bool
) -> pd.DataFrame:
    return iv.needs_frame_with_intervals(
        model.projection(scenario), [code], 80, indicators, assumptions
    )


def on_years(years: np.ndarray, src_years: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` (one per sorted ``src_years``) on ``years``, NaN where there is none: the
    left join on year of a merge, without the merge."""
    if len(src_years) == 0:
        return np.full(len(years), np.nan)
    i = np.clip(np.searchsorted(src_years, years), 0, len(src_years) - 1)
    return np.where(src_years[i] == years, values[i], np.nan)


def add_service_interval_columns(
    wide: pd.DataFrame, code: str, scenario: str, measure: str, assumptions: Any
) -> pd.DataFrame:
    """``<sector>_lower_80`` / ``<sector>_upper_80`` beside each sector column, for these
    assumptions (every field counts: a teacher preset changes the bounds too)."""
    ex = scenario_extras.extras(scenario)
    r = ex.region_index(code)
    if (
        _is_default(assumptions) and r is not None
    ):  # the defaults: from the per-scenario bounds' arrays
        years = ex.intervals[scenario_extras.BOUND_LEVEL].years
        cols = {c: wide[c].to_numpy() for c in wide.columns}
        for sector in [c for c in wide.columns if c != "year"]:
            i = ex.series.index((sector, measure))
            for b, arr in (("lower", ex.lower), ("upper", ex.upper)):
                cols[f"{sector}_{b}_80"] = on_years(cols["year"], years, arr[i, :, r])
        return pd.DataFrame(cols, index=wide.index)  # one frame: every Tjenester render
    out = wide.copy()
    f = _needs_bounds(scenario, code, assumptions or Assumptions(), False)
    f = f[f["measure"] == measure]
    for sector in [c for c in wide.columns if c != "year"]:
        s = f[f["sector"] == sector].set_index("year")
        for b in ("lower", "upper"):
            out[f"{sector}_{b}_80"] = s[b].reindex(out["year"]).to_numpy()
    return out


def add_pressure_interval_columns(
    df: pd.DataFrame, code: str, scenario: str, assumptions: Any
) -> pd.DataFrame:
    """per_1000_lower_80 / per_1000_upper_80 for the staffing-pressure key years."""
    ex = scenario_extras.extras(scenario)
    r = ex.region_index(code)
    if (
        _is_default(assumptions) and r is not None
    ):  # the defaults: from the per-scenario bounds' arrays
        years = ex.intervals[scenario_extras.BOUND_LEVEL].years
        cols = {c: df[c].to_numpy() for c in df.columns}
        for b, arr in (("lower", ex.pressure_lower), ("upper", ex.pressure_upper)):
            cols[f"per_1000_{b}_80"] = on_years(cols["year"], years, arr[:, r])
        return pd.DataFrame(cols, index=df.index)
    ind = _needs_bounds(scenario, code, assumptions or Assumptions(), True)
    name = (
        needs_cache.PRESSURE_INDICATOR
        if needs_cache.PRESSURE_INDICATOR in set(ind["indicator"])
        else None
    )
    out = df.copy()
    if name is None:
        return out
    s = ind[ind["indicator"] == name].set_index("year")
    out["per_1000_lower_80"] = s["lower"].reindex(out["year"]).to_numpy()
    out["per_1000_upper_80"] = s["upper"].reindex(out["year"]).to_numpy()
    return out


def service_headers(sectors: list[str], lang: str) -> dict[str, str]:
    out = {}
    for s in sectors:
        name = t(f"sector.{s}", lang)
        out[f"{s}_lower_80"] = t("unc.col.sector_lower", lang, name=name)
        out[f"{s}_upper_80"] = t("unc.col.sector_upper", lang, name=name)
    return out


def range_text(code: str, scenario: str, year: int, lang: str, group: str = "total") -> str:
    """'38 000–44 500': the 80 % interval for one year, rounded as on the key cards."""
    b = bounds(code, scenario, year, group)
    if b is None:
        return "–"
    return f"{fmt_number(round_sig(b[0]), lang)}–{fmt_number(round_sig(b[1]), lang)}"


def kommune_bounds(
    scenario: str, year: int, kommuner: tuple[str, ...], group: str = "total"
) -> tuple[np.ndarray, np.ndarray]:
    """The 80 % interval (lower, upper) of each of ``kommuner`` in ``year``, NaN for one
    without: the map's table, read from the arrays in the map's own kommune order."""
    a = interval_arrays(scenario, 80)
    g, y = iv.GROUPS.index(GROUP_MAP[group]), a.year_index(year)
    pos = _positions(tuple(a.regions), kommuner)
    found = pos >= 0
    lower = np.where(found, a.lower[g, y, pos].astype(float), np.nan)
    upper = np.where(found, a.upper[g, y, pos].astype(float), np.nan)
    return lower, upper


@lru_cache(maxsize=4)
def _positions(regions: tuple[str, ...], codes: tuple[str, ...]) -> np.ndarray:
    """Position of each code in ``regions`` (-1 where absent); a few kB per region list."""
    at = {c: i for i, c in enumerate(regions)}
    return np.array([at.get(c, -1) for c in codes], dtype=int)


def bounds(code: str, scenario: str, year: int, group: str = "total") -> tuple[float, float] | None:
    """The 80 % interval (lower, upper) of one age group in one year, or None without one."""
    if group not in GROUP_MAP:
        return None
    a = interval_arrays(scenario, 80)
    try:
        y, i = a.year_index(year), a.index(code)
    except ValueError:
        return None
    g = iv.GROUPS.index(GROUP_MAP[group])
    return float(a.lower[g, y, i]), float(a.upper[g, y, i])
