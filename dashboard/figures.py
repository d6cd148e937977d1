"""Plotly figure builders with one calm, official style.

Figures are built as plain dicts (Plotly's JSON schema) rather than ``go.Figure`` objects:
validation in graph_objects costs ~100 ms per figure, which would make switching kommune feel
slow. Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); the
observed series uses the navy of the header and the chosen scenario the blue accent.
Separators follow the language (decimal comma and space thousands in Norwegian).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import t

Figure = dict[str, Any]

# Okabe-Ito hues, the light ones darkened so that every line, bar and band edge has at least
# 3:1 contrast with the white chart (WCAG 1.4.11; ratios against #FFFFFF in the comments).
# Orange and vermilion differ in lightness too (3.6 vs 6.3), not only in hue.
NAVY = "#002F5F"  # 13.4
BLUE = "#0072B2"  # 5.2
SKY = "#3B8BC2"  # 3.7 (Okabe-Ito #56B4E9: 2.3)
ORANGE = "#B87A00"  # 3.6 (#E69F00: 2.3)
GREEN = "#009E73"  # 3.4
VERMILION = "#A63D00"  # 6.3 (#D55E00: 3.9)
PURPLE = "#CC79A7"  # 3.1
YELLOW = "#F0E442"  # 1.3: never a line or bar
GREY = "#6B7280"  # 4.8
GRID = "#E5E7EB"  # decoration (gridlines), not a graphical object
AXIS = "#7B8390"  # 3.8 (was #9CA3AF: 2.5)
OKABE_ITO = [BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, NAVY, "#8A7A00"]
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif'
)
GROUP_COLOURS = {
    "0_5": ORANGE,
    "6_15": PURPLE,  # not a second yellow beside the orange 0-5 line
    "16_66": BLUE,
    "67_79": GREEN,
    "80p": VERMILION,
    "total": NAVY,
}

# One colour per sector in every chart (green is hjemmetjenester everywhere, never also
# pleie og omsorg).
SECTOR_COLOURS = {
    "barnehage": ORANGE,
    "grunnskole": BLUE,
    "hjemmetjenester": GREEN,
    "heldogns_omsorg": VERMILION,
    "institusjon": PURPLE,
    "bolig_heldogn": SKY,
    "pleie_og_omsorg": NAVY,
    "alle": GREY,
}


def year_ticks(years: Any) -> dict[str, Any]:
    """x-axis ticks every 5 (or 10) years that always label the last year (2050)."""
    arr = np.asarray(years, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return {}
    lo, hi = int(arr.min()), int(arr.max())
    step = 10 if hi - lo > 30 else 5
    ticks = list(range(-(-lo // step) * step, hi + 1, step))
    if not ticks or hi - ticks[-1] >= step / 2:
        ticks.append(hi)
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [str(v) for v in ticks]}


def _list(values: Any) -> list[Any]:
    """JSON-safe list (NaN -> None so Plotly leaves a gap)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "fc":
        return [None if v != v else float(v) for v in arr.tolist()]
    return arr.tolist()


def _axis(**extra: Any) -> dict[str, Any]:
    base = {
        "gridcolor": GRID,
        "zeroline": False,
        "linecolor": AXIS,
        "automargin": True,
        "tickfont": {"size": 13},
    }
    base.update(extra)
    return base


