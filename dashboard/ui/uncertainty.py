"""Prediction intervals in the dashboard: fan chart, key-card intervals, track record.

Numbers come from ``projections.intervals`` (empirical intervals calibrated on backtest errors,
docs/uncertainty.md); this module only shapes them for display, with small bounded caches.
Column names of the interval columns are stable (they are also CSV headers):
``lower_80, upper_80, lower_95, upper_95``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard.text.formatting import fmt_number, fmt_percent
from dashboard.text.i18n import t
from dashboard.ui import components, element_json
from dashboard.views.intervals import (
    SMALL_KOMMUNE,
    TRACK_HORIZON,
    bounds,
    interval_arrays,
    relative_half_width,
    round_sig,
    small_group_bounds,
    track_record_frame,
)

FAN = {80: "rgba(0,114,178,0.28)", 95: "rgba(0,114,178,0.12)"}
FAN_EDGE = "#0072B2"  # 5.2:1 against white: the fan's edges (its fills are 1.5 and 1.2:1)


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
        element_json.raw_element(
            "Span",
            t("unc.card_interval", lang, lo=fmt_number(lo, lang), hi=fmt_number(hi, lang)),
            className="keyfig-interval",
        ),
    ]


def certainty_sentence(code: str, scenario: str, lang: str) -> html.Div:
    """How sure we are, in plain words, with a clear note for small kommuner."""
    year = 2040
    a = interval_arrays(scenario, 80)
    i = a.index(code)
    y = min(int(np.searchsorted(a.years, year)), len(a.years) - 1)
    year = int(a.years[y])
    lo, hi = round_sig(a.lower[0, y, i]), round_sig(a.upper[0, y, i])
    size = float(a.median[0, 0, i])
    young = small_group_bounds(code, scenario, year, "0_5")  # counts under 100 children
    young_part = (
        t(
            "unc.young_pct",
            lang,
            young=fmt_number(relative_half_width(code, scenario, year, "0_5"), lang),
        )
        if young is None
        else t(
            "unc.young_counts", lang, lo=fmt_number(young[0], lang), hi=fmt_number(young[1], lang)
        )
    )
    parts = [
        t(
            "unc.sentence" if len(code) == 4 else "unc.sentence_aggregate",
            lang,
            year=year,
            lo=fmt_number(lo, lang),
            hi=fmt_number(hi, lang),
            pm=fmt_number(relative_half_width(code, scenario, year), lang),
            young_part=young_part,
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


def track_record_block(code: str, lang: str) -> html.Section:
    """A small table: how far off the model was for this region, beside the national figures."""

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
            colour,  # the sector line's colour: at least 3:1 (dashboard/ui/figures.py)
        )
        band_traces[1]["showlegend"] = False
        bands += band_traces
    fig["data"] = bands + fig["data"]
    return fig


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


def om_summary(lang: str) -> html.Section:
    return html.Section(
        [html.H2(t("unc.om_title", lang)), dcc.Markdown(t("unc.om_text", lang), id="unc-om")],
        className="card",
        id="uncertainty",
    )
