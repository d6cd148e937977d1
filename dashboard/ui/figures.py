"""Plotly figure builders with one calm, official style.

Figures are built as plain dicts (Plotly's JSON schema) rather than ``go.Figure`` objects:
validation in graph_objects costs ~100 ms per figure, which would make switching kommune feel
slow. Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); the
observed series uses the navy of the header and the chosen scenario the blue accent.
Separators follow the language (decimal comma and space thousands in Norwegian).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.text.formatting import PLOTLY_SEPARATORS
from dashboard.text.i18n import t

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


WRAP = 30  # characters: longer legend names and axis titles break (a phone is 390 px wide)


def wrap(text: str, width: int = WRAP) -> str:
    """Break a long label into lines of about ``width`` characters at spaces (Plotly's
    ``<br>``): Plotly neither wraps legend entries nor axis titles, and cuts them instead."""
    return "<br>".join(
        textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    )


def as_list(values: Any) -> list[Any]:
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


def vline(x: float) -> dict[str, Any]:
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
                "x": as_list(years),
                "y": as_list(values / base * 100),
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


def nice_ticks(m: float) -> list[float]:
    step = 10 ** np.floor(np.log10(m / 2)) if m > 0 else 1
    for mult in (1, 2, 2.5, 5, 10):
        if m / (step * mult) <= 4:
            step = step * mult
            break
    return [float(v) for v in np.arange(0, m + step * 0.01, step)]


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
            "x": as_list(df[x]),
            "y": as_list(df[col]),
            "mode": "lines",
            "name": wrap(label),
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
        yaxis={"rangemode": rangemode, "title": {"text": wrap(yaxis_title)}},
        xaxis=year_ticks(df[x]) if x == "year" else {},
    )
    if base_year is not None:
        layout["shapes"] = [vline(base_year)]
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
            "y": as_list(per_1000),
            "marker": {"color": colours},
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 15, "color": "#1F2937"},
            "customdata": as_list(care_ratio),
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