def base_layout(lang: str, height: int = 400, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "autosize": True,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "font": {"family": FONT, "size": 14, "color": "#1F2937"},
        "separators": PLOTLY_SEPARATORS.get(lang, ", "),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "white"},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": 13},
        },
        "xaxis": _axis(showline=True),
        "yaxis": _axis(rangemode="tozero", tickformat=",~g"),
        "hovermode": "x unified",
        "colorway": OKABE_ITO,
    }
    for key, value in extra.items():
        if key in ("xaxis", "yaxis") and isinstance(value, dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def _vline(x: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": AXIS, "width": 1, "dash": "dot"},
    }


def _hline(y: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": AXIS, "width": 1},
    }


def scenario_name(code: str, lang: str) -> str:
    """ "Høy nasjonal vekst (HHMH)": a scenario line is named in words, with its code."""
    label = t(f"scenario.{code}", lang)
    return code if label == f"scenario.{code}" else f"{label} ({code})"


def population_figure(
    years: np.ndarray,
    observed: np.ndarray,
    values: np.ndarray,
    band: tuple[np.ndarray, np.ndarray] | None,
    others: dict[str, np.ndarray],
    scenario: str,
    base_year: int,
    lang: str,
) -> Figure:
    """History (solid navy) joined to the chosen scenario (dashed blue), others as a band.

    Arrays over ``years``: ``observed`` marks the registered years, ``values`` the chosen
    scenario's numbers (history joined), ``band`` (low, high) and each other scenario's
    numbers; only the years from ``base_year`` on are drawn for those.
    """
    future = years >= base_year
    x_future = _list(years[future])
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": _list(years[observed]),
            "y": _list(values[observed]),
            "mode": "lines",
            "name": t("fig.observed", lang),
            "line": {"color": NAVY, "width": 3},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "scatter",
            "x": x_future,
            "y": _list(values[future]),
            "mode": "lines",
            "name": t("fig.projected", lang, scenario=scenario),
            "line": {"color": BLUE, "width": 3, "dash": "dash"},
            "hovertemplate": "%{y:,.0f}",
        },
    ]
    if band is not None and future.any():
        low, high = band
        data.append(
            {
                "type": "scatter",
                "x": x_future,
                "y": _list(high[future]),
                "mode": "lines",
                "line": {"width": 1, "color": SKY, "dash": "dot"},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "high",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": x_future,
                "y": _list(low[future]),
                "mode": "lines",
                "line": {"width": 1, "color": SKY, "dash": "dot"},  # edges: 3.7:1
                "fill": "tonexty",
                "fillcolor": "rgba(59,139,194,0.2)",
                "name": t("fig.band", lang),
                "hoverinfo": "skip",
            }
        )
    for i, (code, other) in enumerate(others.items()):
        data.append(
            {
                "type": "scatter",
                "x": x_future,
                "y": _list(other[future]),
                "mode": "lines",
                "name": scenario_name(code, lang),
                "line": {"width": 2, "dash": "dot", "color": OKABE_ITO[(i + 1) % len(OKABE_ITO)]},
                "hovertemplate": "%{y:,.0f}",
            }
        )
    layout = base_layout(
        lang,
        yaxis={"rangemode": "normal", "tickformat": ",.0f"},
        xaxis=year_ticks(years),
    )
    layout["shapes"] = [_vline(base_year)]
    return {"data": data, "layout": layout}


def index_figure(
    df: pd.DataFrame | Mapping[str, np.ndarray], groups: Sequence[str], base_year: int, lang: str
) -> Figure:
    """Growth of age groups as an index (base year = 100), from a frame or its columns."""
    # numpy on the columns: the same arithmetic as on the pandas frame, ~10x cheaper
    all_years = np.asarray(df["year"])
    keep = all_years >= base_year
    years = all_years[keep]
    at_base = int(np.flatnonzero(years == base_year)[0])
    data = []
    for g in groups:
        values = np.asarray(df[g])[keep]
        base = values[at_base]
        if not base:
            continue
        data.append(
            {
                "type": "scatter",
                "x": _list(years),
                "y": _list(values / base * 100),
                "mode": "lines",
                "name": t(f"group.{g}", lang),
                "line": {"color": GROUP_COLOURS.get(g, GREY), "width": 3.5 if g == "80p" else 2.2},
                "hovertemplate": "%{y:.0f}",
            }
        )
    layout = base_layout(
        lang,
        yaxis={
            "rangemode": "normal",
            "title": {"text": t("fig.index_axis", lang, year=base_year)},
        },
        xaxis=year_ticks(years),
    )
    layout["shapes"] = [_hline(100)]
    return {"data": data, "layout": layout}


def _nice_ticks(m: float) -> list[float]:
    step = 10 ** np.floor(np.log10(m / 2)) if m > 0 else 1
    for mult in (1, 2, 2.5, 5, 10):
        if m / (step * mult) <= 4:
            step = step * mult
            break
    return [float(v) for v in np.arange(0, m + step * 0.01, step)]


