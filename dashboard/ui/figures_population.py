"""Befolkning's figures: history joined to the projection with the scenario band, the
population pyramid and the components of change (plain Plotly dicts, ``figures``' style)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.text.formatting import PLOTLY_SEPARATORS
from dashboard.text.i18n import t
from dashboard.ui.figures import (
    BLUE,
    GREEN,
    GREY,
    NAVY,
    OKABE_ITO,
    ORANGE,
    SKY,
    VERMILION,
    Figure,
    as_list,
    base_layout,
    nice_ticks,
    scenario_name,
    vline,
    year_ticks,
)


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
    x_future = as_list(years[future])
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": as_list(years[observed]),
            "y": as_list(values[observed]),
            "mode": "lines",
            "name": t("fig.observed", lang),
            "line": {"color": NAVY, "width": 3},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "scatter",
            "x": x_future,
            "y": as_list(values[future]),
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
                "y": as_list(high[future]),
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
                "y": as_list(low[future]),
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
                "y": as_list(other[future]),
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
    layout["shapes"] = [vline(base_year)]
    return {"data": data, "layout": layout}


def pyramid_figure(
    cur: np.ndarray, base: np.ndarray, year: int, base_year: int, lang: str
) -> Figure:
    """Population pyramid for ``year`` with the base year drawn as an outline.

    ``cur`` and ``base``: (2, ages) arrays, male then female, one column per single year.
    """
    age = list(range(cur.shape[1]))
    male, female = as_list(cur[0]), as_list(cur[1])
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "y": age,
            "x": as_list(-cur[0]),
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
                    "x": as_list(sign * base[row]),
                    "mode": "lines",
                    "line": {"color": "#111827", "width": 1.5, "shape": "hvh"},
                    "name": t("fig.base_outline", lang, year=base_year),
                    "showlegend": row == 0,
                    "legendgroup": "base",
                    "hoverinfo": "skip",
                }
            )
    m = float(max(cur.max(), base.max(), 1))
    ticks = nice_ticks(m)
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
    x = as_list(years)
    change = births - deaths + migration
    data = [
        {
            "type": "bar",
            "x": x,
            "y": as_list(births),
            "name": t("comp.births", lang),
            "marker": {"color": GREEN},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "bar",
            "x": x,
            "y": as_list(-deaths),
            "name": t("comp.deaths", lang),
            "marker": {"color": VERMILION},
            "customdata": as_list(deaths),
            "hovertemplate": "%{customdata:,.0f}",
        },
        {
            "type": "bar",
            "x": x,
            "y": as_list(migration),
            "name": t("comp.net_migration", lang),
            "marker": {"color": SKY},
            "hovertemplate": "%{y:,.0f}",
        },
        {
            "type": "scatter",
            "x": x,
            "y": as_list(change),
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
