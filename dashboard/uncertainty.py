"""Prediction intervals in the dashboard: fan chart, key-card intervals, track record.

Numbers come from ``projections.intervals`` (empirical intervals calibrated on backtest errors,
docs/uncertainty.md); this module only shapes them for display, with small bounded caches.
Column names of the interval columns are stable (they are also CSV headers):
``lower_80, upper_80, lower_95, upper_95``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard import components, model, scenario_extras
from dashboard.formatting import fmt_number, fmt_percent
from dashboard.i18n import t
from projections import intervals as iv

# dashboard group key -> projections.intervals age group
GROUP_MAP = {
    "total": "total",
    "0_5": "0-5",
    "6_15": "6-15",
    "16_66": "16-66",
    "67_79": "67-79",
    "80p": "80+",
}
LEVELS = iv.LEVELS
INTERVAL_COLUMNS = tuple(f"{b}_{lv}" for lv in LEVELS for b in ("lower", "upper"))
TRACK_ORIGINS = (2010, 2015, 2019)
TRACK_HORIZON = 5
SMALL_KOMMUNE = 2_000
FAN = {80: "rgba(0,114,178,0.28)", 95: "rgba(0,114,178,0.12)"}
FAN_EDGE = "#0072B2"  # 5.2:1 against white: the fan's edges (its fills are 1.5 and 1.2:1)


def _arrays(scenario: str, level: int) -> iv.IntervalArrays:
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
        a = _arrays(scenario, lv)
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


def band(
    x: list[int], lo: list[float], hi: list[float], name: str, colour: str, edge: str = ""
) -> list[dict]:
    """An upper line and a lower line filled up to it (a shaded band). The light fill alone
    is under 3:1 against white: ``edge`` (a colour of at least 3:1) draws its two edges as
    thin dotted lines (WCAG 1.4.11)."""
    line = {"width": 1, "color": edge, "dash": "dot"} if edge else {"width": 0}
    return [
        {
            "type": "scatter",
            "x": x,
            "y": hi,
            "mode": "lines",
            "line": line,
            "hoverinfo": "skip",
            "showlegend": False,
            "name": f"{name} hi",
        },
        {
            "type": "scatter",
            "x": x,
            "y": lo,
            "mode": "lines",
            "line": line,
            "fill": "tonexty",
            "fillcolor": colour,
            "name": name,
            "hoverinfo": "skip",
        },
    ]


def add_fan(
    fig: dict[str, Any], intervals: tuple[np.ndarray, dict[str, np.ndarray]], lang: str
) -> dict[str, Any]:
    """The 95 % (light) and 80 % (darker) fan of ``interval_values`` behind the projection
    line (after the observed line); the scenario band hatched, so it is not read as the fan."""
    years, bounds = intervals
    x = years.tolist()
    traces: list[dict[str, Any]] = []
    for lv in (95, 80):
        traces += band(
            x,
            bounds[f"lower_{lv}"].tolist(),
            bounds[f"upper_{lv}"].tolist(),
            t("unc.fan_legend", lang, level=lv),
            FAN[lv],
            FAN_EDGE,
        )
    fig["data"][1:1] = traces
    band_name = t("fig.band", lang)
    for trace in fig["data"]:
        if trace.get("name") == band_name and trace.get("fill"):
            trace["fillcolor"] = "rgba(0,0,0,0)"
            trace["fillpattern"] = {"shape": "/", "fgcolor": "#A63D00", "size": 7, "solidity": 0.15}
    return fig


def round_sig(x: float, digits: int = 3) -> float:
    """Bounds to 3 significant digits (41 100, not 41 137): no false precision."""
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    return float(round(x, digits - 1 - math.floor(math.log10(abs(x)))))


def card_value(
    code: str, scenario: str, key: str, year: int, value: float, lang: str, decimals: int = 0
) -> Any:
    """Key-card cell: '41 100' plus '(80 %: 38 000–44 500)' for age-group counts."""
    text = fmt_number(value, lang, decimals)
    b = bounds(code, scenario, year, key)  # straight from the cached arrays: 21 cards per page
    if b is None:
        return text
    lo, hi = round_sig(b[0]), round_sig(b[1])
    return [
        text,
        components.raw_element(
            "Span",
            t("unc.card_interval", lang, lo=fmt_number(lo, lang), hi=fmt_number(hi, lang)),
            className="keyfig-interval",
        ),
    ]


def relative_half_width(code: str, scenario: str, year: int, group: str = "total") -> float:
    """(upper - lower) / 2 / median of the 80 % interval, in %."""
    a = _arrays(scenario, 80)
    i, g = a.index(code), iv.GROUPS.index(GROUP_MAP[group])
    y = int(np.searchsorted(a.years, year))
    y = min(y, len(a.years) - 1)
    return float((a.upper[g, y, i] - a.lower[g, y, i]) / 2 / a.median[g, y, i] * 100)


def certainty_sentence(code: str, scenario: str, lang: str) -> html.Div:
    """How sure we are, in plain words, with a clear note for small kommuner."""
    year = 2040
    a = _arrays(scenario, 80)
    i = a.index(code)
    y = min(int(np.searchsorted(a.years, year)), len(a.years) - 1)
    year = int(a.years[y])
    lo, hi = round_sig(a.lower[0, y, i]), round_sig(a.upper[0, y, i])
    size = float(a.median[0, 0, i])
    parts = [
        t(
            "unc.sentence" if len(code) == 4 else "unc.sentence_aggregate",
            lang,
            year=year,
            lo=fmt_number(lo, lang),
            hi=fmt_number(hi, lang),
            pm=fmt_number(relative_half_width(code, scenario, year), lang),
            young=fmt_number(relative_half_width(code, scenario, year, "0_5"), lang),
        )
    ]
    children = [html.P(parts[0], id="unc-sentence")]
    if len(code) == 4 and size < SMALL_KOMMUNE:
        children.append(
            html.P(
                t("unc.small_note", lang, n=fmt_number(size, lang)),
                className="unc-small",
                id="unc-small-note",
            )
        )
    children.append(html.P(t("unc.scenarios_note", lang), className="muted"))
    return html.Div(children, className="card unc-certainty", id="unc-certainty")


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


def track_record_block(code: str, lang: str) -> html.Section:
    """A small table: how far off the model was for this region, beside the national figures."""
    from dashboard import components

    df = track_record_frame(code)
    headers = {c: t(f"unc.tr.{c}", lang) for c in df.columns}
    decimals = {c: 1 for c in df.columns if c.endswith("_pct")}
    shown = df.copy()
    worst = df["error_pct"].abs().max()
    summary = (
        t("unc.tr.summary", lang, worst=fmt_percent(worst, lang, 1))
        if np.isfinite(worst)
        else t("unc.tr.not_scored", lang)
    )
    return html.Section(
        className="card",
        id="track-record",
        **{"aria-labelledby": "track-record-title"},
        children=[
            html.H2(t("unc.tr.title", lang), className="chart-title", id="track-record-title"),
            html.P(t("unc.tr.lead", lang, h=TRACK_HORIZON)),
            html.Div(
                components.data_table(shown, lang, headers=headers, decimals=decimals),
                className="table-scroll",
                id="track-record-table",
            ),
            html.P(summary, className="chart-summary"),
        ],
    )


# -- services ---------------------------------------------------------------------------------
@lru_cache(maxsize=16)  # edited assumption sets only: the defaults come from scenario_extras
def _needs_bounds(scenario: str, code: str, key: str, indicators: bool) -> pd.DataFrame:
    from dashboard.chartdata import decode_assumptions

    return iv.needs_frame_with_intervals(
        model.projection(scenario), [code], 80, indicators, decode_assumptions(key)
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
    """``<sector>_lower_80`` / ``<sector>_upper_80`` beside each sector column."""
    from dashboard.chartdata import encode_assumptions

    key = encode_assumptions(assumptions)
    ex = scenario_extras.extras(scenario)
    r = ex.region_index(code)
    if key == "" and r is not None:  # the defaults: from the per-scenario bounds' arrays
        years = ex.intervals[scenario_extras.BOUND_LEVEL].years
        cols = {c: wide[c].to_numpy() for c in wide.columns}
        for sector in [c for c in wide.columns if c != "year"]:
            i = ex.series.index((sector, measure))
            for b, arr in (("lower", ex.lower), ("upper", ex.upper)):
                cols[f"{sector}_{b}_80"] = on_years(cols["year"], years, arr[i, :, r])
        return pd.DataFrame(cols, index=wide.index)  # one frame: every Tjenester render
    out = wide.copy()
    f = _needs_bounds(scenario, code, key, False)
    f = f[f["measure"] == measure]
    for sector in [c for c in wide.columns if c != "year"]:
        s = f[f["sector"] == sector].set_index("year")
        for b in ("lower", "upper"):
            out[f"{sector}_{b}_80"] = s[b].reindex(out["year"]).to_numpy()
    return out


def add_service_bands(fig: dict[str, Any], df: pd.DataFrame, lang: str) -> dict[str, Any]:
    """A light 80 % band behind each sector line, in the line's colour."""
    bands: list[dict[str, Any]] = []
    x = [int(v) for v in df["year"]]
    for trace, col in zip(fig["data"], [c for c in df.columns if c != "year"], strict=False):
        if f"{col}_lower_80" not in df:
            continue
        colour = trace.get("line", {}).get("color", "#0072B2")
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        band_traces = band(
            x,
            [float(v) for v in df[f"{col}_lower_80"]],
            [float(v) for v in df[f"{col}_upper_80"]],
            t("unc.band_legend", lang, name=trace.get("name", col)),
            f"rgba({rgb[0]},{rgb[1]},{rgb[2]},0.15)",
            colour,  # the sector line's colour: at least 3:1 (dashboard/figures.py)
        )
        band_traces[1]["showlegend"] = False
        bands += band_traces
    fig["data"] = bands + fig["data"]
    return fig