def pyramid_figure(
    cur: np.ndarray, base: np.ndarray, year: int, base_year: int, lang: str
) -> Figure:
    """Population pyramid for ``year`` with the base year drawn as an outline.

    ``cur`` and ``base``: (2, ages) arrays, male then female, one column per single year.
    """
    age = list(range(cur.shape[1]))
    male, female = _list(cur[0]), _list(cur[1])
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "y": age,
            "x": _list(-cur[0]),
            "name": t("sex.male", lang),
            "marker": {"color": BLUE},
            "customdata": male,
            "hovertemplate": "%{customdata:,.0f}",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": age,
            "x": female,
            "name": t("sex.female", lang),
            "marker": {"color": ORANGE},
            "customdata": female,
            "hovertemplate": "%{customdata:,.0f}",
        },
    ]
    if year != base_year:
        for row, sign in ((0, -1), (1, 1)):
            data.append(
                {
                    "type": "scatter",
                    "y": age,
                    "x": _list(sign * base[row]),
                    "mode": "lines",
                    "line": {"color": "#111827", "width": 1.5, "shape": "hvh"},
                    "name": t("fig.base_outline", lang, year=base_year),
                    "showlegend": row == 0,
                    "legendgroup": "base",
                    "hoverinfo": "skip",
                }
            )
    m = float(max(cur.max(), base.max(), 1))
    ticks = _nice_ticks(m)
    sep = PLOTLY_SEPARATORS.get(lang, ", ")[1]
    labels = [f"{v:,.0f}".replace(",", sep) for v in ticks]
    layout = base_layout(
        lang,
        height=500,
        barmode="overlay",
        bargap=0.08,
        hovermode="y unified",
        xaxis={
            "tickvals": [-v for v in ticks[::-1]] + ticks[1:],
            "ticktext": labels[::-1] + labels[1:],
            "range": [-m * 1.05, m * 1.05],
            "title": {"text": t("fig.persons", lang)},
        },
        yaxis={
            "title": {"text": t("fig.age", lang)},
            "range": [-0.5, 100.5],
            "rangemode": "normal",
        },
    )
    return {"data": data, "layout": layout}


def components_figure(df: pd.DataFrame, lang: str) -> Figure:
    """Births, deaths (drawn downwards) and net migration per year, with the net change."""
    years = df["year"].to_numpy()  # arrays: the same arithmetic as on the columns, cheaper
    births, deaths = df["births"].to_numpy(), df["deaths"].to_numpy()
    migration = df["net_migration"].to_numpy()
    x = _list(years)
    change = births - deaths + migration
    data = [
        {
            "type": "bar",
            "x": x,
            "y": _list(births),
            "name": t("comp.births", lang),
            "marker": {"color": GREEN},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "bar",
            "x": x,
            "y": _list(-deaths),
            "name": t("comp.deaths", lang),
            "marker": {"color": VERMILION},
            "customdata": _list(deaths),
            "hovertemplate": "%{customdata:,.0f}",
        },
        {
            "type": "bar",
            "x": x,
            "y": _list(migration),
            "name": t("comp.net_migration", lang),
            "marker": {"color": SKY},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "scatter",
            "x": x,
            "y": _list(change),
            "name": t("comp.change", lang),
            "mode": "lines+markers",
            "line": {"color": NAVY, "width": 2},
            "marker": {"size": 5},
            "hovertemplate": "%{y:,.0f}",
        },
    ]
    layout = base_layout(
        lang,
        barmode="relative",
        yaxis={"rangemode": "normal", "zeroline": True, "zerolinecolor": GREY},
        xaxis=year_ticks(years),
    )
    return {"data": data, "layout": layout}


def lines_figure(
    df: pd.DataFrame | Mapping[str, Any],
    x: str,
    series: Sequence[tuple[str, str]],
    lang: str,
    base_year: int | None = None,
    yaxis_title: str = "",
    decimals: int = 0,
    height: int = 400,
    rangemode: str = "tozero",
    colours: dict[str, str] | None = None,
) -> Figure:
    """Generic multi-line chart: ``series`` are (column, legend label); ``colours`` fixes a
    colour per column (sectors keep theirs across charts). ``df``: a frame or its columns as
    arrays (cheaper to read on a page render)."""
    fmt = f"%{{y:,.{decimals}f}}"
    data = [
        {
            "type": "scatter",
            "x": _list(df[x]),
            "y": _list(df[col]),
            "mode": "lines",
            "name": label,
            "line": {
                "color": (colours or {}).get(col, OKABE_ITO[i % len(OKABE_ITO)]),
                "width": 2.5,
            },
            "hovertemplate": fmt,
        }
        for i, (col, label) in enumerate(series)
    ]
    layout = base_layout(
        lang,
        height=height,
        yaxis={"rangemode": rangemode, "title": {"text": yaxis_title}},
        xaxis=year_ticks(df[x]) if x == "year" else {},
    )
    if base_year is not None:
        layout["shapes"] = [_vline(base_year)]
    return {"data": data, "layout": layout}


