"""Plotly figure builders with one calm, official style.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); the main
series uses the dark blue of the header so the accent colour keeps one meaning: "the chosen
scenario". Separators follow the language (", " in Norwegian: decimal comma, space thousands).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import t

NAVY = "#002F5F"
BLUE = "#0072B2"
SKY = "#56B4E9"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#6B7280"
GRID = "#E5E7EB"
OKABE_ITO = [BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, NAVY, YELLOW]
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif'
)
GROUP_COLOURS = {
    "0_5": ORANGE,
    "6_15": YELLOW,
    "16_66": BLUE,
    "67_79": GREEN,
    "80p": VERMILION,
    "total": NAVY,
}


def base_layout(lang: str, height: int = 380, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": "plotly_white",
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "font": {"family": FONT, "size": 14, "color": "#1F2937"},
        "separators": PLOTLY_SEPARATORS.get(lang, ", "),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT, "size": 13}},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": 13},
        },
        "xaxis": {"gridcolor": GRID, "zeroline": False, "showline": True, "linecolor": "#9CA3AF"},
        "yaxis": {"gridcolor": GRID, "zeroline": False, "rangemode": "tozero"},
        "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def population_figure(
    df: pd.DataFrame,
    band: pd.DataFrame | None,
    others: dict[str, pd.DataFrame],
    scenario: str,
    base_year: int,
    lang: str,
    column: str = "total",
) -> go.Figure:
    """History (solid navy) joined to the chosen scenario (blue) with a band of the others."""
    fig = go.Figure()
    obs = df[df["kind"] == "observed"]
    proj = df[df["year"] >= base_year]
    if band is not None and not band.empty:
        fig.add_trace(
            go.Scatter(
                x=band["year"],
                y=band["high"],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name="high",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=band["year"],
                y=band["low"],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(86,180,233,0.25)",
                name=t("fig.band", lang),
                hoverinfo="skip",
            )
        )
    for i, (code, other) in enumerate(others.items()):
        o = other[other["year"] >= base_year]
        fig.add_trace(
            go.Scatter(
                x=o["year"],
                y=o[column],
                mode="lines",
                name=code,
                line={"width": 1.5, "dash": "dot", "color": OKABE_ITO[(i + 1) % len(OKABE_ITO)]},
                hovertemplate="%{y:,.0f}",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=obs["year"],
            y=obs[column],
            mode="lines",
            name=t("fig.observed", lang),
            line={"color": NAVY, "width": 3},
            hovertemplate="%{y:,.0f}",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=proj["year"],
            y=proj[column],
            mode="lines",
            name=t("fig.projected", lang, scenario=scenario),
            line={"color": BLUE, "width": 3, "dash": "dash"},
            hovertemplate="%{y:,.0f}",
        )
    )
    fig.add_vline(x=base_year, line={"color": "#9CA3AF", "width": 1, "dash": "dot"})
    fig.update_layout(
        **base_layout(lang, yaxis={"gridcolor": GRID, "rangemode": "normal", "tickformat": ",.0f"})
    )
    return fig


def index_figure(df: pd.DataFrame, groups: Sequence[str], base_year: int, lang: str) -> go.Figure:
    """Growth of age groups as an index (base year = 100)."""
    fig = go.Figure()
    d = df[df["year"] >= base_year].set_index("year")
    for g in groups:
        base = d.at[base_year, g]
        if not base:
            continue
        fig.add_trace(
            go.Scatter(
                x=d.index,
                y=d[g] / base * 100,
                mode="lines",
                name=t(f"group.{g}", lang),
                line={"color": GROUP_COLOURS.get(g, GREY), "width": 3 if g == "80p" else 2},
                hovertemplate="%{y:.0f}",
            )
        )
    fig.add_hline(y=100, line={"color": "#9CA3AF", "width": 1})
    fig.update_layout(
        **base_layout(
            lang,
            yaxis={
                "gridcolor": GRID,
                "rangemode": "normal",
                "title": {"text": t("fig.index_axis", lang, year=base_year)},
            },
        )
    )
    return fig


def pyramid_figure(
    cur: pd.DataFrame, base: pd.DataFrame, year: int, base_year: int, lang: str
) -> go.Figure:
    """Population pyramid for ``year`` with the base year drawn as an outline."""
    fig = go.Figure()
    age = cur["age"]
    fig.add_trace(
        go.Bar(
            y=age,
            x=-cur["male"],
            orientation="h",
            name=t("sex.male", lang),
            marker={"color": BLUE, "line": {"width": 0}},
            customdata=cur["male"],
            hovertemplate="%{customdata:,.0f}",
        )
    )
    fig.add_trace(
        go.Bar(
            y=age,
            x=cur["female"],
            orientation="h",
            name=t("sex.female", lang),
            marker={"color": ORANGE, "line": {"width": 0}},
            customdata=cur["female"],
            hovertemplate="%{customdata:,.0f}",
        )
    )
    if year != base_year:
        for col, sign in (("male", -1), ("female", 1)):
            fig.add_trace(
                go.Scatter(
                    y=base["age"],
                    x=sign * base[col],
                    mode="lines",
                    line={"color": "#111827", "width": 1.5, "shape": "hvh"},
                    name=t("fig.base_outline", lang, year=base_year),
                    showlegend=col == "male",
                    hoverinfo="skip",
                )
            )
    m = float(
        max(cur[["male", "female"]].to_numpy().max(), base[["male", "female"]].to_numpy().max(), 1)
    )
    ticks = _nice_ticks(m)
    fig.update_layout(
        **base_layout(
            lang,
            height=460,
            barmode="overlay",
            bargap=0.05,
            hovermode="y unified",
            xaxis={
                "tickvals": [-v for v in ticks[::-1]] + ticks[1:],
                "ticktext": [f"{v:,.0f}" for v in ticks[::-1]] + [f"{v:,.0f}" for v in ticks[1:]],
                "range": [-m * 1.05, m * 1.05],
                "gridcolor": GRID,
                "title": {"text": t("fig.persons", lang)},
            },
            yaxis={
                "title": {"text": t("fig.age", lang)},
                "gridcolor": GRID,
                "range": [-0.5, 100.5],
            },
        )
    )
    return fig


def _nice_ticks(m: float) -> list[float]:
    step = 10 ** np.floor(np.log10(m / 2)) if m > 0 else 1
    for mult in (1, 2, 2.5, 5, 10):
        if m / (step * mult) <= 4:
            step = step * mult
            break
    return [float(v) for v in np.arange(0, m + step * 0.01, step)]


def components_figure(df: pd.DataFrame, lang: str) -> go.Figure:
    """Births, deaths (drawn downwards) and net migration per year, with the net change."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=df["year"],
            y=df["births"],
            name=t("comp.births", lang),
            marker_color=GREEN,
            hovertemplate="%{y:,.0f}",
        )
    )
    fig.add_trace(
        go.Bar(
            x=df["year"],
            y=-df["deaths"],
            name=t("comp.deaths", lang),
            marker_color=VERMILION,
            customdata=df["deaths"],
            hovertemplate="%{customdata:,.0f}",
        )
    )
    fig.add_trace(
        go.Bar(
            x=df["year"],
            y=df["net_migration"],
            name=t("comp.net_migration", lang),
            marker_color=SKY,
            hovertemplate="%{y:,.0f}",
        )
    )
    change = df["births"] - df["deaths"] + df["net_migration"]
    fig.add_trace(
        go.Scatter(
            x=df["year"],
            y=change,
            name=t("comp.change", lang),
            mode="lines+markers",
            line={"color": NAVY, "width": 2},
            marker={"size": 5},
            hovertemplate="%{y:,.0f}",
        )
    )
    fig.update_layout(
        **base_layout(
            lang,
            barmode="relative",
            yaxis={
                "gridcolor": GRID,
                "rangemode": "normal",
                "zeroline": True,
                "zerolinecolor": "#6B7280",
            },
        )
    )
    return fig