def add_pressure_interval_columns(
    df: pd.DataFrame, code: str, scenario: str, assumptions: Any
) -> pd.DataFrame:
    """per_1000_lower_80 / per_1000_upper_80 for the staffing-pressure key years."""
    from dashboard.chartdata import encode_assumptions

    key = encode_assumptions(assumptions)
    ex = scenario_extras.extras(scenario)
    r = ex.region_index(code)
    if key == "" and r is not None:  # the defaults: from the per-scenario bounds' arrays
        years = ex.intervals[scenario_extras.BOUND_LEVEL].years
        cols = {c: df[c].to_numpy() for c in df.columns}
        for b, arr in (("lower", ex.pressure_lower), ("upper", ex.pressure_upper)):
            cols[f"per_1000_{b}_80"] = on_years(cols["year"], years, arr[:, r])
        return pd.DataFrame(cols, index=df.index)
    ind = _needs_bounds(scenario, code, key, True)
    name = model.PRESSURE_INDICATOR if model.PRESSURE_INDICATOR in set(ind["indicator"]) else None
    out = df.copy()
    if name is None:
        return out
    s = ind[ind["indicator"] == name].set_index("year")
    out["per_1000_lower_80"] = s["lower"].reindex(out["year"]).to_numpy()
    out["per_1000_upper_80"] = s["upper"].reindex(out["year"]).to_numpy()
    return out