def pressure_figure(df: pd.DataFrame, lang: str) -> Figure:
    """Care årsverk per 1000 inhabitants 20-66 in the base year and key years.

    ``df``: year, per_1000, care_ratio. One message: how much heavier the load gets.
    """
    per_1000, care_ratio = df["per_1000"].to_numpy(), df["care_ratio"].to_numpy()
    years = [str(int(y)) for y in df["year"].tolist()]
    sep = PLOTLY_SEPARATORS.get(lang, ", ")[0]
    text = [f"{v:.1f}".replace(".", sep) for v in per_1000.tolist()]
    colours = [NAVY] + [VERMILION] * (len(df) - 1)
    data = [
        {
            "type": "bar",
            "x": years,
            "y": _list(per_1000),
            "marker": {"color": colours},
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 15, "color": "#1F2937"},
            "customdata": _list(care_ratio),
            "hovertemplate": t("fig.pressure_hover", lang) + "<extra></extra>",
            "width": 0.55,
        }
    ]
    # The care ratio as a number under each year, named once below the row: "Omsorgsbrøk 12,5"
    # under every bar overlapped its neighbours on a 390 px phone.
    annotations = [
        {
            "x": i,  # category index: "2026" as text would be read as the number 2026
            "y": 0,
            "yref": "y",
            "yshift": -42,
            "showarrow": False,
            "text": f"{r:.1f}".replace(".", sep),
            "font": {"size": 13, "color": "#374151"},
        }
        for i, r in enumerate(care_ratio.tolist())
    ]
    annotations.append(
        {
            "x": 0.5,
            "xref": "paper",
            "y": 0,
            "yref": "y",
            "yshift": -66,
            "showarrow": False,
            "text": t("ux.fig.ratio_row", lang),
            "font": {"size": 12, "color": GREY},
        }
    )
    top = float(np.nanmax(per_1000)) if len(df) else 1.0
    layout = base_layout(
        lang,
        height=360,
        hovermode="closest",
        showlegend=False,
        margin={"l": 56, "r": 16, "t": 24, "b": 92},
        xaxis={"type": "category", "showline": True, "tickfont": {"size": 14}},
        yaxis={"range": [0, top * 1.18], "title": {"text": t("fig.per_1000", lang)}},
    )
    layout["annotations"] = annotations
    return {"data": data, "layout": layout}


def map_figure(
    geojson: dict[str, Any] | str,
    df: pd.DataFrame,
    value_col: str,
    label: str,
    lang: str,
    diverging: bool,
    decimals: int = 1,
) -> Figure:
    """Choropleth of kommuner on a blank MapLibre style: no tiles, so it works offline.

    ``geojson`` is a FeatureCollection or the URL the app serves it from (fetched once).
    """
    values = df[value_col].to_numpy(dtype=float)
    if diverging:
        lim = float(np.nanpercentile(np.abs(values), 98)) if len(values) else 1.0
        lim = lim or 1.0
        scale = [
            [0, "#B35806"],
            [0.25, "#F1A340"],
            [0.5, "#F7F7F7"],
            [0.75, "#998EC3"],
            [1, "#542788"],
        ]
        zmin, zmax = -lim, lim
    else:
        scale = [[0, "#EFF6FB"], [0.5, "#56B4E9"], [1, "#002F5F"]]
        zmin = float(np.nanpercentile(values, 2)) if len(values) else 0.0
        zmax = float(np.nanpercentile(values, 98)) if len(values) else 1.0
    data = [
        {
            "type": "choroplethmap",
            "geojson": geojson,
            "locations": df["kommune"].tolist(),
            "z": _list(values),
            "featureidkey": "id",
            "colorscale": scale,
            "zmin": zmin,
            "zmax": zmax,
            "marker": {"line": {"width": 0.4, "color": "white"}, "opacity": 0.95},
            "customdata": [
                [n, c] for n, c in zip(df["name"].tolist(), df["kommune"].tolist(), strict=True)
            ],
            "hovertemplate": "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
            + label
            + ": %{z:,."
            + str(decimals)
            + "f}<extra></extra>",
            "colorbar": {
                "thickness": 14,
                "len": 0.6,
                "tickformat": f",.{decimals}f",
                "outlinewidth": 0,
            },
        }
    ]
    layout = base_layout(
        lang, height=760, margin={"l": 0, "r": 0, "t": 0, "b": 0}, hovermode="closest"
    )
    layout["map"] = {"style": "white-bg", "center": {"lat": 65.4, "lon": 17.2}, "zoom": 3.95}
    return {"data": data, "layout": layout}