def lines_figure(
    df: pd.DataFrame,
    x: str,
    series: Sequence[tuple[str, str]],
    lang: str,
    base_year: int | None = None,
    yaxis_title: str = "",
    decimals: int = 0,
    height: int = 380,
) -> go.Figure:
    """Generic multi-line chart: ``series`` are (column, legend label)."""
    fig = go.Figure()
    fmt = f"%{{y:,.{decimals}f}}"
    for i, (col, label) in enumerate(series):
        fig.add_trace(
            go.Scatter(
                x=df[x],
                y=df[col],
                mode="lines",
                name=label,
                line={"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 2.5},
                hovertemplate=fmt,
            )
        )
    if base_year is not None:
        fig.add_vline(x=base_year, line={"color": "#9CA3AF", "width": 1, "dash": "dot"})
    fig.update_layout(
        **base_layout(
            lang,
            height=height,
            yaxis={"gridcolor": GRID, "rangemode": "tozero", "title": {"text": yaxis_title}},
        )
    )
    return fig


def pressure_figure(df: pd.DataFrame, lang: str) -> go.Figure:
    """Care årsverk per 1000 inhabitants 20-66 in the base year and key years.

    ``df``: year, per_1000, care_ratio. One message: how much heavier the load gets.
    """
    years = [str(y) for y in df["year"]]
    colours = [NAVY] + [VERMILION] * (len(df) - 1)
    fig = go.Figure(
        go.Bar(
            x=years,
            y=df["per_1000"],
            marker_color=colours,
            text=[f"{v:,.1f}" for v in df["per_1000"]],
            textposition="outside",
            cliponaxis=False,
            customdata=df["care_ratio"],
            hovertemplate=t("fig.pressure_hover", lang) + "<extra></extra>",
        )
    )
    for y, r in zip(years, df["care_ratio"], strict=True):
        fig.add_annotation(
            x=y,
            y=0,
            yshift=-38,
            showarrow=False,
            text=t("fig.ratio_annot", lang, ratio=f"{r:,.1f}"),
            font={"size": 12, "color": GREY},
        )
    fig.update_layout(
        **base_layout(
            lang,
            height=360,
            hovermode="closest",
            margin={"l": 56, "r": 16, "t": 24, "b": 72},
            xaxis={"type": "category", "showline": True, "linecolor": "#9CA3AF"},
            yaxis={
                "gridcolor": GRID,
                "rangemode": "tozero",
                "title": {"text": t("fig.per_1000", lang)},
            },
        )
    )
    return fig


def bars_figure(
    labels: Sequence[str],
    values: Sequence[float],
    lang: str,
    decimals: int = 1,
    highlight: int | None = None,
    yaxis_title: str = "",
    height: int = 340,
) -> go.Figure:
    colours = [BLUE] * len(labels)
    if highlight is not None and 0 <= highlight < len(colours):
        colours[highlight] = NAVY
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=list(values),
            marker_color=colours,
            text=[f"{v:,.{decimals}f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y:,.{decimals}f}}<extra></extra>",
        )
    )
    fig.update_layout(
        **base_layout(
            lang,
            height=height,
            hovermode="closest",
            yaxis={"gridcolor": GRID, "rangemode": "tozero", "title": {"text": yaxis_title}},
        )
    )
    return fig