def add_pressure_error_bars(fig: dict[str, Any], df: pd.DataFrame) -> dict[str, Any]:
    if "per_1000_upper_80" not in df or not fig["data"]:
        return fig
    v = df["per_1000"].to_numpy(float)
    fig["data"][0]["error_y"] = {
        "type": "data",
        "symmetric": False,
        "array": [float(x) for x in np.nan_to_num(df["per_1000_upper_80"].to_numpy(float) - v)],
        "arrayminus": [
            float(x) for x in np.nan_to_num(v - df["per_1000_lower_80"].to_numpy(float))
        ],
        "color": "#6B7280",
        "thickness": 1.5,
        "width": 6,
    }
    # labels at the foot of the bars (white), the whiskers above; room for the whiskers
    fig["data"][0]["textposition"] = "inside"
    fig["data"][0]["insidetextanchor"] = "start"
    fig["data"][0]["textfont"] = {**fig["data"][0].get("textfont", {}), "color": "white"}
    top = float(np.nanmax(df["per_1000_upper_80"].to_numpy(float)))
    yaxis = fig["layout"].get("yaxis", {})
    if np.isfinite(top) and "range" in yaxis:
        yaxis["range"] = [0, max(yaxis["range"][1], top * 1.08)]
    return fig


def service_headers(sectors: list[str], lang: str) -> dict[str, str]:
    out = {}
    for s in sectors:
        name = t(f"sector.{s}", lang)
        out[f"{s}_lower_80"] = t("unc.col.sector_lower", lang, name=name)
        out[f"{s}_upper_80"] = t("unc.col.sector_upper", lang, name=name)
    return out


def om_summary(lang: str) -> html.Section:
    return html.Section(
        [html.H2(t("unc.om_title", lang)), dcc.Markdown(t("unc.om_text", lang), id="unc-om")],
        className="card",
        id="uncertainty",
    )


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
    a = _arrays(scenario, 80)
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
    a = _arrays(scenario, 80)
    try:
        y, i = a.year_index(year), a.index(code)
    except ValueError:
        return None
    g = iv.GROUPS.index(GROUP_MAP[group])
    return float(a.lower[g, y, i]), float(a.upper[g, y, i])