def map_figure(
    geojson: dict[str, Any],
    df: pd.DataFrame,
    value_col: str,
    label: str,
    lang: str,
    diverging: bool,
    decimals: int = 1,
) -> go.Figure:
    """Choropleth of kommuner (no base-map tiles: works offline)."""
    if diverging:
        lim = float(np.nanmax(np.abs(df[value_col]))) if len(df) else 1.0
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
        zmin = float(np.nanpercentile(df[value_col], 2)) if len(df) else 0
        zmax = float(np.nanpercentile(df[value_col], 98)) if len(df) else 1
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            locations=df["kommune"],
            z=df[value_col],
            featureidkey="id",
            colorscale=scale,
            zmin=zmin,
            zmax=zmax,
            marker={"line": {"width": 0.4, "color": "white"}, "opacity": 0.95},
            customdata=np.stack([df["name"], df["kommune"]], axis=-1),
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
            + label
            + ": %{z:,."
            + str(decimals)
            + "f}<extra></extra>",
            colorbar={
                "title": {"text": ""},
                "thickness": 14,
                "len": 0.6,
                "tickformat": f",.{decimals}f",
            },
        )
    )
    fig.update_layout(
        **base_layout(
            lang, height=720, margin={"l": 0, "r": 0, "t": 0, "b": 0}, hovermode="closest"
        ),
        map={"style": "white-bg", "center": {"lat": 65.4, "lon": 17.2}, "zoom": 3.95},
    )
    return fig
